/**
 * The training loop's arithmetic: cross-entropy, loss and accuracy of stored probabilities,
 * class weights and clipping taking effect.
 */
import { describe, expect, it } from 'vitest';
import { resolveHyperparameters } from '../../../src-main/common/hyperparameters';
import { initBackend } from '../../../src-main/node/train/backend';
import { crossEntropy, fit, lossAndAccuracy } from '../../../src-main/node/train/fit';
import { buildModel } from '../../../src-main/node/train/model';

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

  it('stops early on validation loss and restores the best epoch', async () => {
    const { tf } = await initBackend();
    // Labels that are pure noise: validation loss rises once the model memorises the training set.
    const n = 64;
    const ids = Int32Array.from({ length: n * 8 }, (_, i) => 2 + ((i * 7919) % 40));
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 31) % 2);
    const hp = resolveHyperparameters('fast', { maxLen: 8, embedDim: 8, units: 8, epochs: 40, patience: 2, learningRate: 0.05, batchSize: 16, dropout: 0, vocabSize: 100 });
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen: 8, numClasses: 2 });
    const result = await fit(tf, model, hp, {
      train: { ids: ids.subarray(0, 48 * 8), labels: labels.subarray(0, 48), n: 48 },
      validation: { ids: ids.subarray(48 * 8), labels: labels.subarray(48), n: 16 },
      maxLen: 8,
      numClasses: 2,
      classWeights: [1, 1],
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs.length).toBeLessThan(40);
    const best = Math.min(...result.epochs.map((e) => e.valLoss!));
    expect(result.epochs[result.bestEpoch - 1]!.valLoss).toBe(best);
    expect(result.bestEpoch).toBe(result.epochs.length - 2);
  });
});
