/**
 * The model builder: with masking, padding never changes the output (pre or post, any amount),
 * for every sequence summary; every variant round-trips through the standard tfjs format; the
 * masking constants stay small, and building then disposing a model leaves no tensor behind.
 */
import { describe, expect, it } from 'vitest';
import { resolveHyperparameters } from '../../../src-main/common/hyperparameters';
import { initBackend } from '../../../src-main/node/train/backend';
import { buildModel } from '../../../src-main/node/train/model';
import { deserializeModel, serializeModel } from '../../../src-main/node/train/modelIo';

const variants = [
  { pooling: 'last', bidirectional: false, cell: 'lstm', layers: 1 },
  { pooling: 'last', bidirectional: true, cell: 'gru', layers: 2 },
  { pooling: 'mean', bidirectional: true, cell: 'lstm', layers: 1 },
  { pooling: 'max', bidirectional: true, cell: 'lstm', layers: 1 },
  { pooling: 'max', bidirectional: true, cell: 'lstm', layers: 1, embeddingDropout: 0.25 },
  { pooling: 'max', bidirectional: false, cell: 'gru', layers: 3 },
] as const;

describe('model builder', () => {
  for (const variant of variants) {
    it(`ignores padding when masked: ${JSON.stringify(variant)}`, async () => {
      const { tf } = await initBackend();
      const hp = resolveHyperparameters('accurate', { ...variant, maxLen: 10, embedDim: 8, units: 4, dropout: 0 });
      const model = buildModel(tf, hp, { vocabSize: 30, maxLen: 10, numClasses: 3 });
      const pre = tf.tensor2d([[0, 0, 0, 0, 0, 5, 6, 7, 8, 9], [0, 0, 0, 0, 0, 0, 0, 0, 3, 4]], [2, 10], 'int32');
      const post = tf.tensor2d([[5, 6, 7, 8, 9, 0, 0, 0, 0, 0], [3, 4, 0, 0, 0, 0, 0, 0, 0, 0]], [2, 10], 'int32');
      const a = (model.predict(pre) as import('@tensorflow/tfjs').Tensor).dataSync();
      const b = (model.predict(post) as import('@tensorflow/tfjs').Tensor).dataSync();
      expect(a).toHaveLength(6);
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
      const saved = await serializeModel(tf, model, '{}');
      const layerClasses = (JSON.parse(saved.modelJson).modelTopology.config.layers as { class_name: string }[]).map((l) => l.class_name);
      expect(layerClasses.every((c) => ['InputLayer', 'Embedding', 'LSTM', 'GRU', 'Bidirectional', 'Dense', 'Dropout', 'SpatialDropout1D', 'Dot', 'Reshape', 'Flatten', 'Activation', 'Add', 'GlobalMaxPooling1D', 'GlobalAveragePooling1D'].includes(c))).toBe(true);
      const reloaded = await deserializeModel(tf, saved.modelJson, saved.weights);
      const c = (reloaded.predict(pre) as import('@tensorflow/tfjs').Tensor).dataSync();
      c.forEach((v, i) => expect(v).toBe(a[i]));
    });
  }

  it('without masking, post padding changes the last state (the textbook collapse this guards against)', async () => {
    const { tf } = await initBackend();
    const hp = resolveHyperparameters('textbook', { maxLen: 10, embedDim: 8, units: 4, masking: false, dropout: 0 });
    const model = buildModel(tf, hp, { vocabSize: 30, maxLen: 10, numClasses: 2 });
    const short = (model.predict(tf.tensor2d([[5, 6, 0, 0, 0, 0, 0, 0, 0, 0]], [1, 10], 'int32')) as import('@tensorflow/tfjs').Tensor).dataSync()[0]!;
    const unpadded = (model.predict(tf.tensor2d([[0, 0, 0, 0, 0, 0, 0, 0, 5, 6]], [1, 10], 'int32')) as import('@tensorflow/tfjs').Tensor).dataSync()[0]!;
    expect(Math.abs(short - unpadded)).toBeGreaterThan(1e-6);
  });

  it('starts the two directions of a bidirectional layer from different weights', async () => {
    const { tf } = await initBackend();
    const hp = resolveHyperparameters('accurate', { maxLen: 10, embedDim: 8, units: 4 });
    const model = buildModel(tf, hp, { vocabSize: 30, maxLen: 10, numClasses: 2 });
    const layer = model.getLayer('bidirectional_1') as unknown as { forwardLayer: { getWeights(): import('@tensorflow/tfjs').Tensor[] }; backwardLayer: { getWeights(): import('@tensorflow/tfjs').Tensor[] } };
    const [fk] = layer.forwardLayer.getWeights();
    const [bk] = layer.backwardLayer.getWeights();
    expect(Array.from(fk!.dataSync())).not.toEqual(Array.from(bk!.dataSync()));
  });

  it('keeps the masked max pooling constants to one column per vocabulary row', async () => {
    const { tf } = await initBackend();
    const frozenWeights = (vocabSize: number, units: number) => {
      const hp = resolveHyperparameters('accurate', { pooling: 'max', bidirectional: true, maxLen: 10, embedDim: 8, units });
      const model = buildModel(tf, hp, { vocabSize, maxLen: 10, numClasses: 2 });
      const count = model.nonTrainableWeights.reduce((sum, w) => sum + w.read().size, 0);
      model.dispose();
      return count;
    };
    // 'ones' and 'pad_bias' grow by one value per extra word, whatever the width (was 1 + width).
    expect(frozenWeights(2000, 16) - frozenWeights(1000, 16)).toBe(2 * 1000);
    expect(frozenWeights(2000, 4) - frozenWeights(1000, 4)).toBe(2 * 1000);
  });

  for (const variant of variants) {
    it(`frees every tensor it made when the model is disposed: ${JSON.stringify(variant)}`, async () => {
      const { tf } = await initBackend();
      const baseline = tf.memory().numTensors;
      const hp = resolveHyperparameters('accurate', { ...variant, maxLen: 10, embedDim: 8, units: 4 });
      buildModel(tf, hp, { vocabSize: 30, maxLen: 10, numClasses: 3 }).dispose();
      expect(tf.memory().numTensors).toBe(baseline);
    });
  }
});
