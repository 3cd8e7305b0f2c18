import { describe, expect, it } from 'vitest';
import { logCountRatio } from '../../../src-main/node/baseline/naiveBayes';
import type { Csr } from '../../../src-main/node/baseline/sparse';

describe('naive-Bayes log-count ratio', () => {
  it('matches the ratio worked out by hand on a toy matrix', () => {
    // Rows: positive [1 1 0], positive [1 0 0], negative [0 1 1].
    const matrix: Csr = { rows: 3, columns: 3, indptr: Int32Array.of(0, 2, 3, 5), indices: Int32Array.of(0, 1, 0, 1, 2), values: null };
    const r = logCountRatio(matrix, Uint8Array.of(1, 1, 0), 1);
    // p = 1 + [2, 1, 0] = [3, 2, 1], ‖p‖₁ = 6; q = 1 + [0, 1, 1] = [1, 2, 2], ‖q‖₁ = 5.
    const expected = [Math.log(3 / 6 / (1 / 5)), Math.log(2 / 6 / (2 / 5)), Math.log(1 / 6 / (2 / 5))];
    expect(Array.from(r)).toEqual(expected.map((v) => expect.closeTo(v, 12)));
  });

  it('is zero for a feature equally common on both sides, and changes sign with the sides', () => {
    // Rows: positive [1 1 0], negative [1 0 1]: p = [2 2 1], q = [2 1 2], both sum to 5.
    const matrix: Csr = { rows: 2, columns: 3, indptr: Int32Array.of(0, 2, 4), indices: Int32Array.of(0, 1, 0, 2), values: null };
    const r = logCountRatio(matrix, Uint8Array.of(1, 0));
    expect(Array.from(r)).toEqual([expect.closeTo(0, 12), expect.closeTo(Math.log(2), 12), expect.closeTo(-Math.log(2), 12)]);
    const flipped = logCountRatio(matrix, Uint8Array.of(0, 1));
    expect(Array.from(flipped)).toEqual(Array.from(r, (v) => expect.closeTo(-v, 12)));
    expect(() => logCountRatio(matrix, Uint8Array.of(1, 0), 0)).toThrow(/alpha must be positive/);
  });
});
