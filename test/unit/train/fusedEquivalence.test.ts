/**
 * The fused LSTM/GRU kernels against tfjs-layers' own cells, on the same layer configs and
 * weights: outputs and gradients (inputs, kernel, recurrentKernel, bias) on random inputs with
 * masks of every shape the studio produces (pre- and post-padding, a single real token, no real
 * token), for returnSequences true/false, goBackwards, Bidirectional and two stacked layers.
 * tfjs' op-by-op cells are the reference; both run on the wasm backend.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/node/train/backend';
import { loadFusedAddon, type FusedAddon } from '../../../src-main/node/train/fused/addon';
import { isFused, useFusedKernels } from '../../../src-main/node/train/fused/patch';
import { seededRandom } from '../../../src-main/node/train/random';

type Tf = typeof tfTypes;
type Tensor = tfTypes.Tensor;
type Layer = tfTypes.layers.Layer;

const B = 7;
const T = 7;
const D = 3;
/** Not a multiple of any vector width (4, 8, 16), so the partial-vector paths run too. */
const H = 20;
/** One row per padding shape; B = 7 rows do not split evenly over 2 threads. */
const maskRows = [
  [1, 1, 1, 1, 1, 1, 1],
  [0, 0, 0, 1, 1, 1, 1], // pre-padding
  [1, 1, 1, 1, 0, 0, 0], // post-padding
  [0, 0, 0, 0, 0, 0, 1], // one real token, pre-padded
  [1, 0, 0, 0, 0, 0, 0], // one real token, post-padded
  [0, 0, 0, 0, 0, 0, 0], // nothing real: the output stays the zero initial state
  [0, 1, 1, 0, 1, 1, 0], // holes: not produced by padding, but the semantics must still hold
];
const tolerance = 1e-4;

let tf: Tf;
let addon: FusedAddon;
const initialIsa = { isa: '', threads: 0 };

beforeAll(async () => {
  tf = (await initBackend()).tf;
  const loaded = loadFusedAddon();
  if ('error' in loaded) throw new Error(`the fused kernels must be built for these tests (npm run build:native): ${loaded.error}`);
  addon = loaded.addon;
  const caps = addon.capabilities();
  initialIsa.isa = caps.isa;
  initialIsa.threads = caps.threads;
});

afterAll(() => {
  addon.configure(initialIsa.threads, initialIsa.isa as 'avx512');
});

/** max |a - b| / max |b|: elementwise relative error is meaningless for entries near zero. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

interface Case {
  cell: 'lstm' | 'gru';
  returnSequences: boolean;
  goBackwards?: boolean;
  bidirectional?: boolean;
  layers?: 1 | 2;
  masked?: boolean;
}

function makeLayers(c: Case): Layer[] {
  const build = (index: number): Layer => {
    const last = index === (c.layers ?? 1) - 1;
    const config = {
      units: H,
      recurrentActivation: 'sigmoid' as const,
      returnSequences: last ? c.returnSequences : true,
      goBackwards: c.goBackwards ?? false,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 + index }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: 2 + index }),
      // Non-zero biases, so a bias gradient routed to the wrong gate cannot cancel out.
      biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 + index }),
    };
    const layer = c.cell === 'lstm' ? tf.layers.lstm(config) : tf.layers.gru(config);
    return c.bidirectional ? tf.layers.bidirectional({ layer: layer as tfTypes.RNN, mergeMode: 'concat' }) : layer;
  };
  return Array.from({ length: c.layers ?? 1 }, (_, i) => build(i));
}

/** Runs the stack on x with the mask; returns the output and the gradients of sum(out * R). */
function outputsAndGradients(layers: Layer[], x: tfTypes.Variable, mask: Tensor | null): Float32Array[] {
  const weights = layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tfTypes.Variable));
  let output: Tensor | null = null;
  const { grads } = tf.variableGrads(() => {
    let h: Tensor = x;
    for (const layer of layers) h = layer.call(h, { mask, training: true }) as Tensor;
    output = tf.keep(h);
    const r = tf.randomUniform(h.shape, -1, 1, 'float32', 17);
    return tf.sum(tf.mul(h, r)) as tfTypes.Scalar;
  }, [x, ...weights]);
  const result = [output!, ...[x, ...weights].map((v) => grads[v.name]!)].map((t) => t.dataSync() as Float32Array);
  tf.dispose([output!, ...Object.values(grads)]);
  return result;
}

function compare(c: Case): number[] {
  return tf.tidy(() => {
    const reference = makeLayers(c);
    const fused = makeLayers(c);
    const x = tf.variable(tf.randomNormal([B, T, D], 0, 1, 'float32', 5));
    const mask = c.masked === false ? null : tf.tensor2d(maskRows, [B, T]).cast('bool');
    // Eager apply builds the layers; then both stacks get identical weights.
    let h: Tensor = x;
    let g: Tensor = x;
    reference.forEach((layer, i) => {
      h = layer.apply(h, { mask }) as Tensor;
      g = fused[i]!.apply(g, { mask }) as Tensor;
      fused[i]!.setWeights(layer.getWeights());
    });
    expect(useFusedKernels(tf, addon, fused)).toEqual({ fused: fused.length * (c.bidirectional ? 2 : 1), tfjs: 0 });
    // Bidirectional layers run both directions as one op, not as two patched inner layers.
    expect(fused.map(isFused)).toEqual(fused.map(() => true));
    const expected = outputsAndGradients(reference, x, mask);
    const actual = outputsAndGradients(fused, x, mask);
    x.dispose();
    [...reference, ...fused].forEach((l) => l.dispose());
    return actual.map((a, i) => relativeError(a, expected[i]!));
  });
}

const cases: Case[] = [];
for (const cell of ['lstm', 'gru'] as const) {
  for (const returnSequences of [false, true]) {
    cases.push({ cell, returnSequences });
    cases.push({ cell, returnSequences, goBackwards: true });
    cases.push({ cell, returnSequences, bidirectional: true });
  }
  cases.push({ cell, returnSequences: false, layers: 2 });
  cases.push({ cell, returnSequences: true, layers: 2, bidirectional: true });
  cases.push({ cell, returnSequences: false, masked: false });
}

function label(c: Case): string {
  const parts = [c.cell, c.returnSequences ? 'returnSequences' : 'last output'];
  if (c.goBackwards) parts.push('goBackwards');
  if (c.bidirectional) parts.push('bidirectional');
  if (c.layers === 2) parts.push('2 layers');
  if (c.masked === false) parts.push('no mask');
  return parts.join(', ');
}

describe('fused recurrent kernels match tfjs-layers', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s: outputs and all gradients', (_, c) => {
    const errors = compare(c);
    // output, dx, then kernel / recurrentKernel / bias per layer (and direction)
    expect(errors.length).toBe(2 + 3 * (c.layers ?? 1) * (c.bidirectional ? 2 : 1));
    for (const e of errors) expect(e).toBeLessThan(tolerance);
  });

  it('every instruction set and thread count this CPU has gives the same answers', () => {
    const { isas } = addon.capabilities();
    for (const isa of isas) {
      for (const threads of [1, 3]) {
        addon.configure(threads, isa);
        for (const c of [cases[4]!, cases[3 + cases.length / 2]!]) {
          const errors = compare(c);
          for (const e of errors) expect(e, `${isa}, ${threads} threads, ${label(c)}`).toBeLessThan(tolerance);
        }
      }
    }
    addon.configure(initialIsa.threads, initialIsa.isa as 'avx512');
  });

  it.each(['lstm', 'gru'] as const)('%s input dropout: the same mask tfjs draws (one per sample and feature, every step)', (cell) => {
    const saved = Math.random;
    try {
      const [reference, fused] = [0, 1].map(() => {
        const config = { units: H, recurrentActivation: 'sigmoid' as const, returnSequences: true, dropout: 0.4, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) };
        return cell === 'lstm' ? tf.layers.lstm(config) : tf.layers.gru(config);
      });
      const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 6);
      const mask = tf.tensor2d(maskRows, [B, T]).cast('bool');
      reference!.apply(x, { mask });
      fused!.apply(x, { mask });
      fused!.setWeights(reference!.getWeights());
      useFusedKernels(tf, addon, [fused!]);
      // tfjs seeds each dropout draw from Math.random; both paths make the same first draw.
      const run = (layer: Layer) => {
        Math.random = seededRandom(99);
        return layer.call(x, { mask, training: true }) as Tensor;
      };
      const expected = run(reference!);
      const actual = run(fused!);
      expect(relativeError(actual.dataSync() as Float32Array, expected.dataSync() as Float32Array)).toBeLessThan(tolerance);
      // And the draw really dropped something: without dropout the outputs differ.
      const undropped = fused!.call(x, { mask, training: false }) as Tensor;
      expect(relativeError(undropped.dataSync() as Float32Array, expected.dataSync() as Float32Array)).toBeGreaterThan(0.01);
      tf.dispose([x, mask, expected, actual, undropped]);
      reference!.dispose();
      fused!.dispose();
    } finally {
      Math.random = saved;
    }
  });

  it('refuses dimensions that would overflow its bounds checks instead of writing past an array', () => {
    // B, T, D, H, goBackwards, returnSequences, outStride, outOffset, outReverse, accumulateDx
    const call = (dims: number[]) => () =>
      addon.forward(0, Int32Array.from(dims), new Float32Array(4), new Float32Array(16), new Float32Array(16), new Float32Array(4), null, new Float32Array(4), new Float32Array(16), new Float32Array(4), new Float32Array(4));
    expect(call([1, 1, 1, 1, 0, 0, 1, 2 ** 31 - 1, 0, 0])).toThrow(/outOffset \+ units must fit in outStride/);
    expect(call([1, 1, 1, 2 ** 30, 0, 0, 2 ** 30, 0, 0, 0])).toThrow(/units out of range/);
  });

  it('leaves layers it cannot run (hardSigmoid, recurrent dropout) on tfjs', () => {
    const hard = tf.layers.lstm({ units: 4 });
    const recurrentDropout = tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', recurrentDropout: 0.2 });
    const fine = tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', dropout: 0.2 });
    expect(useFusedKernels(tf, addon, [hard, recurrentDropout, fine])).toEqual({ fused: 1, tfjs: 2 });
    expect([isFused(hard), isFused(recurrentDropout), isFused(fine)]).toEqual([false, false, true]);
  });
});
