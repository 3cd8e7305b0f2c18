import { describe, expect, it } from 'vitest';
import { resolveHyperparameters } from '../../../src-main/common/hyperparameters';
import type { SnapshotRow } from '../../../src-main/node/db/runs';
import { prepareData, trainSubset } from '../../../src-main/node/train/dataset';

function rows(): SnapshotRow[] {
  const out: SnapshotRow[] = [];
  for (let i = 0; i < 200; i++) out.push({ itemId: i, text: `review ${i} ${i % 4 === 0 ? 'bad' : 'good'}`, label: i % 4 === 0 ? 'negative' : 'positive', split: 'train' });
  for (let i = 200; i < 220; i++) out.push({ itemId: i, text: `held ${i}`, label: i % 2 ? 'negative' : 'positive', split: 'validation' });
  for (let i = 220; i < 240; i++) out.push({ itemId: i, text: `test ${i}`, label: i % 2 ? 'negative' : 'positive', split: 'test' });
  return out;
}
const labels = ['negative', 'positive'];

describe('trainSubset', () => {
  it('keeps the share of each label and nests smaller shares inside larger ones', () => {
    const train = rows().filter((r) => r.split === 'train');
    const tenth = trainSubset(train, labels, { trainFraction: 0.1, seed: 7 });
    const half = trainSubset(train, labels, { trainFraction: 0.5, seed: 7 });
    expect(tenth.filter((r) => r.label === 'negative')).toHaveLength(5);
    expect(tenth.filter((r) => r.label === 'positive')).toHaveLength(15);
    expect(half).toHaveLength(100);
    const inHalf = new Set(half.map((r) => r.itemId));
    expect(tenth.every((r) => inHalf.has(r.itemId))).toBe(true);
  });

  it('draws a different sample for another seed and keeps at least one row per label', () => {
    const train = rows().filter((r) => r.split === 'train');
    const a = trainSubset(train, labels, { trainFraction: 0.1, seed: 1 }).map((r) => r.itemId);
    const b = trainSubset(train, labels, { trainFraction: 0.1, seed: 2 }).map((r) => r.itemId);
    expect(a).not.toEqual(b);
    const tiny = trainSubset(train, labels, { trainFraction: 0.001, seed: 1 });
    expect(tiny.map((r) => r.label).sort()).toEqual(labels);
  });

  it('leaves the validation and test splits whole in prepareData', () => {
    const hp = resolveHyperparameters('fast', { trainFraction: 0.25, vocabSize: 100, minCount: 1 });
    const data = prepareData(rows(), labels, hp);
    expect(data.train.n).toBe(13 + 38); // a quarter of 50 and of 150, each rounded
    expect(data.validation?.n).toBe(20);
    expect(data.test.n).toBe(20);
  });
});
