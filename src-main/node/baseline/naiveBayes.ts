/**
 * The naive-Bayes log-count ratio of Wang & Manning (2012), "Baselines and Bigrams", eq. 2:
 * r = log((p / ‖p‖₁) / (q / ‖q‖₁)) with p = α + Σ x over the positive rows, q = α + Σ x over the
 * others. Scaling each binary feature by r lets the linear model start from how strongly an
 * n-gram leans one way, which is what makes NBSVM beat plain logistic regression on reviews.
 */
import type { Csr } from './sparse';

/** `positive[i]` is 1 when row i is on the positive side (for one-vs-rest: of this label). */
export function logCountRatio(matrix: Csr, positive: Uint8Array, alpha = 1): Float64Array {
  if (!(alpha > 0)) throw new RangeError(`the smoothing alpha must be positive, got ${alpha}`);
  const p = new Float64Array(matrix.columns).fill(alpha);
  const q = new Float64Array(matrix.columns).fill(alpha);
  const { indptr, indices, values } = matrix;
  for (let i = 0; i < matrix.rows; i++) {
    const counts = positive[i] ? p : q;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) counts[indices[k]] += values === null ? 1 : values[k];
  }
  let pTotal = 0;
  let qTotal = 0;
  for (let j = 0; j < matrix.columns; j++) {
    pTotal += p[j];
    qTotal += q[j];
  }
  const r = new Float64Array(matrix.columns);
  const offset = Math.log(qTotal / pTotal);
  for (let j = 0; j < matrix.columns; j++) r[j] = Math.log(p[j] / q[j]) + offset;
  return r;
}
