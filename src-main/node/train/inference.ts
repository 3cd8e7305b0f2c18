/**
 * A trained model's class probabilities for encoded rows, and how well stored probabilities fit
 * their labels. Validation, the test split, prediction and the benchmark all go through here, so
 * every figure uses the same batching, the same clipping and the same tie rule as `evaluate`.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { argmaxRows } from '../../common/metrics';

type Tf = typeof tfTypes;

/** Probabilities are clipped to [clip, 1 - clip] before a log, as in common/metrics' log-loss. */
export const probabilityClip = 1e-7;

/**
 * Rows × tokens one prediction batch may hold. Activations grow with both: 256 rows at maxLen 2000
 * are 512k tokens, whose 128-wide embeddings and BiLSTM(64) outputs alone take 0.5 GB.
 */
const predictionTokenBudget = 32_768;

/**
 * Batch size for prediction: at least the training batch (which already fitted in memory with
 * gradients on top), otherwise 64 rows, or fewer when rows are long. On the accurate preset (wasm,
 * maxLen 400) 32, 64, 128 and 256 rows per batch predicted at the same speed within run-to-run
 * noise, so larger batches buy nothing.
 */
export function predictionBatchSize(maxLen: number, trainingBatchSize = 1): number {
  return Math.max(trainingBatchSize, Math.min(64, Math.max(1, Math.floor(predictionTokenBudget / maxLen))));
}

/** One batch's probabilities written into `out` at its rows. */
function predictBatch(tf: Tf, model: tfTypes.LayersModel, ids: Int32Array, start: number, size: number, maxLen: number, k: number, out: Float32Array): void {
  const batch = tf.tidy(() => {
    const x = tf.tensor2d(ids.subarray(start * maxLen, (start + size) * maxLen), [size, maxLen], 'int32');
    return model.predict(x, { batchSize: size }) as tfTypes.Tensor;
  });
  const values = batch.dataSync();
  batch.dispose();
  if (k === 2) {
    for (let i = 0; i < size; i++) {
      out[(start + i) * 2] = 1 - values[i]!;
      out[(start + i) * 2 + 1] = values[i]!;
    }
  } else {
    out.set(values, start * k);
  }
}

/** Class probabilities for every row, in batches (row-major n × k, k = 2 for binary models). */
export function predictProbabilities(
  tf: Tf,
  model: tfTypes.LayersModel,
  ids: Int32Array,
  n: number,
  maxLen: number,
  numClasses: number,
  batchSize = predictionBatchSize(maxLen),
): Float32Array {
  const out = new Float32Array(n * numClasses);
  for (let start = 0; start < n; start += batchSize) predictBatch(tf, model, ids, start, Math.min(batchSize, n - start), maxLen, numClasses, out);
  return out;
}

/**
 * The same, reporting rows done after each batch and yielding to the event loop in between, so a
 * process's progress messages leave while it scores (25,000 IMDB reviews take minutes on wasm).
 */
export async function predictProbabilitiesWithProgress(
  tf: Tf,
  model: tfTypes.LayersModel,
  ids: Int32Array,
  n: number,
  maxLen: number,
  numClasses: number,
  batchSize: number,
  onProgress: (done: number, total: number) => void,
): Promise<Float32Array> {
  const out = new Float32Array(n * numClasses);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    predictBatch(tf, model, ids, start, size, maxLen, numClasses, out);
    onProgress(start + size, n);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Mean cross-entropy and accuracy of precomputed probabilities (ties go to the lower class). */
export function lossAndAccuracy(probabilities: Float32Array, labels: Int32Array, k: number): { loss: number; accuracy: number } {
  const n = labels.length;
  const predicted = argmaxRows(probabilities.subarray(0, n * k), k);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    loss -= Math.log(Math.min(1 - probabilityClip, Math.max(probabilityClip, probabilities[i * k + y]!)));
    if (predicted[i] === y) correct++;
  }
  return { loss: n ? loss / n : NaN, accuracy: n ? correct / n : NaN };
}
