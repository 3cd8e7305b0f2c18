import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../src-main/common/errors';
import { deserializeBaseline, predictBaseline, serializeBaseline, trainBaseline } from '../../../src-main/node/baseline';
import type { BaselineJson } from '../../../src-main/common/baseline';
import { toyReviews } from '../../helpers/toyReviews';

const labels = ['negative', 'neutral', 'positive'];
const rows = toyReviews(150, 7, ['positive', 'negative', 'neutral']);
const { model } = trainBaseline({ texts: rows.map((r) => r.text), labels: Int32Array.from(rows, (r) => labels.indexOf(r.label)) }, null, labels, { C: 1 });
const texts = ['a great film', 'boring and dull', 'the cast of this movie', 'unseen words only'];

function copy(): BaselineJson {
  return JSON.parse(JSON.stringify(serializeBaseline(model))) as BaselineJson;
}

function problem(json: unknown): string {
  try {
    deserializeBaseline(json);
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('bad-file');
    return (error as Error).message;
  }
  throw new Error('expected the file to be rejected');
}

describe('baseline.json', () => {
  it('round-trips through JSON text to the same predictions', () => {
    const json = serializeBaseline(model);
    expect(json).toMatchObject({ format: 'sentiment-studio-nbsvm', version: 1, labels, features: model.features });
    const text = JSON.stringify(json);
    const loaded = deserializeBaseline(JSON.parse(text));
    expect(Array.from(predictBaseline(loaded, texts))).toEqual(Array.from(predictBaseline(model, texts)));
    expect(loaded.vocabulary).toEqual(model.vocabulary);
    expect(loaded.training).toEqual(model.training);
    // The text itself is accepted too.
    expect(Array.from(deserializeBaseline(text).weights[2])).toEqual(Array.from(model.weights[2]));
    // Writing the loaded model again gives the same file.
    expect(JSON.stringify(serializeBaseline(loaded))).toBe(text);
  });

  it('rejects broken files with a message naming the field', () => {
    expect(problem('{"format": ')).toMatch(/^the baseline model file is not valid: it is not JSON/);
    expect(problem([])).toMatch(/not valid/);
    expect(problem({ ...copy(), format: 'something-else' })).toMatch(/format: expected 'sentiment-studio-nbsvm'/);
    expect(problem({ ...copy(), version: 2 })).toMatch(/version: this app reads baseline model version 1/);
    expect(problem({ ...copy(), labels: ['a', 'a', 'b'] })).toMatch(/labels: label names must be distinct/);
    expect(problem({ ...copy(), features: { ...model.features, ngramRange: [2, 1] } })).toMatch(/features.ngramRange: the shortest n-gram length comes first/);
    expect(problem({ ...copy(), features: { ...model.features, units: 'bytes' } })).toMatch(/features.units: expected 'words' or 'characters'/);

    const { bias: _bias, ...noBias } = copy();
    expect(problem(noBias)).toMatch(/^the baseline model file is not valid: bias:/);

    const shortRow = copy();
    shortRow.weights[1].pop();
    expect(problem(shortRow)).toMatch(new RegExp(`weights\\[1\\] has ${model.vocabulary.length - 1} numbers, expected ${model.vocabulary.length}`));

    const badNumber = copy();
    (badNumber.weights[0] as unknown[])[5] = 'x';
    expect(problem(badNumber)).toMatch(/weights\[0\]\[5\] is "x", not a finite number/);

    const twoRows = copy();
    twoRows.weights.pop();
    expect(problem(twoRows)).toMatch(/weights has 2 rows, expected 3 for 3 labels/);

    const duplicate = copy();
    duplicate.vocabulary[1] = duplicate.vocabulary[0];
    expect(problem(duplicate)).toMatch(/vocabulary\[1\] '.*' appears twice/);

    const tooLong = copy();
    tooLong.vocabulary[0] = 'one two three';
    expect(problem(tooLong)).toMatch(/vocabulary\[0\] 'one two three' is not a words n-gram of length 1 to 2/);
  });
});
