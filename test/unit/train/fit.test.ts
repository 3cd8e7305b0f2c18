/**
 * The training loop's arithmetic: cross-entropy, loss and accuracy of stored probabilities, the
 * tie rule, class weights and clipping taking effect, early stopping, divergence, validation
 * batching, and every tensor it makes being disposed.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../../src-main/common/errors';
import { resolveHyperparameters, type Hyperparameters } from '../../../src-main/common/hyperparameters';
import { initBackend } from '../../../src-main/node/train/backend';
import { crossEntropy, fit, lossAndAccuracy, predictionBatchSize, predictProbabilities, type EncodedSplit, type FitCallbacks } from '../../../src-main/node/train/fit';
import { predictProbabilitiesWithProgress } from '../../../src-main/node/train/inference';
import { buildModel } from '../../../src-main/node/train/model';

type Tf = typeof tfTypes;

const maxLen = 8;

/** Labels that are pure noise over 40 token ids, so losses move and memorisation overfits. */
function noise(n: number, numClasses = 2): EncodedSplit {
  return {
    ids: Int32Array.from({ length: n * maxLen }, (_, i) => 2 + ((i * 7919) % 40)),
    labels: Int32Array.from({ length: n }, (_, i) => (i * 31) % numClasses),
    n,
  };
}

function tinyHyperparameters(overrides: Record<string, unknown> = {}): Hyperparameters {
  return resolveHyperparameters('fast', { maxLen, embedDim: 8, units: 8, epochs: 2, patience: 0, learningRate: 0.05, batchSize: 16, dropout: 0, vocabSize: 100, ...overrides });
}

async function train(tf: Tf, hp: Hyperparameters, classWeights: number[] | null = null, callbacks: FitCallbacks = {}) {
  const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 2 });
  const initial = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
  const result = await fit(tf, model, hp, { train: noise(48), validation: null, maxLen, numClasses: 2, classWeights }, callbacks);
  const final = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
  model.dispose();
  const moved = Math.sqrt(initial.flatMap((w, i) => w.map((v, j) => (final[i]![j]! - v) ** 2)).reduce((a, b) => a + b, 0));
  return { result, final, moved };
}

describe('fit', () => {
  it('computes binary and categorical cross-entropy per sample', async () => {
    const { tf } = await initBackend();
    const binary = crossEntropy(tf, tf.tensor2d([[0.9], [0.2]]), tf.tensor1d([1, 1], 'int32'), 2).dataSync();
    expect(binary[0]).toBeCloseTo(-Math.log(0.9), 5);
    expect(binary[1]).toBeCloseTo(-Math.log(0.2), 5);
    const multi = crossEntropy(tf, tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), tf.tensor1d([1, 2], 'int32'), 3).dataSync();
    expect(multi[0]).toBeCloseTo(-Math.log(0.2), 5);
    expect(multi[1]).toBeCloseTo(-Math.log(0.8), 5);
  });

  it('scores stored probabilities', () => {
    const p = Float32Array.from([0.8, 0.2, 0.4, 0.6, 0.5, 0.5]);
    const r = lossAndAccuracy(p, Int32Array.from([0, 0, 1]), 2);
    // Row 2 predicts 1 (wrong); row 3 is a tie, which goes to class 0 (wrong).
    expect(r.accuracy).toBeCloseTo(1 / 3, 10);
    expect(r.loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4) + Math.log(0.5)) / 3, 6);
  });

  it('sends p = 0.5 to class 0 in training accuracy too, as evaluation does', async () => {
    const { tf } = await initBackend();
    const hp = tinyHyperparameters({ epochs: 1, optimizer: 'sgd', learningRate: 1e-6 });
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 2 });
    const classifier = model.getLayer('classifier');
    const zeros = classifier.getWeights().map((w) => tf.zerosLike(w));
    classifier.setWeights(zeros);
    zeros.forEach((t) => t.dispose());
    const ones: EncodedSplit = { ...noise(16), labels: new Int32Array(16).fill(1) };
    const probabilities = predictProbabilities(tf, model, ones.ids, ones.n, maxLen, 2);
    expect(Array.from(new Set(probabilities))).toEqual([0.5]);
    expect(lossAndAccuracy(probabilities, ones.labels, 2).accuracy).toBe(0);
    const batches: number[] = [];
    await fit(tf, model, hp, { train: ones, validation: null, maxLen, numClasses: 2, classWeights: null }, { onBatch: (p) => batches.push(p.accuracy) });
    model.dispose();
    expect(batches).toEqual([0]);
  });

  it('stops early on validation loss and restores the best epoch', async () => {
    const { tf } = await initBackend();
    const data = noise(64);
    const hp = resolveHyperparameters('fast', { maxLen, embedDim: 8, units: 8, epochs: 40, patience: 2, learningRate: 0.05, batchSize: 16, dropout: 0, vocabSize: 100 });
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 2 });
    const result = await fit(tf, model, hp, {
      train: { ids: data.ids.subarray(0, 48 * maxLen), labels: data.labels.subarray(0, 48), n: 48 },
      validation: { ids: data.ids.subarray(48 * maxLen), labels: data.labels.subarray(48), n: 16 },
      maxLen,
      numClasses: 2,
      classWeights: [1, 1],
    });
    model.dispose();
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs.length).toBeLessThan(40);
    const best = Math.min(...result.epochs.map((e) => e.valLoss!));
    expect(result.epochs[result.bestEpoch - 1]!.valLoss).toBe(best);
    expect(result.bestEpoch).toBe(result.epochs.length - 2);
  });

  it('reports the unweighted training loss, and class weights still change the training', async () => {
    const { tf } = await initBackend();
    const firstLoss = (losses: number[]) => (p: { loss: number }) => void losses.push(p.loss);
    const plainLosses: number[] = [];
    const weightedLosses: number[] = [];
    const plain = await train(tf, tinyHyperparameters(), null, { onBatch: firstLoss(plainLosses) });
    const weighted = await train(tf, tinyHyperparameters(), [0.2, 5], { onBatch: firstLoss(weightedLosses) });
    // Batch 1 is scored before any update: same weights, same loss, whatever the class weights.
    expect(weightedLosses[0]).toBe(plainLosses[0]);
    expect(weighted.final).not.toEqual(plain.final);
    expect(weighted.result.epochs.at(-1)!.loss).not.toBe(plain.result.epochs.at(-1)!.loss);
  });

  it('clips gradients by their global norm', async () => {
    const { tf } = await initBackend();
    // Plain SGD, so a step is proportional to the (clipped) gradient.
    const free = await train(tf, tinyHyperparameters({ optimizer: 'sgd', learningRate: 0.5, epochs: 1 }));
    const clipped = await train(tf, tinyHyperparameters({ optimizer: 'sgd', learningRate: 0.5, epochs: 1, clipNorm: 1e-3 }));
    // 3 batches, each step at most learningRate × clipNorm long.
    const bound = 3 * 0.5 * 1e-3;
    expect(clipped.moved).toBeLessThanOrEqual(bound * 1.0001);
    expect(free.moved).toBeGreaterThan(10 * bound);
  });

  it('stops at the first batch whose loss is not a number, with what to change', async () => {
    const { tf } = await initBackend();
    const baseline = tf.memory().numTensors;
    const hp = tinyHyperparameters({ epochs: 3 });
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 2 });
    const seen: string[] = [];
    // Overflowing weights are what a too-high learning rate leaves behind; poison one directly,
    // since the clipped loss saturates instead of overflowing on a model this small.
    const onBatch = (p: { epoch: number; batch: number }) => {
      seen.push(`${p.epoch}.${p.batch}`);
      if (p.epoch !== 2 || p.batch !== 1) return;
      const classifier = model.getLayer('classifier');
      const [kernel, bias] = classifier.getWeights();
      const poisoned = tf.fill(bias!.shape, NaN);
      classifier.setWeights([kernel!, poisoned]);
      poisoned.dispose();
    };
    const run = fit(tf, model, hp, { train: noise(48), validation: noise(16), maxLen, numClasses: 2, classWeights: null }, { onBatch });
    await expect(run).rejects.toThrow(StudioError);
    await expect(run).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'training diverged at epoch 2, batch 2 (the loss is not a number): lower --learning-rate (now 0.05) or set --clip-norm 1',
    });
    expect(seen).toEqual(['1.1', '1.2', '1.3', '2.1']);
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('validates in batches derived from the training batch size, bounded for long rows', async () => {
    expect(predictionBatchSize(400, 32)).toBe(64);
    expect(predictionBatchSize(400, 256)).toBe(256);
    expect(predictionBatchSize(2000, 32)).toBe(32);
    expect(predictionBatchSize(2000)).toBe(16);
    expect(predictionBatchSize(8)).toBe(64);
    const { tf } = await initBackend();
    const hp = tinyHyperparameters({ epochs: 1 });
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 2 });
    const predict = vi.spyOn(model, 'predict');
    await fit(tf, model, hp, { train: noise(16), validation: noise(100), maxLen, numClasses: 2, classWeights: null });
    expect(predict.mock.calls.map(([, options]) => options?.batchSize)).toEqual([64, 36]);
    const validation = noise(100);
    expect(predictProbabilities(tf, model, validation.ids, 100, maxLen, 2, 7)).toEqual(predictProbabilities(tf, model, validation.ids, 100, maxLen, 2));
    // With progress: the same numbers, each batch reported, the event loop free in between.
    const reports: number[] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const scored = await predictProbabilitiesWithProgress(tf, model, validation.ids, 100, maxLen, 2, 40, (done, total) => reports.push(done / total));
    clearInterval(ticker);
    expect(scored).toEqual(predictProbabilities(tf, model, validation.ids, 100, maxLen, 2));
    expect(reports).toEqual([0.4, 0.8, 1]);
    expect(ticks).toBeGreaterThan(0);
    model.dispose();
  });

  it('leaves no tensor behind: batches, validation, clipping, class weights, restored best weights', async () => {
    const { tf } = await initBackend();
    const baseline = tf.memory().numTensors;
    const hp = tinyHyperparameters({ epochs: 4, patience: 1, clipNorm: 1, pooling: 'max', bidirectional: true });
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 2 });
    const result = await fit(tf, model, hp, { train: noise(48), validation: noise(16), maxLen, numClasses: 2, classWeights: [0.5, 2] });
    expect(result.epochs.length).toBeGreaterThan(1);
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
