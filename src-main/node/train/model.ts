/**
 * Embedding -> LSTM/GRU (1-3 layers, optionally bidirectional) -> sequence summary -> dropout ->
 * Dense. Built only from tfjs-layers' own classes, so an exported model.json loads with plain
 * `tf.loadLayersModel` and no code of ours.
 *
 * Masking: with `masking`, index 0 (padding) is masked, so padded positions never feed the
 * recurrent state. tfjs pooling layers refuse masks, and the only built-in layers that consume a
 * mask are a recurrent layer without returnSequences (`last`) and `Dot`. So the masked summaries
 * are built from Dot and fixed (non-trainable) embeddings of the token ids:
 * - mean: weights softmax(padBias) over time are 1/length on real tokens and 0 on padding;
 *   Dot(outputs, weights) is the mean over the true length.
 * - max: outputs pass through Dot with an identity matrix (dropping the mask, values unchanged),
 *   get -1e4 added on padded positions, then GlobalMaxPooling1D takes the max over real tokens.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Hyperparameters } from '../../common/hyperparameters';

type Tf = typeof tfTypes;
type SymbolicTensor = tfTypes.SymbolicTensor;

/** Large enough that softmax and max ignore padded positions, small enough to stay finite in float32. */
const padPenalty = -1e4;

export interface ModelShape {
  /** Rows of the embedding: the tokenizer's vocabulary size (padding and OOV included). */
  vocabSize: number;
  maxLen: number;
  numClasses: number;
}

function recurrentLayer(tf: Tf, hp: Hyperparameters, index: number, returnSequences: boolean, seed: number) {
  const options = {
    units: hp.units,
    returnSequences,
    // Keras' default since TF 2 (tfjs still defaults to hardSigmoid, which also costs extra backward kernels).
    recurrentActivation: 'sigmoid' as const,
    dropout: hp.dropout > 0 && index > 0 ? hp.dropout : 0,
    recurrentDropout: hp.recurrentDropout,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 11 * index }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 13 * index, gain: 1 }),
    name: `${hp.cell}_${index + 1}`,
  };
  const layer = hp.cell === 'gru' ? tf.layers.gru(options) : tf.layers.lstm(options);
  if (!hp.bidirectional) return layer;
  return tf.layers.bidirectional({ layer: layer as tfTypes.RNN, mergeMode: 'concat', name: `bidirectional_${index + 1}` });
}

/** A frozen embedding of the ids whose row 0 (padding) is `padValue` and every other row 0. */
function padIndicator(tf: Tf, ids: SymbolicTensor, shape: ModelShape, width: number, name: string): SymbolicTensor {
  const weights = tf.tidy(() => {
    const rows = tf.buffer([shape.vocabSize, width], 'float32');
    for (let j = 0; j < width; j++) rows.set(padPenalty, 0, j);
    return rows.toTensor();
  });
  const layer = tf.layers.embedding({ inputDim: shape.vocabSize, outputDim: width, trainable: false, weights: [weights], name });
  return layer.apply(ids) as SymbolicTensor;
}

function summarize(tf: Tf, hp: Hyperparameters, ids: SymbolicTensor, outputs: SymbolicTensor, shape: ModelShape): SymbolicTensor {
  if (hp.pooling === 'last') return outputs;
  const width = outputs.shape[2]!;
  if (!hp.masking) {
    const pool = hp.pooling === 'max' ? tf.layers.globalMaxPooling1d({ name: 'max_pool' }) : tf.layers.globalAveragePooling1d({ name: 'mean_pool' });
    return pool.apply(outputs) as SymbolicTensor;
  }
  if (hp.pooling === 'mean') {
    const bias = padIndicator(tf, ids, shape, 1, 'pad_bias');
    // tfjs softmax works on the last axis only: flatten (B,T,1) to (B,T), softmax, back to (B,T,1).
    const flat = tf.layers.flatten({ name: 'pad_bias_flat' }).apply(bias) as SymbolicTensor;
    const soft = tf.layers.activation({ activation: 'softmax', name: 'length_softmax' }).apply(flat) as SymbolicTensor;
    const weights = tf.layers.reshape({ targetShape: [shape.maxLen, 1], name: 'length_weights' }).apply(soft) as SymbolicTensor;
    const summed = tf.layers.dot({ axes: 1, name: 'mean_over_length' }).apply([outputs, weights]) as SymbolicTensor;
    return tf.layers.reshape({ targetShape: [width], name: 'mean_pool' }).apply(summed) as SymbolicTensor;
  }
  // max: an identity matrix per sample, made from the ids by layers whose weights are constants
  // (ones -> Dense without bias whose kernel is the flattened identity; wasm's fused MatMul
  // rejected the bias-based variant).
  const ones = tf.layers.embedding({ inputDim: shape.vocabSize, outputDim: 1, trainable: false, embeddingsInitializer: 'ones', name: 'ones' }).apply(ids) as SymbolicTensor;
  const one = tf.layers.globalAveragePooling1d({ name: 'one' }).apply(ones) as SymbolicTensor;
  const identity = tf.layers
    .dense({ units: width * width, useBias: false, trainable: false, weights: [tf.eye(width).reshape([1, width * width])], name: 'identity_flat' })
    .apply(one) as SymbolicTensor;
  const eye = tf.layers.reshape({ targetShape: [width, width], name: 'identity' }).apply(identity) as SymbolicTensor;
  const unmasked = tf.layers.dot({ axes: [2, 1], name: 'drop_mask' }).apply([outputs, eye]) as SymbolicTensor;
  const bias = padIndicator(tf, ids, shape, width, 'pad_bias');
  const penalised = tf.layers.add({ name: 'mask_padding' }).apply([unmasked, bias]) as SymbolicTensor;
  return tf.layers.globalMaxPooling1d({ name: 'max_pool' }).apply(penalised) as SymbolicTensor;
}

/**
 * tfjs builds a Bidirectional's backward layer from the forward layer's config, seeds included, so
 * both directions would start from identical weights: give the backward one its own draw.
 */
function reseedBackwardLayers(tf: Tf, model: tfTypes.LayersModel, seed: number): void {
  model.layers.forEach((layer, index) => {
    const backward = (layer as unknown as { backwardLayer?: tfTypes.layers.Layer }).backwardLayer;
    if (!backward) return;
    const [kernel, recurrent, bias] = backward.getWeights();
    const fresh = tf.tidy(() => [
      tf.initializers.glorotUniform({ seed: seed + 101 * (index + 1) }).apply(kernel!.shape) as tfTypes.Tensor,
      tf.initializers.orthogonal({ seed: seed + 103 * (index + 1), gain: 1 }).apply(recurrent!.shape) as tfTypes.Tensor,
      bias!.clone(),
    ]);
    backward.setWeights(fresh);
    fresh.forEach((t) => t.dispose());
  });
}

export function buildModel(tf: Tf, hp: Hyperparameters, shape: ModelShape): tfTypes.LayersModel {
  const seed = hp.seed;
  const ids = tf.input({ shape: [shape.maxLen], dtype: 'int32', name: 'token_ids' });
  let x = tf.layers
    .embedding({
      inputDim: shape.vocabSize,
      outputDim: hp.embedDim,
      maskZero: hp.masking,
      trainable: !hp.freezeEmbedding,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
      name: 'embedding',
    })
    .apply(ids) as SymbolicTensor;
  for (let i = 0; i < hp.layers; i++) {
    const last = i === hp.layers - 1;
    x = recurrentLayer(tf, hp, i, !last || hp.pooling !== 'last', seed).apply(x) as SymbolicTensor;
  }
  x = summarize(tf, hp, ids, x, shape);
  if (hp.dropout > 0) x = tf.layers.dropout({ rate: hp.dropout, name: 'dropout' }).apply(x) as SymbolicTensor;
  const binary = shape.numClasses === 2;
  const output = tf.layers
    .dense({
      units: binary ? 1 : shape.numClasses,
      activation: binary ? 'sigmoid' : 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 7 }),
      name: 'classifier',
    })
    .apply(x) as SymbolicTensor;
  const model = tf.model({ inputs: ids, outputs: output, name: 'sentiment_classifier' });
  if (hp.bidirectional) reseedBackwardLayers(tf, model, seed);
  return model;
}
