/**
 * The training-time shortcuts for the masked max-pooling summary compute what the layers they
 * replace compute: the same outputs, bit for bit, and the same gradients; a model loaded with
 * plain tfjs (no shortcuts) is the reference.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveHyperparameters } from '../../../src-main/common/hyperparameters';
import { initBackend } from '../../../src-main/node/train/backend';
import { buildModel } from '../../../src-main/node/train/model';
import { serializeModel } from '../../../src-main/node/train/modelIo';
import { maxOverTime, useSummaryShortcuts } from '../../../src-main/node/train/summaryShortcuts';
import { seededRandom } from '../../../src-main/node/train/random';

beforeAll(async () => {
  await initBackend();
});

/** Loads model.json with plain tfjs: no fused kernels, no shortcuts. */
async function plainCopy(model: tf.LayersModel): Promise<tf.LayersModel> {
  const saved = await serializeModel(tf, model, '{}');
  const json = JSON.parse(saved.modelJson);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: saved.weights }));
}

/** Gradients of a loss for each of the model's trainable weights, by the weight's layer-local name. */
function gradients(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Map<string, Float32Array> {
  const weights = model.trainableWeights as unknown as { originalName: string; val: tf.Variable }[];
  const { grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, weights.map((w) => w.val));
  const out = new Map(weights.map((w) => [w.originalName, grads[w.val.name]!.dataSync() as Float32Array]));
  tf.dispose(grads);
  return out;
}

describe('summary shortcuts', () => {
  it('maxOverTime equals tf.max, routes its gradient to the maxima, and lets NaN through', () => {
    const next = seededRandom(3);
    const x = tf.tensor3d(Float32Array.from({ length: 2 * 7 * 5 }, () => next() * 2 - 1), [2, 7, 5]);
    expect(Array.from(maxOverTime(tf, x).dataSync())).toEqual(Array.from(tf.max(x, 1).dataSync()));
    const weights = tf.tensor2d(Float32Array.from({ length: 10 }, () => next()), [2, 5]);
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(maxOverTime(tf, t), weights)))(x);
    const theirs = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.max(t, 1), weights)))(x);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    const withNaN = tf.tensor3d([[[1], [NaN], [3]]]);
    expect(Number.isNaN(maxOverTime(tf, withNaN).dataSync()[0])).toBe(true);
  });

  it('a masked max-pooling model computes the same outputs and gradients as plain tfjs', async () => {
    const hp = resolveHyperparameters('accurate', { maxLen: 12, embedDim: 8, units: 4, dropout: 0 });
    // tfjs cells on both sides, so the shortcuts are the only difference.
    const model = buildModel(tf, hp, { vocabSize: 40, maxLen: 12, numClasses: 2 }, { kernels: 'tfjs' });
    const plain = await plainCopy(model);
    const next = seededRandom(9);
    const rows = Array.from({ length: 6 }, (_, r) => Array.from({ length: 12 }, (_, t) => (t < 12 - 2 * r ? 1 + Math.floor(next() * 39) : 0)));
    const x = tf.tensor2d(rows, [6, 12], 'int32');
    const y = tf.tensor2d([[1], [0], [1], [0], [1], [0]]);
    expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((plain.predict(x) as tf.Tensor).dataSync()));
    const ours = gradients(model, x, y);
    const theirs = gradients(plain, x, y);
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [name, g] of ours) {
      const reference = theirs.get(name)!;
      const scale = Math.max(...Array.from(reference, Math.abs), 1e-6);
      g.forEach((v, i) => expect(Math.abs(v - reference[i]!) / scale).toBeLessThan(1e-4));
    }
    // The built model already runs both shortcuts; the plain copy had neither.
    expect(useSummaryShortcuts(tf, model.layers)).toBe(0);
    expect(useSummaryShortcuts(tf, plain.layers)).toBe(2);
    model.dispose();
    plain.dispose();
  });
});
