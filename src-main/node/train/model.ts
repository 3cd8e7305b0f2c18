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
 * The padding penalty is one column (vocab × 1) that Add broadcasts over the width: a vocab × width
 * table would cost as much as the embedding itself. Every constant is one column or width × width.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Hyperparameters } from '../../common/hyperparameters';
import { useSummaryShortcuts } from './summaryShortcuts';
import type { KernelsChoice } from './fused/addon';
import { useSelectedKernels } from './fused/patch';

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

/** Constant tensors handed to layers as initial weights; the layers hold their own reference. */
type Constants = tfTypes.Tensor[];

/** A frozen (B, T, 1) embedding of the ids: `padPenalty` on padding (index 0), 0 on every token. */
function padIndicator(tf: Tf, ids: SymbolicTensor, shape: ModelShape, constants: Constants): SymbolicTensor {
  const rows = tf.buffer([shape.vocabSize, 1], 'float32');
  rows.set(padPenalty, 0, 0);
  const weights = rows.toTensor();
  constants.push(weights);
  const layer = tf.layers.embedding({ inputDim: shape.vocabSize, outputDim: 1, trainable: false, weights: [weights], name: 'pad_bias' });
  return layer.apply(ids) as SymbolicTensor;
}

/**
 * The same values without the mask. Dot is the only built-in layer that drops one without
 * consuming it, so this multiplies by a per-sample identity: ones -> Dense without bias whose
 * kernel is the flattened identity (wasm's fused MatMul rejected a bias-only variant). It is not
 * cheap: width² multiply-adds per token each way, and on the accurate preset (BiLSTM(64), batches
 * of 64 × 400 tokens, wasm) training steps took 4.7-5.5 s with it against 3.3-4.6 s when the
 * mask was dropped by a tfjs quirk instead (tfjs' Add takes the mask of its first input only;
 * Keras combines both, so that model would not load the same elsewhere). Concatenate, Reshape,
 * Masking and the pooling layers keep or reject masks, so nothing cheaper and portable is left.
 */
function dropMask(tf: Tf, ids: SymbolicTensor, outputs: SymbolicTensor, shape: ModelShape, constants: Constants): SymbolicTensor {
  const width = outputs.shape[2]!;
  const ones = tf.layers.embedding({ inputDim: shape.vocabSize, outputDim: 1, trainable: false, embeddingsInitializer: 'ones', name: 'ones' }).apply(ids) as SymbolicTensor;
  const one = tf.layers.globalAveragePooling1d({ name: 'one' }).apply(ones) as SymbolicTensor;
  const flatIdentity = tf.tidy(() => tf.eye(width).reshape([1, width * width]));
  constants.push(flatIdentity);
  const identity = tf.layers.dense({ units: width * width, useBias: false, trainable: false, weights: [flatIdentity], name: 'identity_flat' }).apply(one) as SymbolicTensor;
  const eye = tf.layers.reshape({ targetShape: [width, width], name: 'identity' }).apply(identity) as SymbolicTensor;
  return tf.layers.dot({ axes: [2, 1], name: 'drop_mask' }).apply([outputs, eye]) as SymbolicTensor;
}

function summarize(tf: Tf, hp: Hyperparameters, ids: SymbolicTensor, outputs: SymbolicTensor, shape: ModelShape, constants: Constants): SymbolicTensor {
  if (hp.pooling === 'last') return outputs;
  const width = outputs.shape[2]!;
  if (!hp.masking) {
    const pool = hp.pooling === 'max' ? tf.layers.globalMaxPooling1d({ name: 'max_pool' }) : tf.layers.globalAveragePooling1d({ name: 'mean_pool' });
    return pool.apply(outputs) as SymbolicTensor;
  }
  const bias = padIndicator(tf, ids, shape, constants);
  if (hp.pooling === 'mean') {
    // tfjs softmax works on the last axis only: flatten (B,T,1) to (B,T), softmax, back to (B,T,1).
    const flat = tf.layers.flatten({ name: 'pad_bias_flat' }).apply(bias) as SymbolicTensor;
    const soft = tf.layers.activation({ activation: 'softmax', name: 'length_softmax' }).apply(flat) as SymbolicTensor;
    const weights = tf.layers.reshape({ targetShape: [shape.maxLen, 1], name: 'length_weights' }).apply(soft) as SymbolicTensor;
    const summed = tf.layers.dot({ axes: 1, name: 'mean_over_length' }).apply([outputs, weights]) as SymbolicTensor;
    return tf.layers.reshape({ targetShape: [width], name: 'mean_pool' }).apply(summed) as SymbolicTensor;
  }
  // (B,T,width) + (B,T,1): Add broadcasts like numpy, in tfjs and in Keras.
  const penalised = tf.layers.add({ name: 'mask_padding' }).apply([dropMask(tf, ids, outputs, shape, constants), bias]) as SymbolicTensor;
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

export interface BuildOptions {
  /**
   * Whose kernels compute the LSTM/GRU layers; default: the ones the backend selected. The model
   * (layers, config, weights) is the same either way: `fused` only replaces what the layer
   * instances compute (see ./fused/patch).
   */
  kernels?: KernelsChoice;
}

export function buildModel(tf: Tf, hp: Hyperparameters, shape: ModelShape, options: BuildOptions = {}): tfTypes.LayersModel {
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
  // SpatialDropout1D drops whole channels for a review, so neighbouring words cannot stand in for
  // a dropped one; it passes the padding mask through.
  if (hp.embeddingDropout > 0) x = tf.layers.spatialDropout1d({ rate: hp.embeddingDropout, seed: seed + 17, name: 'embedding_dropout' }).apply(x) as SymbolicTensor;
  for (let i = 0; i < hp.layers; i++) {
    const last = i === hp.layers - 1;
    x = recurrentLayer(tf, hp, i, !last || hp.pooling !== 'last', seed).apply(x) as SymbolicTensor;
  }
  const constants: Constants = [];
  try {
    x = summarize(tf, hp, ids, x, shape, constants);
  } finally {
    // The layers' variables now share the values (reference-counted); these handles are ours.
    constants.forEach((t) => t.dispose());
  }
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
  useSelectedKernels(tf, model, options.kernels);
  useSummaryShortcuts(tf, model.layers);
  return model;
}
