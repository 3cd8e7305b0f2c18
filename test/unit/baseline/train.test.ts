import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../src-main/common/errors';
import { argmaxRows } from '../../../src-main/common/metrics';
import { predictBaseline, trainBaseline } from '../../../src-main/node/baseline';
import type { BaselineData } from '../../../src-main/node/baseline';
import { toyReviews } from '../../helpers/toyReviews';

function dataOf(rows: { text: string; label: string }[], labels: string[]): BaselineData {
  return { texts: rows.map((r) => r.text), labels: Int32Array.from(rows, (r) => labels.indexOf(r.label)) };
}

const binary = ['negative', 'positive'];
const three = ['negative', 'neutral', 'positive'];

describe('trainBaseline', () => {
  it('trains two labels as one problem and predicts n×2 probabilities', () => {
    const train = dataOf(toyReviews(200, 1), binary);
    const { model, chosenC, search, seconds } = trainBaseline(train, null, binary, { cGrid: [0.1, 1] });
    expect(model.weights).toHaveLength(1);
    expect(model.bias).toHaveLength(1);
    expect(model.weights[0]).toHaveLength(model.vocabulary.length);
    expect(model.features).toEqual({ units: 'words', ngramRange: [1, 2], minCount: 2 });
    expect(search.map((point) => point.C)).toEqual([0.1, 1]);
    expect([0.1, 1]).toContain(chosenC);
    // Chosen on 10% held out, then refitted on every training text.
    expect(model.training).toMatchObject({ C: chosenC, trainingTexts: 200 });
    expect(seconds).toBeGreaterThan(0);

    const p = predictBaseline(model, ['a great and wonderful film', 'an awful boring waste', '']);
    expect(p).toHaveLength(6);
    expect(p[0] + p[1]).toBeCloseTo(1, 6);
    expect(Array.from(argmaxRows(p, 2)).slice(0, 2)).toEqual([1, 0]);
  });

  it('trains one problem per label for three labels (one-vs-rest), probabilities summing to 1', () => {
    const train = dataOf(toyReviews(300, 2, ['positive', 'negative', 'neutral']), three);
    const validation = dataOf(toyReviews(60, 3, ['positive', 'negative', 'neutral']), three);
    const result = trainBaseline(train, validation, three, { cGrid: [0.3, 1] });
    expect(result.model.weights).toHaveLength(3);
    expect(result.model.bias).toHaveLength(3);
    expect(result.validation!.accuracy).toBeGreaterThan(0.9);
    // With a validation split given, the searched model is the final one: trained on the training split only.
    expect(result.model.training.trainingTexts).toBe(300);

    const test = dataOf(toyReviews(60, 4, ['positive', 'negative', 'neutral']), three);
    const p = predictBaseline(result.model, test.texts);
    for (let i = 0; i < test.texts.length; i++) expect(p[3 * i] + p[3 * i + 1] + p[3 * i + 2]).toBeCloseTo(1, 6);
    const predicted = argmaxRows(p, 3);
    const correct = predicted.filter((label, i) => label === test.labels[i]).length;
    expect(correct / test.texts.length).toBeGreaterThan(0.9);
  });

  it('uses a fixed C without a search, and is reproducible', () => {
    const train = dataOf(toyReviews(100, 5), binary);
    const a = trainBaseline(train, null, binary, { C: 0.5 });
    const b = trainBaseline(train, null, binary, { C: 0.5 });
    expect(a.chosenC).toBe(0.5);
    expect(a.search).toEqual([]);
    expect(a.validation).toBeNull();
    expect(Array.from(a.model.weights[0])).toEqual(Array.from(b.model.weights[0]));
  });

  it('picks character n-grams for Chinese text', () => {
    const texts = ['很好，很满意', '不好，太差了', '服务很好', '房间太差'];
    const { model } = trainBaseline({ texts, labels: Int32Array.of(1, 0, 1, 0) }, null, binary, { minCount: 1, C: 1 });
    expect(model.features).toEqual({ units: 'characters', ngramRange: [1, 3], minCount: 1 });
    expect(model.vocabulary).toContain('很好');
    expect(model.vocabulary).toContain('太差了');
    const p = predictBaseline(model, ['很好', '太差']);
    expect(p[1]).toBeGreaterThan(0.5);
    expect(p[3]).toBeLessThan(0.5);
  });

  it('says what is wrong with its input', () => {
    const texts = ['good', 'bad'];
    const fails = (fn: () => unknown, message: RegExp) => {
      expect(fn).toThrow(StudioError);
      expect(fn).toThrow(message);
    };
    fails(() => trainBaseline({ texts, labels: Int32Array.of(0) }, null, binary), /2 texts but 1 labels/);
    fails(() => trainBaseline({ texts, labels: Int32Array.of(0, 2) }, null, binary), /training row 2: label index 2 is not one of 0–1/);
    fails(() => trainBaseline({ texts, labels: Int32Array.of(0, 0) }, null, ['only']), /at least two labels/);
    fails(() => trainBaseline({ texts: [], labels: new Int32Array(0) }, null, binary), /no training texts/);
    fails(() => trainBaseline({ texts, labels: Int32Array.of(0, 1) }, null, binary, { cGrid: [1, -1] }), /every C of the grid must be a positive number/);
    fails(() => trainBaseline({ texts, labels: Int32Array.of(0, 1) }, null, binary, { ngramRange: [2, 1] }), /n-gram lengths/);
  });
});
