/**
 * Cheaper computation, same values, for two layers of the masked max-pooling summary (model.ts):
 * - `drop_mask` multiplies by an identity matrix only so that the exported model drops the mask
 *   with built-in layers. x·I is exactly x, so the instance returns its input instead.
 * - GlobalMaxPooling1D's tfjs gradient compares every input with the maximum (Equal with
 *   broadcasting, slow on wasm). Here the forward pass remembers where each maximum was and the
 *   gradient goes there (on exact ties, to the first position rather than to all of them).
 * Measured on the accurate preset's shape (BiLSTM 64 × 2, 400 tokens, batch 64, fused kernels):
 * the identity product cost about 0.9 s and Equal about 0.4 s of a ~1.5 s training step.
 *
 * Like the fused kernels, this replaces what the layer instances compute, never the layers
 * themselves: model.json, the weights and what plain tfjs computes from them stay the same.
 */
import type * as tfTypes from '@tensorflow/tfjs';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;
type Layer = tfTypes.layers.Layer;

const patched = new WeakSet<object>();

function firstInput(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** Max over axis 1 of a (B, T, W) tensor, with a gradient routed to the arg-max positions. */
export function maxOverTime(tf: Tf, x: Tensor): Tensor {
  const op = tf.customGrad((...args: Array<Tensor | tfTypes.GradSaveFunc>) => {
    const input = args[0] as Tensor;
    const [batch, steps, width] = input.shape as [number, number, number];
    const data = input.dataSync() as Float32Array;
    const max = new Float32Array(batch * width);
    const at = new Int32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const row = b * width;
      max.set(data.subarray(b * steps * width, b * steps * width + width), row);
      for (let t = 1; t < steps; t++) {
        const base = (b * steps + t) * width;
        for (let w = 0; w < width; w++) {
          const v = data[base + w]!;
          const current = max[row + w]!;
          // NaN wins and stays, as in tf.max, so a diverging run is still caught by its loss.
          if (current !== current) continue;
          if (v > current || v !== v) {
            max[row + w] = v;
            at[row + w] = t;
          }
        }
      }
    }
    return {
      value: tf.tensor2d(max, [batch, width]),
      gradFunc: (dy: Tensor) => {
        const g = dy.dataSync();
        const dx = new Float32Array(batch * steps * width);
        for (let b = 0; b < batch; b++) {
          for (let w = 0; w < width; w++) dx[(b * steps + at[b * width + w]!) * width + w] = g[b * width + w]!;
        }
        return tf.tensor3d(dx, [batch, steps, width]);
      },
    };
  });
  return op(x) as Tensor;
}

/** Applies both shortcuts to a built or loaded model's layers; returns how many it patched. */
export function useSummaryShortcuts(tf: Tf, layers: readonly Layer[]): number {
  let count = 0;
  for (const layer of layers) {
    if (patched.has(layer)) continue;
    const instance = layer as unknown as { call: (inputs: Tensor | Tensor[], kwargs: object) => Tensor | Tensor[] };
    if (layer.name === 'drop_mask' && layer.getClassName() === 'Dot') {
      // A new tensor handle: the model's executor disposes intermediates by handle.
      instance.call = (inputs) => tf.clone(firstInput(inputs));
    } else if (layer.getClassName() === 'GlobalMaxPooling1D') {
      instance.call = (inputs) => maxOverTime(tf, firstInput(inputs));
    } else {
      continue;
    }
    patched.add(layer);
    count++;
  }
  return count;
}
