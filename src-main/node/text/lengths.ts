/**
 * The token-length distribution of a set of texts, so the app can warn when `maxLen` is far below a
 * typical review (most of each text would be cut away).
 */
import type { TokenLengthStats } from '../../common/tokenizer';

/** Linear interpolation between closest ranks of an ascending array (numpy's default method). */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  const n = sortedAscending.length;
  if (n === 0) return 0;
  const rank = (Math.min(Math.max(p, 0), 100) / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sortedAscending[lo] + (sortedAscending[hi] - sortedAscending[lo]) * (rank - lo);
}

/** Summary of token counts (before truncation); `truncatedShare` when `maxLen` is given. */
export function tokenLengthStats(tokenCounts: ArrayLike<number>, maxLen?: number): TokenLengthStats {
  const sorted = Float64Array.from(tokenCounts).sort();
  const n = sorted.length;
  let sum = 0;
  let truncated = 0;
  for (let i = 0; i < n; i++) {
    sum += sorted[i];
    if (maxLen !== undefined && sorted[i] > maxLen) truncated++;
  }
  const stats: TokenLengthStats = {
    count: n,
    min: n === 0 ? 0 : sorted[0],
    max: n === 0 ? 0 : sorted[n - 1],
    mean: n === 0 ? 0 : sum / n,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
  if (maxLen !== undefined) stats.truncatedShare = n === 0 ? 0 : truncated / n;
  return stats;
}
