/**
 * An LSTM/GRU layer (or both directions of a Bidirectional one) over a whole sequence as a single
 * tfjs op with its own gradient (tf.customGrad): forward and backward are one native call per
 * direction, so embeddings, dense layers, losses and optimizers stay in tfjs and the weights
 * remain the layers' own variables, which receive their gradients as the op's inputs.
 *
 * Data crosses into the addon as copies (dataSync on wasm already copies out of the wasm heap).
 * The forward cache (gate activations, cell and hidden states) lives in plain Float32Arrays held
 * by the gradient closure. Without a gradient tape (predict) nothing is cached: one scratch set,
 * grown to the largest layer seen and kept for the process, serves every call.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { FusedAddon } from './addon';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;

export type CellKind = 'lstm' | 'gru';

export interface RecurrentSpec {
  cell: CellKind;
  units: number;
  goBackwards: boolean;
  returnSequences: boolean;
}

const cellCode: Record<CellKind, number> = { lstm: 0, gru: 1 };
const gatesPerUnit: Record<CellKind, number> = { lstm: 4, gru: 3 };

interface Cache {
  gates: Float32Array;
  cells: Float32Array | null;
  hs: Float32Array;
}

let inferenceScratch: Cache | null = null;

function allocate(cell: CellKind, steps: number, units: number, reuse: boolean): Cache {
  const gates = steps * units * gatesPerUnit[cell];
  const states = steps * units;
  if (!reuse) return { gates: new Float32Array(gates), cells: cell === 'lstm' ? new Float32Array(states) : null, hs: new Float32Array(states) };
  const have = inferenceScratch;
  if (!have || have.gates.length < gates || have.hs.length < states || (cell === 'lstm' && (have.cells?.length ?? 0) < states)) {
    inferenceScratch = {
      gates: new Float32Array(Math.max(gates, have?.gates.length ?? 0)),
      cells: new Float32Array(Math.max(states, have?.cells?.length ?? 0)),
      hs: new Float32Array(Math.max(states, have?.hs.length ?? 0)),
    };
  }
  const s = inferenceScratch!;
  // The addon checks exact lengths, so hand it views of the size this call needs.
  return { gates: s.gates.subarray(0, gates), cells: cell === 'lstm' ? s.cells!.subarray(0, states) : null, hs: s.hs.subarray(0, states) };
}

function float32(t: Tensor): Float32Array {
  const data = t.dataSync();
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

/** A (B, T) mask as bytes, 0 = padding; tfjs hands masks over as bool or float tensors. */
export function maskBytes(mask: Tensor | null | undefined): Uint8Array | null {
  if (!mask) return null;
  const data = mask.dataSync();
  if (data instanceof Uint8Array && mask.dtype === 'bool') return data;
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) bytes[i] = data[i] ? 1 : 0;
  return bytes;
}

export interface Direction {
  spec: RecurrentSpec;
  kernel: Tensor;
  recurrentKernel: Tensor;
  bias: Tensor;
}

/**
 * x (B, T, D) -> (B, T, width) with returnSequences, else (B, width), with the semantics of
 * tfjs-layers' rnn(): zero initial state; at a masked step the state and the output carry the
 * previous step's; goBackwards reads inputs and mask in reverse.
 *
 * With one direction this is one LSTM/GRU layer (width = units; goBackwards outputs stay in the
 * order processed, as tfjs returns them). With two it is a Bidirectional layer in concat mode:
 * the second direction runs backwards and its outputs are put back in time order, each written
 * straight into its half of the concatenated output, so no Reverse/Concat/Split ops are needed
 * either way and dx of both directions is summed natively.
 */
export function fusedRecurrent(tf: Tf, addon: FusedAddon, directions: Direction[], x: Tensor, mask: Uint8Array | null): Tensor {
  const [B, T, D] = x.shape as [number, number, number];
  const width = directions.reduce((sum, d) => sum + d.spec.units, 0);
  const returnSequences = directions[0]!.spec.returnSequences;
  const bidirectional = directions.length > 1;
  const layout = directions.map((d, i) => {
    const H = d.spec.units;
    const G = gatesPerUnit[d.spec.cell] * H;
    if (d.kernel.shape[0] !== D || d.kernel.shape[1] !== G || d.recurrentKernel.shape[0] !== H || d.bias.shape[0] !== G) {
      throw new Error(`fused ${d.spec.cell}: weights [${d.kernel.shape}] [${d.recurrentKernel.shape}] [${d.bias.shape}] do not fit ${D} inputs and ${H} units`);
    }
    const offset = directions.slice(0, i).reduce((sum, e) => sum + e.spec.units, 0);
    const reverse = bidirectional && d.spec.goBackwards && returnSequences;
    const dims = Int32Array.of(B, T, D, H, d.spec.goBackwards ? 1 : 0, returnSequences ? 1 : 0, width, offset, reverse ? 1 : 0, i > 0 ? 1 : 0);
    return { H, G, dims, code: cellCode[d.spec.cell] };
  });
  const outShape = returnSequences ? [B, T, width] : [B, width];
  const recording = tf.engine().isTapeOn();

  const op = tf.customGrad((...args: Array<Tensor | tfTypes.GradSaveFunc>) => {
    const xData = float32(args[0] as Tensor);
    const weights = directions.map((_, i) => [1, 2, 3].map((k) => float32(args[3 * i + k] as Tensor)) as [Float32Array, Float32Array, Float32Array]);
    // Only one direction at a time uses the shared inference scratch.
    const caches = recording ? directions.map((d) => allocate(d.spec.cell, T * B, d.spec.units, false)) : null;
    const y = new Float32Array(outShape.reduce((a, b) => a * b, 1));
    const run = (i: number, cache: Cache) => {
      const { code, dims } = layout[i]!;
      const [w, u, b] = weights[i]!;
      addon.forward(code, dims, xData, w, u, b, mask, y, cache.gates, cache.cells, cache.hs);
    };
    directions.forEach((d, i) => run(i, caches?.[i] ?? allocate(d.spec.cell, T * B, d.spec.units, true)));
    const value = tf.tensor(y, outShape, 'float32');
    // Backward turns the cached gate activations into gate gradients in place; a second
    // gradient over the same forward (rare: two tapes) recomputes the cache first.
    let consumed = false;
    const gradFunc = (dy: Tensor): Tensor[] => {
      if (!caches) throw new Error('fused recurrent op: a gradient was requested without a gradient tape');
      if (consumed) directions.forEach((_, i) => run(i, caches[i]!));
      consumed = true;
      const dyData = float32(dy);
      const dx = new Float32Array(B * T * D);
      const grads: Tensor[] = [];
      directions.forEach((_, i) => {
        const { code, dims, H, G } = layout[i]!;
        const [w, u] = weights[i]!;
        const cache = caches[i]!;
        const dKernel = new Float32Array(D * G);
        const dRecurrent = new Float32Array(H * G);
        const dBias = new Float32Array(G);
        addon.backward(code, dims, xData, w, u, mask, cache.gates, cache.cells, cache.hs, dyData, dx, dKernel, dRecurrent, dBias);
        grads.push(tf.tensor(dKernel, [D, G]), tf.tensor(dRecurrent, [H, G]), tf.tensor(dBias, [G]));
      });
      return [tf.tensor(dx, [B, T, D]), ...grads];
    };
    return { value, gradFunc };
  });
  return op(x, ...directions.flatMap((d) => [d.kernel, d.recurrentKernel, d.bias]));
}
