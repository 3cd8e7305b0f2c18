/**
 * From a run's snapshot to encoded train / validation / test arrays. The tokenizer learns its
 * vocabulary from the training split only, so nothing of the test set leaks into the model.
 */
import { StudioError } from '../../common/errors';
import { balancedClassWeights } from '../../common/metrics';
import type { Hyperparameters } from '../../common/hyperparameters';
import type { SnapshotRow } from '../db/runs';
import { Tokenizer } from '../text/tokenizer';
import type { EncodedSplit } from './fit';
import { permutation, seededRandom } from './random';

export interface PreparedData {
  tokenizer: Tokenizer;
  train: EncodedSplit;
  validation: EncodedSplit | null;
  test: EncodedSplit;
  testItemIds: Int32Array;
  classWeights: number[] | null;
  counts: { train: number[]; validation: number[]; test: number[] };
}

function encode(tokenizer: Tokenizer, rows: SnapshotRow[], labelIndex: Map<string, number>): EncodedSplit {
  const { ids } = tokenizer.encode(rows.map((r) => r.text));
  return { ids, labels: Int32Array.from(rows, (r) => labelIndex.get(r.label)!), n: rows.length };
}

function countByClass(rows: SnapshotRow[], labels: string[]): number[] {
  const counts = labels.map(() => 0);
  const index = new Map(labels.map((l, i) => [l, i]));
  for (const r of rows) counts[index.get(r.label)!]!++;
  return counts;
}

/**
 * A seeded share of each label's training rows (at least one each), for learning curves. The
 * order within a label depends only on the seed, so with one seed a smaller share is always a
 * subset of a larger one: the curve adds labels, it never swaps them.
 */
export function trainSubset(train: SnapshotRow[], labels: string[], hp: Pick<Hyperparameters, 'trainFraction' | 'seed'>): SnapshotRow[] {
  const keep = new Set<SnapshotRow>();
  for (const label of labels) {
    const rows = train.filter((r) => r.label === label);
    const order = permutation(rows.length, seededRandom(hp.seed + 3));
    const n = Math.min(rows.length, Math.max(1, Math.round(rows.length * hp.trainFraction)));
    for (let i = 0; i < n; i++) keep.add(rows[order[i]!]!);
  }
  return train.filter((r) => keep.has(r));
}

/** `existing`: a fine-tuned model keeps its parent's tokenizer (new words become out-of-vocabulary). */
export function prepareData(rows: SnapshotRow[], labels: string[], hp: Hyperparameters, existing?: Tokenizer): PreparedData {
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  let train = rows.filter((r) => r.split === 'train');
  let validation = rows.filter((r) => r.split === 'validation');
  const test = rows.filter((r) => r.split === 'test');
  if (validation.length === 0 && hp.validationSplit > 0 && train.length > 1) {
    // No validation items in the project: hold a seeded share of the training split out.
    const order = permutation(train.length, seededRandom(hp.seed + 2));
    const held = Math.max(1, Math.round(train.length * hp.validationSplit));
    const heldOut = new Set(order.subarray(0, held));
    validation = train.filter((_, i) => heldOut.has(i));
    train = train.filter((_, i) => !heldOut.has(i));
  }
  if (hp.trainFraction < 1) train = trainSubset(train, labels, hp);
  const trainCounts = countByClass(train, labels);
  const missing = labels.filter((_, i) => trainCounts[i] === 0);
  if (train.length === 0) throw new StudioError('invalid-input', 'There are no labelled training items yet; label some reviews first.');
  if (missing.length > 0) {
    throw new StudioError('invalid-input', `The training split has no '${missing.join("', '")}' items; label some before training.`);
  }
  const tokenizer =
    existing ??
    new Tokenizer({
      vocabSize: hp.vocabSize,
      minCount: hp.minCount,
      maxLen: hp.maxLen,
      padding: hp.padding,
      truncating: hp.truncating,
      lowercase: hp.lowercase,
    }).fit(train.map((r) => r.text));
  return {
    tokenizer,
    train: encode(tokenizer, train, labelIndex),
    validation: validation.length ? encode(tokenizer, validation, labelIndex) : null,
    test: encode(tokenizer, test, labelIndex),
    testItemIds: Int32Array.from(test, (r) => r.itemId),
    classWeights: hp.classWeights === 'auto' ? balancedClassWeights(trainCounts) : null,
    counts: { train: trainCounts, validation: countByClass(validation, labels), test: countByClass(test, labels) },
  };
}
