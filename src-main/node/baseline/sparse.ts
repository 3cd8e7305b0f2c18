/**
 * Compressed sparse rows: a text has a few hundred of the ~500,000 n-gram columns, so a dense
 * matrix would be ~1,000 times larger than its non-zeros.
 */
import type { GramLists } from './ngrams';

export interface Csr {
  rows: number;
  columns: number;
  /** Row i's entries are `indptr[i] .. indptr[i + 1]`. */
  indptr: Int32Array;
  indices: Int32Array;
  /** Null for a binary matrix (every stored entry is 1). */
  values: Float32Array | null;
}

/** In how many of the given rows each n-gram occurs (all rows when `rows` is null). */
export function documentFrequencies(lists: GramLists, rows: Int32Array | null, gramCount: number): Int32Array {
  const df = new Int32Array(gramCount);
  const n = rows === null ? lists.offsets.length - 1 : rows.length;
  for (let r = 0; r < n; r++) {
    const row = rows === null ? r : rows[r];
    for (let k = lists.offsets[row]; k < lists.offsets[row + 1]; k++) df[lists.grams[k]]++;
  }
  return df;
}

/** Column of each n-gram id (-1 when left out) and the n-gram id of each column, in id order. */
export interface FeatureMap {
  columnOf: Int32Array;
  gramOf: Int32Array;
}

export function selectFeatures(df: Int32Array, minCount: number): FeatureMap {
  const columnOf = new Int32Array(df.length).fill(-1);
  let columns = 0;
  for (let g = 0; g < df.length; g++) if (df[g] >= minCount) columnOf[g] = columns++;
  const gramOf = new Int32Array(columns);
  for (let g = 0; g < df.length; g++) if (columnOf[g] >= 0) gramOf[columnOf[g]] = g;
  return { columnOf, gramOf };
}

/** The binary matrix of the given rows (all when null) over the selected n-grams. */
export function binaryCsr(lists: GramLists, rows: Int32Array | null, columnOf: Int32Array, columns: number): Csr {
  const n = rows === null ? lists.offsets.length - 1 : rows.length;
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let r = 0; r < n; r++) {
    const row = rows === null ? r : rows[r];
    for (let k = lists.offsets[row]; k < lists.offsets[row + 1]; k++) {
      const g = lists.grams[k];
      if (g < columnOf.length && columnOf[g] >= 0) nnz++;
    }
    indptr[r + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  for (let r = 0, at = 0; r < n; r++) {
    const row = rows === null ? r : rows[r];
    for (let k = lists.offsets[row]; k < lists.offsets[row + 1]; k++) {
      const g = lists.grams[k];
      if (g < columnOf.length && columnOf[g] >= 0) indices[at++] = columnOf[g];
    }
  }
  return { rows: n, columns, indptr, indices, values: null };
}

/** The matrix with column j multiplied by scale[j] (shares the structure arrays). */
export function scaleColumns(matrix: Csr, scale: ArrayLike<number>): Csr {
  const values = new Float32Array(matrix.indices.length);
  for (let k = 0; k < values.length; k++) values[k] = (matrix.values === null ? 1 : matrix.values[k]) * scale[matrix.indices[k]];
  return { ...matrix, values };
}

/** out[i] += Σ_j X[i, j] · w[j] (the linear part of a score, for many rows at once). */
export function addProducts(matrix: Csr, weights: ArrayLike<number>, out: Float64Array): void {
  const { indptr, indices, values } = matrix;
  for (let i = 0; i < matrix.rows; i++) {
    let sum = 0;
    if (values === null) for (let k = indptr[i]; k < indptr[i + 1]; k++) sum += weights[indices[k]];
    else for (let k = indptr[i]; k < indptr[i + 1]; k++) sum += values[k] * weights[indices[k]];
    out[i] += sum;
  }
}
