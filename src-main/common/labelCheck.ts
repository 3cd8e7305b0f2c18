/**
 * Likely label errors from out-of-fold predictions, confident-learning style (Northcutt, Jiang
 * and Chuang, 2021). Each label gets a threshold: the average probability the models gave that
 * label on the items that carry it (its self-confidence). An item is suspect when some other
 * label clears its own threshold and is the likeliest of those that do: the models are as sure
 * of that label as they usually are of correct ones. Per-label thresholds keep a rare or hard
 * label from being flagged wholesale just because the models are less sure of it.
 */
import { z } from 'zod';

export const labelCheckDefaults = { folds: 5, preset: 'fast' } as const;
/** The kind of the run that records a label check. */
export const CROSSVAL_RUN_KIND = 'crossval';

export interface Suspect {
  /** Row in the checked items. */
  index: number;
  given: number;
  suggested: number;
  /** Out-of-fold probability of the given and of the suggested label. */
  givenProbability: number;
  suggestedProbability: number;
  /** suggested − given probability: how confidently the models disagree; the queue's order. */
  margin: number;
}

export interface SuspectSearch {
  /** Per label: its average self-confidence (NaN when no item carries it). */
  thresholds: number[];
  /** Most confident disagreement first. */
  suspects: Suspect[];
}

export function findSuspects(given: ArrayLike<number>, probabilities: ArrayLike<number>, k: number): SuspectSearch {
  const n = given.length;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const y = given[i]!;
    sums[y] += probabilities[i * k + y]!;
    counts[y]++;
  }
  const thresholds = Array.from(sums, (s, j) => (counts[j]! > 0 ? s / counts[j]! : Number.NaN));
  const suspects: Suspect[] = [];
  for (let i = 0; i < n; i++) {
    const y = given[i]!;
    let best = -1;
    for (let j = 0; j < k; j++) {
      const p = probabilities[i * k + j]!;
      // A label nobody carries has no threshold: it cannot be suggested.
      if (!(p >= thresholds[j]!)) continue;
      if (best < 0 || p > probabilities[i * k + best]!) best = j;
    }
    if (best < 0 || best === y) continue;
    const givenProbability = probabilities[i * k + y]!;
    const suggestedProbability = probabilities[i * k + best]!;
    suspects.push({ index: i, given: y, suggested: best, givenProbability, suggestedProbability, margin: suggestedProbability - givenProbability });
  }
  suspects.sort((a, b) => b.margin - a.margin || a.index - b.index);
  return { thresholds, suspects };
}

/** Precision and recall of a flagged set against the items known to be wrong (for the benchmark). */
export function flagQuality<T>(flagged: Iterable<T>, wrong: ReadonlySet<T>): { precision: number; recall: number; flagged: number; found: number } {
  let count = 0;
  let found = 0;
  for (const i of flagged) {
    count++;
    if (wrong.has(i)) found++;
  }
  return { precision: count ? found / count : 0, recall: wrong.size ? found / wrong.size : 0, flagged: count, found };
}

export const suspectQuerySchema = z.object({
  /** Default: the newest finished label check. */
  runId: z.number().int().positive().optional(),
  /** Hide items already relabelled or confirmed since the check (the queue shrinks as you work). */
  hideReviewed: z.boolean().default(true),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});

export interface SuspectRow {
  itemId: number;
  text: string;
  /** The label the check saw, and the one the models suggest. */
  given: string;
  suggested: string;
  probabilities: number[];
  margin: number;
  currentLabel: string | null;
  review: 'relabelled' | 'confirmed' | null;
}

export interface SuspectPage {
  runId: number;
  /** Items the check scored (every labelled item, each by a model that never saw it). */
  checked: number;
  /** Suspects in all, reviewed ones included. */
  flagged: number;
  labels: string[];
  /** Per label; null for a label no item carries (it is never suggested). */
  thresholds: (number | null)[];
  total: number;
  rows: SuspectRow[];
}
