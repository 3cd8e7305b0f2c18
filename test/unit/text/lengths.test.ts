import { describe, expect, it } from 'vitest';
import { percentile, tokenLengthStats } from '../../../src-main/node/text/lengths';

describe('token length distribution', () => {
  it('interpolates percentiles like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 10);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBe(0);
  });

  it('summarises counts in any order and the share a maxLen would cut', () => {
    const counts = Int32Array.from([10, 1, 7, 3, 5, 9, 2, 8, 4, 6]);
    expect(tokenLengthStats(counts, 8)).toEqual({
      count: 10,
      min: 1,
      max: 10,
      mean: 5.5,
      p50: 5.5,
      p90: expect.closeTo(9.1, 10),
      p95: expect.closeTo(9.55, 10),
      p99: expect.closeTo(9.91, 10),
      truncatedShare: 0.2,
    });
    expect(tokenLengthStats(counts).truncatedShare).toBeUndefined();
  });

  it('is all zeros for no texts', () => {
    expect(tokenLengthStats([], 5)).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, truncatedShare: 0 });
  });
});
