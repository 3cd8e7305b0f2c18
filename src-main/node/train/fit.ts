/**
 * The training loop: shuffled mini-batches, (class-)weighted cross-entropy, optional gradient
 * clipping by global norm, validation after every epoch, early stopping that restores the best
 * weights, and cancellation between batches. Events go to callbacks, so progress reporting,
 * charts and persistence stay outside the loop (Keras style). Prediction lives in ./inference.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { StudioError } from '../../common/errors';
import type { Hyperparameters } from '../../common/hyperparameters';
import type { BatchProgress, EpochMetrics } from '../../common/trainer';
import { lossAndAccuracy, predictionBatchSize, probabilityClip } from './inference';
import { gatherRows as gatherIds, predictRows, type RowIds } from './encodedRows';
import { permutation, seededRandom } from './random';

// Callers that predicted through the loop's module keep working.
export { lossAndAccuracy, predictionBatchSize, predictProbabilities } from './inference';

type Tf = typeof tfTypes;

export interface EncodedSplit<Ids extends RowIds = Int32Array> {
  /** Row-major token ids, n × maxLen (a file of them for a split too large to hold). */
  ids: Ids;
  /** Class index per row. */
  labels: Int32Array;
  n: number;
}

export interface FitCallbacks {
  onBatch?: (progress: BatchProgress) => void;
  /**
   * After every epoch. `loss` is the unweighted mean cross-entropy of the epoch's batches (class
   * weights shape only the gradient), so it is comparable with `valLoss`. `valLoss` and
   * `valAccuracy` are null without validation data; early stopping then watches `loss`.
   */
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Polled after every batch; true stops training and keeps the best weights so far. */
  shouldStop?: () => boolean;
}

export interface FitResult {
  epochs: EpochMetrics[];
  /**
   * 1-based epoch whose weights the model holds at the end: the one with the lowest validation
   * loss, or the lowest training loss when there is no validation data.
   */
  bestEpoch: number;
  stoppedEarly: boolean;
  cancelled: boolean;
  samplesPerSecond: number;
}

function makeOptimizer(tf: Tf, hp: Hyperparameters): tfTypes.Optimizer {
  if (hp.optimizer === 'rmsprop') return tf.train.rmsprop(hp.learningRate);
  if (hp.optimizer === 'sgd') return hp.momentum > 0 ? tf.train.momentum(hp.learningRate, hp.momentum) : tf.train.sgd(hp.learningRate);
  return tf.train.adam(hp.learningRate);
}

/** Per-sample cross-entropy: binary on the sigmoid output, categorical on the softmax rows. */
export function crossEntropy(tf: Tf, probabilities: tfTypes.Tensor, labels: tfTypes.Tensor1D, numClasses: number): tfTypes.Tensor1D {
  return tf.tidy(() => {
    const p = tf.clipByValue(probabilities, probabilityClip, 1 - probabilityClip);
    if (numClasses === 2) {
      const y = tf.cast(labels, 'float32');
      const q = p.reshape([-1]);
      return tf.neg(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))) as tfTypes.Tensor1D;
    }
    const picked = tf.sum(tf.mul(p, tf.oneHot(labels, numClasses)), 1);
    return tf.neg(tf.log(picked)) as tfTypes.Tensor1D;
  });
}

/** Ties (p = 0.5, equal softmax rows) go to the lower class, as in common/metrics' argmaxRows. */
function predictedClasses(tf: Tf, probabilities: tfTypes.Tensor, numClasses: number): tfTypes.Tensor1D {
  return numClasses === 2
    ? (tf.cast(tf.greater(probabilities.reshape([-1]), 0.5), 'int32') as tfTypes.Tensor1D)
    : (tf.argMax(probabilities, 1) as tfTypes.Tensor1D);
}

function gatherRows(split: EncodedSplit<RowIds>, order: Int32Array, start: number, end: number, maxLen: number) {
  const size = end - start;
  const ids = new Int32Array(size * maxLen);
  const labels = new Int32Array(size);
  gatherIds(split.ids, order, start, end, maxLen, ids);
  for (let i = 0; i < size; i++) labels[i] = split.labels[order[start + i]!]!;
  return { ids, labels, size };
}

function divergence(hp: Hyperparameters, epoch: number, batch: number): StudioError {
  const clip = hp.clipNorm > 0 ? `--clip-norm (now ${hp.clipNorm})` : 'set --clip-norm 1';
  return new StudioError('invalid-input', `training diverged at epoch ${epoch}, batch ${batch} (the loss is not a number): lower --learning-rate (now ${hp.learningRate}) or ${clip}`);
}

export async function fit(
  tf: Tf,
  model: tfTypes.LayersModel,
  hp: Hyperparameters,
  data: { train: EncodedSplit<RowIds>; validation: EncodedSplit<RowIds> | null; maxLen: number; numClasses: number; classWeights: number[] | null },
  callbacks: FitCallbacks = {},
): Promise<FitResult> {
  const { train, validation, maxLen, numClasses, classWeights } = data;
  const optimizer = makeOptimizer(tf, hp);
  const variables = model.trainableWeights.map((w) => w.read() as tfTypes.Variable);
  const random = seededRandom(hp.seed + 1);
  const batches = Math.ceil(train.n / hp.batchSize);
  const validationBatchSize = predictionBatchSize(maxLen, hp.batchSize);
  const weightsTensor = classWeights ? tf.tensor1d(classWeights) : null;
  const epochs: EpochMetrics[] = [];
  let best: { loss: number; epoch: number; weights: tfTypes.Tensor[] } | null = null;
  let sinceBest = 0;
  let cancelled = false;
  let stoppedEarly = false;
  let trainedSamples = 0;
  let trainingSeconds = 0;

  try {
    for (let epoch = 1; epoch <= hp.epochs && !cancelled; epoch++) {
      const order = permutation(train.n, random);
      const epochStart = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * hp.batchSize;
        const batch = gatherRows(train, order, start, Math.min(train.n, start + hp.batchSize), maxLen);
        const step = tf.tidy(() => {
          const x = tf.tensor2d(batch.ids, [batch.size, maxLen], 'int32');
          const y = tf.tensor1d(batch.labels, 'int32');
          // variableGrads disposes everything its function made but the loss, so the batch's
          // figures are kept by hand and disposed as soon as they are read.
          const kept: tfTypes.Tensor[] = [];
          const { grads } = tf.variableGrads(() => {
            const probabilities = model.apply(x, { training: true }) as tfTypes.Tensor;
            const perSample = crossEntropy(tf, probabilities, y, numClasses);
            const loss = tf.mean(weightsTensor ? tf.mul(perSample, tf.gather(weightsTensor, y)) : perSample) as tfTypes.Scalar;
            const hits = tf.sum(tf.cast(tf.equal(predictedClasses(tf, probabilities, numClasses), y), 'float32'));
            // Class weights shape only the gradient: the curves get the unweighted mean, which
            // is what the validation loss measures too. The sum of the outputs is NaN as soon as
            // one is: wasm's clipByValue turns NaN into a bound, so the loss alone stays finite.
            kept.push(tf.keep(tf.stack([loss, tf.mean(perSample), hits, tf.sum(probabilities)])));
            return loss;
          }, variables);
          const [optimized = NaN, unweighted = NaN, hits = 0, outputSum = NaN] = kept[0]!.dataSync();
          kept[0]!.dispose();
          const figures = { diverged: !Number.isFinite(optimized) || !Number.isFinite(outputSum), unweighted, hits };
          if (figures.diverged) return figures;
          let applied = grads;
          if (hp.clipNorm > 0) {
            const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
            const scale = tf.minimum(1, tf.div(hp.clipNorm, tf.add(norm, 1e-6)));
            applied = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
          }
          optimizer.applyGradients(applied);
          return figures;
        });
        // NaN weights never recover, and would only surface later as a confusing evaluation error.
        if (step.diverged) throw divergence(hp, epoch, b + 1);
        lossSum += step.unweighted * batch.size;
        correct += step.hits;
        seen += batch.size;
        const elapsed = (performance.now() - epochStart) / 1000;
        const rate = seen / Math.max(elapsed, 1e-9);
        callbacks.onBatch?.({
          epoch,
          batch: b + 1,
          batches,
          loss: lossSum / seen,
          accuracy: correct / seen,
          samplesPerSecond: rate,
          etaSeconds: (train.n - seen) / rate + (hp.epochs - epoch) * (train.n / rate),
        });
        // Let the cancel message in: one macrotask turn per batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (callbacks.shouldStop?.()) {
          cancelled = true;
          break;
        }
      }
      const seconds = (performance.now() - epochStart) / 1000;
      trainedSamples += seen;
      trainingSeconds += seconds;
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / Math.max(seen, 1),
        accuracy: correct / Math.max(seen, 1),
        valLoss: null,
        valAccuracy: null,
        seconds,
        samplesPerSecond: seen / Math.max(seconds, 1e-9),
        partial: cancelled,
      };
      if (validation && validation.n > 0) {
        const probabilities = predictRows(tf, model, validation.ids, validation.n, maxLen, numClasses, validationBatchSize);
        const v = lossAndAccuracy(probabilities, validation.labels, numClasses);
        metrics.valLoss = v.loss;
        metrics.valAccuracy = v.accuracy;
      }
      epochs.push(metrics);
      callbacks.onEpoch?.(metrics);
      // Without validation data this watches the training loss (see FitCallbacks.onEpoch).
      const monitored = metrics.valLoss ?? metrics.loss;
      if (!best || monitored < best.loss) {
        best?.weights.forEach((t) => t.dispose());
        best = { loss: monitored, epoch, weights: model.getWeights().map((t) => t.clone()) };
        sinceBest = 0;
      } else if (hp.patience > 0 && ++sinceBest >= hp.patience) {
        stoppedEarly = true;
        break;
      }
    }
    // Keep the best weights when a criterion was watched (early stopping, or a cancel).
    const restore = best && (hp.patience > 0 || cancelled) && best.epoch !== epochs.at(-1)?.epoch;
    if (restore) model.setWeights(best!.weights);
    return {
      epochs,
      bestEpoch: restore ? best!.epoch : (epochs.at(-1)?.epoch ?? 0),
      stoppedEarly,
      cancelled,
      samplesPerSecond: trainedSamples / Math.max(trainingSeconds, 1e-9),
    };
  } finally {
    best?.weights.forEach((t) => t.dispose());
    weightsTensor?.dispose();
    optimizer.dispose();
  }
}
