/**
 * Stratified, stable split assignment. Items already assigned never move; new items of each class
 * go, in a seeded pseudo-random order, to whichever split is furthest below its target share of
 * that class. The result is exactly stratified up to one item per class and split, and adding
 * items later never changes an earlier assignment.
 */
import { splits, type Split } from './contract';

export type SplitCounts = Record<Split, number>;

export function emptyCounts(): SplitCounts {
  return { train: 0, validation: 0, test: 0 };
}

/**
 * `ordered`: the class's new items, already in seeded order. `counts`: that class's items per split
 * so far (updated in place). Returns the split for each item, in order.
 */
export function assignClass(orderedCount: number, counts: SplitCounts, fractions: Record<Split, number>): Split[] {
  const out: Split[] = [];
  let total = counts.train + counts.validation + counts.test;
  for (let i = 0; i < orderedCount; i++) {
    total++;
    let best: Split = 'train';
    let bestDeficit = -Infinity;
    for (const s of splits) {
      const deficit = fractions[s] * total - counts[s];
      if (deficit > bestDeficit + 1e-9) {
        best = s;
        bestDeficit = deficit;
      }
    }
    counts[best]++;
    out.push(best);
  }
  return out;
}

/** Accepts what analysts write in a split column: train, validation, val, dev, test. */
export function parseSplit(value: string): Split | null {
  const v = value.trim().toLowerCase();
  if (v === 'train' || v === 'training') return 'train';
  if (v === 'validation' || v === 'val' || v === 'valid' || v === 'dev') return 'validation';
  if (v === 'test' || v === 'testing') return 'test';
  return null;
}
