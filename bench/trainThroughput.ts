/**
 * Training (or inference) throughput of Embedding -> LSTM/GRU -> Dense on random token ids, on
 * whichever backend initBackend picks. One untimed warm-up pass (kernel setup, first-use
 * allocations), then `repeats` timed passes over `samples`; the median is the figure.
 *
 * `npx tsx bench/trainThroughput.ts [--cell gru] [--infer] [--repeats 3] ...` runs the reference
 * configuration (LSTM, vocab 10,000, embed 64, units 64, seq 100, batch 64, 512 samples); the
 * last stdout line is one JSON object.
 */
import { pathToFileURL } from 'node:url';
import type * as tfTypes from '@tensorflow/tfjs';
import { initBackend } from '../src-main/node/train/backend';

type Tf = typeof tfTypes;

export interface TrainThroughputOptions {
  cell: 'lstm' | 'gru';
  vocabSize: number;
  embedDim: number;
  units: number;
  maxLen: number;
  batchSize: number;
  samples: number;
  bidirectional?: boolean;
  layers?: number;
  /** Time `predict` instead of training steps. */
  infer?: boolean;
  repeats?: number;
}

export interface TrainThroughputResult {
  /** Median over the timed passes. */
  samplesPerSecond: number;
  runs: number[];
  backend: string;
  kernels: string;
}

export const referenceConfig: TrainThroughputOptions = {
  cell: 'lstm',
  vocabSize: 10_000,
  embedDim: 64,
  units: 64,
  maxLen: 100,
  batchSize: 64,
  samples: 512,
};

function buildModel(tf: Tf, opts: TrainThroughputOptions): tfTypes.LayersModel {
  const layers = opts.layers ?? 1;
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: opts.vocabSize, outputDim: opts.embedDim, inputLength: opts.maxLen }));
  for (let i = 0; i < layers; i++) {
    const args = { units: opts.units, returnSequences: i < layers - 1 };
    const cell = opts.cell === 'gru' ? tf.layers.gru(args) : tf.layers.lstm(args);
    model.add(opts.bidirectional ? tf.layers.bidirectional({ layer: cell as tfTypes.RNN, mergeMode: 'concat' }) : cell);
  }
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  if (!opts.infer) model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return model;
}

/** mulberry32: the same token ids every run, so runs compare like with like. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchTrainThroughput(opts: TrainThroughputOptions): Promise<TrainThroughputResult> {
  const backend = await initBackend();
  const { tf } = backend;
  const next = random(42);
  const ids = Int32Array.from({ length: opts.samples * opts.maxLen }, () => 1 + Math.floor(next() * (opts.vocabSize - 1)));
  const labels = Float32Array.from({ length: opts.samples }, () => (next() < 0.5 ? 0 : 1));
  const batches: { x: tfTypes.Tensor; y: tfTypes.Tensor }[] = [];
  for (let start = 0; start < opts.samples; start += opts.batchSize) {
    const size = Math.min(opts.batchSize, opts.samples - start);
    batches.push({
      x: tf.tensor2d(ids.subarray(start * opts.maxLen, (start + size) * opts.maxLen), [size, opts.maxLen], 'int32'),
      y: tf.tensor2d(labels.subarray(start, start + size), [size, 1]),
    });
  }
  const model = buildModel(tf, opts);

  const pass = async (): Promise<number> => {
    const t0 = performance.now();
    for (const { x, y } of batches) {
      if (opts.infer) {
        const out = model.predict(x) as tfTypes.Tensor;
        await out.data();
        out.dispose();
      } else {
        // trainOnBatch reads the loss back each step, as the trainer does to report progress.
        await model.trainOnBatch(x, y);
      }
    }
    return opts.samples / ((performance.now() - t0) / 1000);
  };

  try {
    await pass();
    const runs: number[] = [];
    for (let r = 0; r < (opts.repeats ?? 3); r++) runs.push(await pass());
    return { samplesPerSecond: median(runs), runs, backend: backend.label, kernels: backend.kernels };
  } finally {
    model.dispose();
    for (const { x, y } of batches) tf.dispose([x, y]);
  }
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const num = (name: string, fallback: number) => Number(flag(name) ?? fallback);
  const opts: TrainThroughputOptions = {
    cell: flag('cell') === 'gru' ? 'gru' : 'lstm',
    vocabSize: num('vocab-size', referenceConfig.vocabSize),
    embedDim: num('embed-dim', referenceConfig.embedDim),
    units: num('units', referenceConfig.units),
    maxLen: num('max-len', referenceConfig.maxLen),
    batchSize: num('batch-size', referenceConfig.batchSize),
    samples: num('samples', referenceConfig.samples),
    bidirectional: process.argv.includes('--bidirectional'),
    layers: num('layers', 1),
    infer: process.argv.includes('--infer'),
    repeats: num('repeats', 3),
  };
  const result = await benchTrainThroughput(opts);
  console.log(
    `${opts.infer ? 'Inference' : 'Training'} ${opts.cell.toUpperCase()} on ${result.backend}: median ${result.samplesPerSecond.toFixed(1)} samples/s ` +
      `(runs: ${result.runs.map((r) => r.toFixed(1)).join(', ')})`,
  );
  console.log(JSON.stringify({ ...opts, ...result }));
}
