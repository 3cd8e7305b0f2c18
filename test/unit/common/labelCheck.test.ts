import { describe, expect, it } from 'vitest';
import { findSuspects, flagQuality } from '../../../src-main/common/labelCheck';

describe('findSuspects', () => {
  it('flags items whose other label clears its own threshold, most confident disagreement first', () => {
    // Given labels 0,0,0,1,1,1; item 2 looks like a 1, item 5 like a 0 but only weakly.
    const given = [0, 0, 0, 1, 1, 1];
    const p = [0.9, 0.1, 0.8, 0.2, 0.1, 0.9, 0.2, 0.8, 0.1, 0.9, 0.45, 0.55];
    const { thresholds, suspects } = findSuspects(given, p, 2);
    expect(thresholds[0]).toBeCloseTo((0.9 + 0.8 + 0.1) / 3, 9);
    expect(thresholds[1]).toBeCloseTo((0.8 + 0.9 + 0.55) / 3, 9);
    expect(suspects.map((s) => [s.index, s.suggested])).toEqual([[2, 1]]);
    expect(suspects[0]!.margin).toBeCloseTo(0.8, 6);
  });

  it('uses per-label thresholds, so a label the models are unsure of is still suggested', () => {
    // Label 2 is hard: its own items average 0.4. Item 0 (given 0) has 0.45 for label 2.
    const given = [0, 0, 2, 2];
    const p = [0.3, 0.25, 0.45, 0.9, 0.05, 0.05, 0.3, 0.3, 0.4, 0.3, 0.3, 0.4];
    const { suspects } = findSuspects(given, p, 3);
    expect(suspects.map((s) => [s.index, s.given, s.suggested])).toEqual([[0, 0, 2]]);
  });

  it('measures a flagged set against known errors', () => {
    expect(flagQuality([1, 2, 3, 4], new Set([2, 4, 9]))).toEqual({ precision: 0.5, recall: 2 / 3, flagged: 4, found: 2 });
  });
});
