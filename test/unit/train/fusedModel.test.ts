/**
 * The fused kernels inside the studio's own model and loop: which kernels run and what the user
 * is told when the asked-for ones are missing; a tiny model trained on either path ends at the
 * same losses; a model trained fused saves a standard model.json that plain tfjs (no addon, no
 * patched layers) loads and predicts identically; nothing leaks.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type * as tfTypes from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveHyperparameters, type Hyperparameters } from '../../../src-main/common/hyperparameters';
import { initBackend, type BackendInfo } from '../../../src-main/node/train/backend';
import { fit, predictProbabilities, type EncodedSplit } from '../../../src-main/node/train/fit';
import { fusedAddonEnvVar, kernelsEnvVar } from '../../../src-main/node/train/fused/addon';
import { isFused, recurrentLayers } from '../../../src-main/node/train/fused/patch';
import { buildModel } from '../../../src-main/node/train/model';
import { serializeModel } from '../../../src-main/node/train/modelIo';

type Tf = typeof tfTypes;

const root = join(import.meta.dirname, '../../..');
const maxLen = 10;
let info: BackendInfo;
let tf: Tf;

beforeAll(async () => {
  info = await initBackend();
  tf = info.tf;
});

/** Token ids 2-21 with a signal (positive rows use the low half), post-padded to random lengths. */
function reviews(n: number): EncodedSplit {
  const ids = new Int32Array(n * maxLen);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    const length = 2 + ((i * 7) % (maxLen - 1));
    for (let t = 0; t < length; t++) ids[i * maxLen + t] = 2 + ((i * 13 + t * 5) % 10) + (labels[i] ? 0 : 10);
  }
  return { ids, labels, n };
}

function tiny(overrides: Record<string, unknown>): Hyperparameters {
  return resolveHyperparameters('fast', { maxLen, embedDim: 8, units: 5, epochs: 3, patience: 0, learningRate: 0.02, batchSize: 8, dropout: 0, vocabSize: 100, ...overrides });
}

async function trainOn(kernels: 'fused' | 'tfjs', hp: Hyperparameters) {
  const model = buildModel(tf, hp, { vocabSize: 30, maxLen, numClasses: 2 }, { kernels });
  const train = reviews(40);
  const result = await fit(tf, model, hp, { train, validation: reviews(16), maxLen, numClasses: 2, classWeights: null });
  return { model, result };
}

describe('kernel selection', () => {
  it('runs fused here and says so in the backend info', () => {
    expect(info.kernels).toMatch(/^fused \((avx512|avx2|generic), \d+ threads?\)$/);
  });

  it('falls back to tfjs when the addon is missing, and refuses a forced fused with how to build it', async () => {
    const script = [
      `import { selectKernels } from ${JSON.stringify(join(root, 'src-main/node/train/fused/addon.ts'))};`,
      `const auto = selectKernels();`,
      `let forced; try { selectKernels('fused'); } catch (e) { forced = { code: e.code, message: e.message }; }`,
      `console.log(JSON.stringify({ auto: { label: auto.label, note: auto.note }, forced }));`,
    ].join('\n');
    const env: NodeJS.ProcessEnv = { ...process.env, [fusedAddonEnvVar]: join(root, 'native/build/missing.node') };
    delete env[kernelsEnvVar];
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { auto: { label: string; note?: string }; forced?: { code: string; message: string } };
    expect(result.auto.label).toBe('tfjs');
    expect(result.auto.note).toContain('missing.node');
    expect(result.forced?.code).toBe('unsupported');
    expect(result.forced?.message).toContain('npm run build:native');
    expect(result.forced?.message).toContain(`${kernelsEnvVar}=tfjs`);
  });

  it('builds the same layers either way, patching only on the fused path', () => {
    const hp = tiny({ cell: 'lstm', bidirectional: true, layers: 2 });
    const fused = buildModel(tf, hp, { vocabSize: 30, maxLen, numClasses: 2 }, { kernels: 'fused' });
    const plain = buildModel(tf, hp, { vocabSize: 30, maxLen, numClasses: 2 }, { kernels: 'tfjs' });
    expect(recurrentLayers(fused.layers).map(isFused)).toEqual([true, true, true, true]);
    expect(recurrentLayers(plain.layers).map(isFused)).toEqual([false, false, false, false]);
    expect(JSON.stringify(fused.toJSON(null, false))).toBe(JSON.stringify(plain.toJSON(null, false)));
    fused.dispose();
    plain.dispose();
  });
});

describe('training through the studio loop', () => {
  const configs: Array<[string, Record<string, unknown>]> = [
    ['LSTM, last output', { cell: 'lstm', pooling: 'last' }],
    ['bidirectional GRU, 2 layers, masked max pooling', { cell: 'gru', bidirectional: true, layers: 2, pooling: 'max' }],
    ['bidirectional LSTM, masked mean pooling', { cell: 'lstm', bidirectional: true, pooling: 'mean' }],
  ];

  it.each(configs)('%s: fused and tfjs reach the same losses', async (_, overrides) => {
    const hp = tiny(overrides);
    const fused = await trainOn('fused', hp);
    const reference = await trainOn('tfjs', hp);
    const losses = (r: typeof fused) => r.result.epochs.flatMap((e) => [e.loss, e.valLoss!]);
    expect(losses(fused).every(Number.isFinite)).toBe(true);
    // It learned something, so matching losses are not two untrained models agreeing.
    expect(fused.result.epochs.at(-1)!.loss).toBeLessThan(fused.result.epochs[0]!.loss);
    losses(fused).forEach((loss, i) => expect(Math.abs(loss - losses(reference)[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(losses(reference)[i]!))));
    fused.model.dispose();
    reference.model.dispose();
  });

  it('a model trained fused saves a model.json that plain tfjs loads and predicts identically', async () => {
    const hp = tiny({ cell: 'lstm', bidirectional: true, pooling: 'max', layers: 2, dropout: 0.2 });
    const { model } = await trainOn('fused', hp);
    const rows = reviews(12);
    const fusedProbabilities = predictProbabilities(tf, model, rows.ids, rows.n, maxLen, 2, 5);
    const saved = await serializeModel(tf, model, '{}');
    // Plain tf.loadLayersModel on the model.json + weights.bin pair, as the exported bundle's README shows.
    const json = JSON.parse(saved.modelJson) as { modelTopology: object; weightsManifest: { weights: tfTypes.io.WeightsManifestEntry[] }[] };
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: saved.weights }));
    expect(recurrentLayers(loaded.layers).some(isFused)).toBe(false);
    const plainProbabilities = predictProbabilities(tf, loaded, rows.ids, rows.n, maxLen, 2, 5);
    fusedProbabilities.forEach((p, i) => expect(Math.abs(p - plainProbabilities[i]!)).toBeLessThan(1e-5));
    model.dispose();
    loaded.dispose();
  });

  it('trains with input dropout between layers and leaks no tensors or wasm buffers', async () => {
    const wasm = tf.backend() as unknown as { numDataIds(): number };
    const hp = tiny({ cell: 'gru', layers: 2, dropout: 0.3, pooling: 'mean' });
    const before = { tensors: tf.memory().numTensors, buffers: wasm.numDataIds() };
    const { model, result } = await trainOn('fused', hp);
    expect(result.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
    model.dispose();
    expect({ tensors: tf.memory().numTensors, buffers: wasm.numDataIds() }).toEqual(before);
  });
});
