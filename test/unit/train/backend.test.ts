/**
 * The training backend: which one starts, what happens when the asked-for one is missing, and the
 * wasm kernels we register or replace, checked against tfjs's cpu backend on small random data
 * (cpu is used here only as the reference; training never runs on it).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type * as tfTypes from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../src-main/common/errors';
import { backendEnvVar, backendRecord, initBackend, type BackendInfo } from '../../../src-main/node/train/backend';
import { installWasmKernels } from '../../../src-main/node/train/kernels/wasm';

type Tf = typeof tfTypes;

const root = join(import.meta.dirname, '../../..');
const savedEnv = { backend: process.env[backendEnvVar] };
let info: BackendInfo;
let tf: Tf;

beforeAll(async () => {
  delete process.env[backendEnvVar];
  info = await initBackend();
  tf = info.tf;
  // The cpu backend greets Node users with a banner on first use; it is only our reference here.
  (tf.findBackend('cpu') as unknown as { firstUse: boolean }).firstUse = false;
});

afterAll(() => {
  if (savedEnv.backend === undefined) delete process.env[backendEnvVar];
  else process.env[backendEnvVar] = savedEnv.backend;
});

/** A tiny deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `compute` on wasm and on cpu; returns both results as flat arrays per output. */
async function onWasmAndCpu(compute: () => tfTypes.Tensor | tfTypes.Tensor[]): Promise<{ wasm: number[][]; cpu: number[][] }> {
  const run = () => {
    const out = tf.tidy(compute);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => Array.from(t.dataSync()));
    tf.dispose(list);
    return values;
  };
  const wasm = run();
  await tf.setBackend('cpu');
  try {
    return { wasm, cpu: run() };
  } finally {
    await tf.setBackend('wasm');
  }
}

function expectClose(actual: number[][], expected: number[][], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, i) => {
    expect(values.length).toBe(expected[i]!.length);
    values.forEach((v, j) => expect(Math.abs(v - expected[i]![j]!)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(expected[i]![j]!))));
  });
}

describe('initBackend', () => {
  it('starts WebAssembly here (tfjs-node is not installed) and says so', async () => {
    expect(info.name).toBe('wasm');
    expect(info.label).toMatch(/^wasm \((no )?SIMD, 1 thread\)$/);
    expect(info.threads).toBe(1);
    // The fused native kernels when the addon is built (npm install builds it), else tfjs's cells.
    expect(info.kernels).toMatch(/^(tfjs|fused \((avx512|avx2|generic), \d+ threads?\))$/);
    expect(tf.getBackend()).toBe('wasm');
    expect(await initBackend()).toBe(info);
    expect(await initBackend({ prefer: 'wasm' })).toBe(info);
    expect(backendRecord(info)).toEqual({ backend: 'wasm', label: info.label, simd: info.simd, threads: 1, kernels: info.kernels, tfjs: tf.version.tfjs });
  });

  it('refuses prefer: node with what to install', async () => {
    const error = await initBackend({ prefer: 'node' }).catch((e: unknown) => e);
    expect(StudioError.is(error)).toBe(true);
    expect((error as StudioError).code).toBe('unsupported');
    expect((error as StudioError).message).toContain('npm install @tensorflow/tfjs-node');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('refuses a backend name it does not know, rather than guessing', async () => {
    process.env[backendEnvVar] = 'cpu';
    try {
      await expect(initBackend()).rejects.toThrow(/SENTIMENT_STUDIO_BACKEND=cpu is not a training backend/);
    } finally {
      delete process.env[backendEnvVar];
    }
  });

  it(`fails a fresh process with ${backendEnvVar}=node with what to install`, async () => {
    const script = [
      `import { initBackend } from ${JSON.stringify(join(root, 'src-main/node/train/backend.ts'))};`,
      `initBackend().then((i) => console.log(JSON.stringify({ started: i.name })), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, [backendEnvVar]: 'node' },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code?: string; message?: string; started?: string };
    expect(result.started).toBeUndefined();
    expect(result.code).toBe('unsupported');
    expect(result.message).toContain(`${backendEnvVar}=node`);
    expect(result.message).toContain('npm install @tensorflow/tfjs-node');
  });
});

describe('wasm kernels', () => {
  it('are ours, not the stock ones, in these comparisons', () => {
    expect(installWasmKernels()).toBe('patched');
  });

  it('UnsortedSegmentSum (missing from tfjs-backend-wasm) matches the cpu backend', async () => {
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    const next = random(1);
    const x = Array.from({ length: 12 * 5 }, () => next() * 2 - 1);
    const ids = Array.from({ length: 12 }, () => Math.floor(next() * 7));
    const { wasm, cpu } = await onWasmAndCpu(() => [
      tf.unsortedSegmentSum(tf.tensor2d(x, [12, 5]), tf.tensor1d(ids, 'int32'), 9), // segments 7, 8 stay empty
      tf.unsortedSegmentSum(tf.tensor3d(x, [12, 1, 5]), tf.tensor1d(ids, 'int32'), 7),
      tf.unsortedSegmentSum(tf.tensor1d(x.slice(0, 12)), tf.tensor1d(ids, 'int32'), 7),
    ]);
    expectClose(wasm, cpu);
  });

  it('the Embedding gradient on wasm matches cpu', async () => {
    const next = random(2);
    const table = Array.from({ length: 10 * 4 }, () => next());
    const ids = Array.from({ length: 2 * 6 }, () => Math.floor(next() * 10));
    const { wasm, cpu } = await onWasmAndCpu(() => {
      const weights = tf.tensor2d(table, [10, 4]);
      const grad = tf.grad((w: tfTypes.Tensor) => tf.gather(w, tf.tensor2d(ids, [2, 6], 'int32')).square().sum());
      return grad(weights);
    });
    expectClose(wasm, cpu);
  });

  it('BatchMatMul matches cpu with every transpose, batched or not', async () => {
    const next = random(3);
    const values = (n: number) => Array.from({ length: n }, () => next() * 2 - 1);
    const a = values(2 * 5 * 3);
    const b = values(2 * 3 * 4);
    const { wasm, cpu } = await onWasmAndCpu(() => {
      const out: tfTypes.Tensor[] = [];
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a2 = tf.tensor2d(a.slice(0, 15), ta ? [3, 5] : [5, 3]);
        const b2 = tf.tensor2d(b.slice(0, 12), tb ? [4, 3] : [3, 4]);
        out.push(tf.matMul(a2, b2, ta, tb));
        out.push(tf.matMul(tf.tensor3d(a, ta ? [2, 3, 5] : [2, 5, 3]), tf.tensor3d(b, tb ? [2, 4, 3] : [2, 3, 4]), ta, tb));
      }
      return out;
    });
    expectClose(wasm, cpu);
  });

  it('Slice, Unpack and SplitV match cpu', async () => {
    const next = random(4);
    const x = Array.from({ length: 3 * 4 * 5 * 2 }, () => next());
    const { wasm, cpu } = await onWasmAndCpu(() => {
      const t4 = tf.tensor4d(x, [3, 4, 5, 2]);
      const t3 = t4.reshape([12, 5, 2]);
      const ints = tf.tensor2d(x.slice(0, 20).map((v) => Math.round(v * 100)), [4, 5], 'int32');
      return [
        tf.slice(t4, [1, 1, 2, 0], [2, 3, 2, 2]),
        tf.slice(t4, [0, 2, 0, 1], [3, 1, 5, 1]),
        tf.slice(t3, [5, 0, 0], [4, 5, 2]), // contiguous
        tf.slice(t3, [0, 0, 0], [0, 5, 2]), // empty
        tf.slice(ints, [1, 2], [3, 2]),
        ...tf.unstack(t3.slice([0, 0, 0], [3, 5, 2]), 0),
        ...tf.unstack(t3.slice([0, 0, 0], [2, 5, 2]), 1),
        ...tf.split(t4, [1, 3, 1], 2),
        ...tf.split(ints, 5, 1),
      ];
    });
    expectClose(wasm, cpu, 0);
  });

  it('GatherV2 matches cpu on every axis, with batch dims, and refuses an id out of range', async () => {
    const next = random(5);
    const x = Array.from({ length: 3 * 4 * 5 }, () => next());
    const { wasm, cpu } = await onWasmAndCpu(() => {
      const t3 = tf.tensor3d(x, [3, 4, 5]);
      const table = tf.tensor2d(x, [12, 5]);
      const ints = tf.tensor2d(x.slice(0, 20).map((v) => Math.round(v * 100)), [4, 5], 'int32');
      return [
        tf.gather(table, tf.tensor2d([[0, 11, 3], [3, 3, 7]], [2, 3], 'int32')), // the Embedding lookup
        tf.gather(t3, tf.tensor1d([3, 0, 0, 2], 'int32'), 1),
        tf.gather(t3, tf.tensor1d([4, 1], 'int32'), 2), // one-element slices
        tf.gather(t3, tf.tensor2d([[1, 2], [0, 0], [3, 1]], [3, 2], 'int32'), 1, 1), // batchDims 1
        tf.gather(ints, tf.tensor1d([2, 2, 0], 'int32')),
        tf.gather(table, tf.tensor1d([], 'int32')), // empty
      ];
    });
    expectClose(wasm, cpu, 0);
    expect(() => tf.tidy(() => tf.gather(tf.tensor2d(x, [12, 5]), tf.tensor1d([12], 'int32')))).toThrow(/index value 12 is not in \[0, 11\]/);
  });
});

describe('training on wasm', () => {
  /** Positive reviews use tokens 1-9, negative ones 10-19, left-padded with 0 to 8 tokens. */
  function toySet(): { x: tfTypes.Tensor2D; y: tfTypes.Tensor2D } {
    const next = random(5);
    const ids: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 32; i++) {
      const positive = i % 2 === 0;
      const length = 3 + Math.floor(next() * 6);
      for (let t = 0; t < 8; t++) ids.push(t < 8 - length ? 0 : (positive ? 1 : 10) + Math.floor(next() * 9));
      labels.push(positive ? 1 : 0);
    }
    return { x: tf.tensor2d(ids, [32, 8], 'int32'), y: tf.tensor2d(labels, [32, 1]) };
  }

  async function trainToy(seed: number, steps: number): Promise<number[]> {
    const model = tf.sequential();
    model.add(
      tf.layers.embedding({ inputDim: 20, outputDim: 8, inputLength: 8, maskZero: true, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }) }),
    );
    model.add(
      tf.layers.lstm({ units: 8, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 2 }) }),
    );
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) }));
    const optimizer = tf.train.adam(0.02);
    model.compile({ optimizer, loss: 'binaryCrossentropy' });
    const { x, y } = toySet();
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) losses.push((await model.trainOnBatch(x, y)) as number);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
    return losses;
  }

  it('an Embedding(maskZero) -> LSTM -> Dense model learns a separable toy set, leaking no wasm memory', async () => {
    const wasm = tf.backend() as unknown as { numDataIds(): number };
    const before = { tensors: tf.memory().numTensors, buffers: wasm.numDataIds() };
    const losses = await trainToy(7, 20);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]!).toBeLessThan(losses[0]! * 0.7);
    expect({ tensors: tf.memory().numTensors, buffers: wasm.numDataIds() }).toEqual(before);
  });

  it('the same seed gives bit-identical losses', async () => {
    const first = await trainToy(11, 8);
    const second = await trainToy(11, 8);
    expect(second).toEqual(first);
    expect(await trainToy(12, 8)).not.toEqual(first);
  });

  it('trains a bidirectional GRU with max pooling (every kernel its gradient needs exists)', async () => {
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 8 }));
    model.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 4, returnSequences: true }) as tfTypes.RNN }));
    model.add(tf.layers.globalMaxPooling1d());
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const { x, y } = toySet();
    const history = await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
    model.dispose();
    tf.dispose([x, y]);
  });
});
