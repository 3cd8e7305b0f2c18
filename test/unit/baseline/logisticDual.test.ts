import { describe, expect, it } from 'vitest';
import { fitLogisticDual } from '../../../src-main/node/baseline/logisticDual';
import type { Csr } from '../../../src-main/node/baseline/sparse';
import { seededRandom } from '../../../src-main/node/train/random';

/** Rows of (index, value) pairs as a CSR matrix. */
function csr(rows: [number, number][][], columns: number): Csr {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((row, i) => (indptr[i + 1] = indptr[i] + row.length));
  return {
    rows: rows.length,
    columns,
    indptr,
    indices: Int32Array.from(rows.flat(), ([j]) => j),
    values: Float32Array.from(rows.flat(), ([, v]) => v),
  };
}

/** ∇ of ½‖w‖² + ½b² + C Σ log(1 + exp(−y(wᵀx + b))): zero at the optimum. */
function primalGradient(matrix: Csr, y: Int8Array, C: number, w: Float64Array, b: number): number[] {
  const g = [...w, b];
  for (let i = 0; i < matrix.rows; i++) {
    let z = b;
    for (let k = matrix.indptr[i]; k < matrix.indptr[i + 1]; k++) z += matrix.values![k] * w[matrix.indices[k]];
    const factor = (-C * y[i]) / (1 + Math.exp(y[i] * z));
    for (let k = matrix.indptr[i]; k < matrix.indptr[i + 1]; k++) g[matrix.indices[k]] += factor * matrix.values![k];
    g[w.length] += factor;
  }
  return g;
}

describe('logistic regression by dual coordinate descent', () => {
  // Separable: feature 0 marks positives, feature 1 negatives, feature 2 is noise on both sides.
  const matrix = csr(
    [
      [[0, 1], [2, 0.5]],
      [[0, 2]],
      [[0, 1.5], [2, 1]],
      [[1, 1], [2, 0.5]],
      [[1, 2]],
      [[1, 1], [2, 1]],
    ],
    3,
  );
  const y = Int8Array.of(1, 1, 1, -1, -1, -1);

  it('converges on a separable toy set to the optimum of the primal', () => {
    const C = 10;
    const fit = fitLogisticDual(matrix, y, C, { random: seededRandom(1), tolerance: 1e-9, maxEpochs: 10_000 });
    expect(fit.converged).toBe(true);
    for (const g of primalGradient(matrix, y, C, fit.weights, fit.bias)) expect(Math.abs(g)).toBeLessThan(1e-6);
    expect(fit.weights[0]).toBeGreaterThan(0);
    expect(fit.weights[1]).toBeLessThan(0);
    // The dual feasible region is 0 < α < C.
    for (const a of fit.alpha) expect(a > 0 && a < C).toBe(true);
  });

  it('separates every training row and regularises more with a smaller C', () => {
    const strong = fitLogisticDual(matrix, y, 0.01, { random: seededRandom(1), tolerance: 1e-8 });
    const weak = fitLogisticDual(matrix, y, 100, { random: seededRandom(1), tolerance: 1e-8, maxEpochs: 10_000 });
    for (let i = 0; i < matrix.rows; i++) {
      let z = weak.bias;
      for (let k = matrix.indptr[i]; k < matrix.indptr[i + 1]; k++) z += matrix.values![k] * weak.weights[matrix.indices[k]];
      expect(Math.sign(z)).toBe(y[i]);
    }
    expect(Math.hypot(...strong.weights)).toBeLessThan(Math.hypot(...weak.weights) / 10);
  });

  it('reaches the same optimum from a warm start at a smaller C', () => {
    const small = fitLogisticDual(matrix, y, 1, { random: seededRandom(1), tolerance: 1e-9, maxEpochs: 10_000 });
    const cold = fitLogisticDual(matrix, y, 10, { random: seededRandom(2), tolerance: 1e-9, maxEpochs: 10_000 });
    const warm = fitLogisticDual(matrix, y, 10, { random: seededRandom(2), tolerance: 1e-9, maxEpochs: 10_000, initialAlpha: small.alpha });
    warm.weights.forEach((w, j) => expect(w).toBeCloseTo(cold.weights[j], 5));
    expect(warm.bias).toBeCloseTo(cold.bias, 5);
  });

  it('weighs rows by their cost', () => {
    // One positive against three negatives that share its only feature: more weight on the positive row moves the score up.
    const m = csr([[[0, 1]], [[0, 1]], [[0, 1]], [[0, 1]]], 1);
    const labels = Int8Array.of(1, -1, -1, -1);
    const plain = fitLogisticDual(m, labels, 1, { random: seededRandom(1), tolerance: 1e-8 });
    const weighted = fitLogisticDual(m, labels, 1, { random: seededRandom(1), tolerance: 1e-8, rowCost: Float64Array.of(3, 1, 1, 1) });
    expect(plain.weights[0] + plain.bias).toBeLessThan(0);
    expect(weighted.weights[0] + weighted.bias).toBeCloseTo(0, 6);
  });

  it('rejects a C that is not a positive number', () => {
    expect(() => fitLogisticDual(matrix, y, 0, { random: seededRandom(1) })).toThrow(/C must be a positive number/);
  });
});
