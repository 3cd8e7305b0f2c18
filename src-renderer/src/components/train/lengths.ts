/** Reading a data profile against the form's settings. */

/** Share of reviews longer than `maxLen`, from the profile's 101 quantiles (to the nearest percent). */
export function truncatedShare(quantiles: readonly number[], maxLen: number): number {
  let within = -1;
  for (let p = 0; p < quantiles.length; p++) if (quantiles[p]! <= maxLen) within = p;
  return within < 0 ? 1 : (100 - within) / 100;
}

export interface DataWarnings {
  /** Labels with fewer training reviews than `fewLabels`. */
  fewLabels: { label: string; count: number }[];
  /** Largest class over smallest, when it reaches `imbalanceRatio`. */
  imbalance: { largest: string; smallest: string; ratio: number } | null;
}

export const fewLabelsThreshold = 100;
export const imbalanceRatio = 3;

export function dataWarnings(trainCounts: Record<string, number>, labels: string[]): DataWarnings {
  const counts = labels.map((label) => ({ label, count: trainCounts[label] ?? 0 }));
  const fewLabels = counts.filter((c) => c.count < fewLabelsThreshold);
  const sorted = [...counts].sort((a, b) => b.count - a.count);
  const largest = sorted[0];
  const smallest = sorted.at(-1);
  const imbalance =
    largest && smallest && smallest.count > 0 && largest.count / smallest.count >= imbalanceRatio
      ? { largest: largest.label, smallest: smallest.label, ratio: largest.count / smallest.count }
      : null;
  return { fewLabels, imbalance };
}
