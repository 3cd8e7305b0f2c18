/**
 * `npx tsx bench/fusedBench.ts [--repeats 3] [--ref-samples 512] [--accurate-samples 128] [--no-tfjs] [--no-torch]`
 *
 * Training throughput of the studio's own model and loop (buildModel + fit) with the fused
 * recurrent kernels against tfjs' op-by-op cells, at the reference configuration (LSTM 64,
 * embed 64, vocab 10k, 100 tokens, batch 64) and the `accurate` preset's shape (BiGRU 64, embed
 * 128, 400 tokens, batch 64, masked max pooling). PyTorch's peer script runs alongside when
 * /usr/bin/python3 has torch (best of 1 and 2 intra-op threads, 1 BLAS thread; each the median of
 * `repeats` runs of the peer's own protocol: 1-2 warm-up batches, one timed pass); its model reads
 * the final hidden state (no pooling, no masking), so it does less work than the accurate preset.
 *
 * Every figure is the median of `repeats` timed epochs after one untimed warm-up epoch. Also
 * reported: the recurrent layers' FLOPs per second inside the native calls, against this CPU's
 * peak (cores x clock x FP32 FLOPs per cycle of the ISA in use; see peakFlops). The last stdout
 * line is one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { median } from '../src-main/common/stats';
import { resolveHyperparameters, type Hyperparameters } from '../src-main/common/hyperparameters';
import { initBackend } from '../src-main/node/train/backend';
import { fit, type EncodedSplit } from '../src-main/node/train/fit';
import { activeKernels, type FusedAddon } from '../src-main/node/train/fused/addon';
import { buildModel } from '../src-main/node/train/model';
import { seededRandom } from '../src-main/node/train/random';

const torchPeer = '/work/shared/peers/torch_lstm_bench.py';
const python = '/usr/bin/python3';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const repeats = Math.max(3, flag('repeats', 3));

interface Shape {
  name: string;
  hp: Hyperparameters;
  samples: number;
  torchArgs: string[];
}

const shapes: Shape[] = [
  {
    name: 'reference',
    hp: resolveHyperparameters('fast', { cell: 'lstm', vocabSize: 10_000, embedDim: 64, units: 64, maxLen: 100, batchSize: 64, layers: 1, bidirectional: false, pooling: 'last', masking: true, dropout: 0 }),
    samples: flag('ref-samples', 512),
    torchArgs: ['--cell', 'lstm', '--vocab', '10000', '--embed', '64', '--units', '64', '--seq', '100', '--batch', '64', '--samples', '1024', '--warmup-batches', '2'],
  },
  {
    name: 'accurate',
    hp: resolveHyperparameters('accurate', {}),
    samples: flag('accurate-samples', 128),
    torchArgs: ['--cell', 'lstm', '--bidirectional', '--vocab', '20000', '--embed', '128', '--units', '64', '--seq', '400', '--batch', '64', '--samples', '256', '--warmup-batches', '1'],
  },
];

/** Multiply-adds x 2 of the recurrent layers per training sample: forward, then backward at twice that. */
function recurrentFlopsPerSample(hp: Hyperparameters): number {
  const gates = (hp.cell === 'lstm' ? 4 : 3) * hp.units;
  const directions = hp.bidirectional ? 2 : 1;
  let flops = 0;
  for (let layer = 0; layer < hp.layers; layer++) {
    const inputs = layer === 0 ? hp.embedDim : hp.units * directions;
    flops += directions * 3 * 2 * hp.maxLen * gates * (inputs + hp.units);
  }
  return flops;
}

/** Peak FP32 FLOP/s: cores x clock x FLOPs per cycle (2 FMA pipes x lanes x 2; Zen 4 splits zmm FMAs in two). */
function peakFlops(isa: string, cores: number): { flops: number; assumption: string } {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const mhz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(cpuinfo)?.[1] ?? 0) || 3000;
  const amd = /AuthenticAMD/.test(cpuinfo);
  const perCycle = isa === 'avx512' ? (amd ? 32 : 64) : isa === 'avx2' ? 32 : 8;
  return { flops: cores * mhz * 1e6 * perCycle, assumption: `${cores} cores x ${(mhz / 1000).toFixed(2)} GHz x ${perCycle} FLOP/cycle (${isa}${isa === 'avx512' && amd ? ', AMD: 2 x 256-bit FMA' : ''})` };
}

function randomSplit(hp: Hyperparameters, n: number): EncodedSplit {
  const next = seededRandom(42);
  return {
    ids: Int32Array.from({ length: n * hp.maxLen }, () => 1 + Math.floor(next() * (hp.vocabSize - 1))),
    labels: Int32Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1)),
    n,
  };
}

/** Wraps the addon's entry points to add up the time spent inside them. */
function timeNativeCalls(addon: FusedAddon): { ms: () => number; reset: () => void; restore: () => void } {
  let ms = 0;
  const originals = { forward: addon.forward, backward: addon.backward };
  for (const name of ['forward', 'backward'] as const) {
    const original = originals[name] as (...args: unknown[]) => void;
    (addon as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const t0 = performance.now();
      original.apply(addon, args);
      ms += performance.now() - t0;
    };
  }
  return { ms: () => ms, reset: () => (ms = 0), restore: () => Object.assign(addon, originals) };
}

async function measure(shape: Shape, kernels: 'fused' | 'tfjs') {
  const { tf } = await initBackend();
  const hp = { ...shape.hp, epochs: 1, patience: 0 };
  const data = { train: randomSplit(hp, shape.samples), validation: null, maxLen: hp.maxLen, numClasses: 2, classWeights: null };
  const model = buildModel(tf, hp, { vocabSize: hp.vocabSize, maxLen: hp.maxLen, numClasses: 2 }, { kernels });
  const addon = kernels === 'fused' ? activeKernels()?.addon : null;
  const timer = addon ? timeNativeCalls(addon) : null;
  try {
    await fit(tf, model, hp, data);
    const runs: number[] = [];
    const nativeShare: number[] = [];
    for (let r = 0; r < repeats; r++) {
      timer?.reset();
      const t0 = performance.now();
      const result = await fit(tf, model, hp, data);
      runs.push(result.samplesPerSecond);
      if (timer) nativeShare.push(timer.ms() / (performance.now() - t0));
    }
    const samplesPerSecond = median(runs);
    const flops = recurrentFlopsPerSample(hp);
    // Samples per second of native time alone -> the kernels' own FLOP rate.
    const kernelFlops = timer ? (samplesPerSecond * flops) / median(nativeShare) : null;
    return { samplesPerSecond, runs, nativeShare: timer ? median(nativeShare) : null, kernelFlops };
  } finally {
    timer?.restore();
    model.dispose();
  }
}

function torchUnavailable(): string | null {
  if (process.argv.includes('--no-torch')) return '--no-torch';
  if (!existsSync(torchPeer)) return `${torchPeer} is missing`;
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return `${python} cannot import torch; \`apt-get install -y python3-torch\``;
  return null;
}

function torchBest(shape: Shape): { samplesPerSecond: number; byThreads: Record<string, number> } {
  const byThreads: Record<string, number> = {};
  for (const threads of [1, 2]) {
    const runs: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const out = spawnSync(python, [torchPeer, ...shape.torchArgs, '--threads', String(threads), '--blas-threads', '1'], { encoding: 'utf8' });
      const last = out.stdout?.trim().split('\n').at(-1);
      if (out.status === 0 && last) runs.push((JSON.parse(last) as { samples_per_sec: number }).samples_per_sec);
    }
    if (runs.length) byThreads[`${threads} thread${threads > 1 ? 's' : ''}`] = median(runs);
  }
  return { samplesPerSecond: Math.max(0, ...Object.values(byThreads)), byThreads };
}

const info = await initBackend();
const selection = activeKernels();
if (selection?.choice !== 'fused') {
  console.error(`The fused kernels are not available (${selection?.note ?? info.kernels}); build them with \`npm run build:native\`.`);
  process.exit(1);
}
const caps = selection.addon!.capabilities();
const peak = peakFlops(caps.isa, Math.min(caps.threads, availableParallelism()));
const noTorch = torchUnavailable();
const withTorch = noTorch === null;
console.log(`Backend ${info.label}, kernels ${info.kernels}; ${repeats} timed epochs per figure (median). Peak: ${peak.assumption} = ${(peak.flops / 1e9).toFixed(0)} GFLOP/s.`);
if (noTorch) console.log(`PyTorch: not measured (${noTorch}).`);

const results: Record<string, unknown> = { backend: info.label, kernels: info.kernels, repeats, peakGflops: Math.round(peak.flops / 1e9), peakAssumption: peak.assumption };
for (const shape of shapes) {
  const fused = await measure(shape, 'fused');
  const tfjs = process.argv.includes('--no-tfjs') ? null : await measure(shape, 'tfjs');
  const torch = withTorch ? torchBest(shape) : null;
  const flops = recurrentFlopsPerSample(shape.hp);
  const endToEnd = (fused.samplesPerSecond * flops) / 1e9;
  console.log(`\n${shape.name} (${shape.hp.bidirectional ? 'Bi' : ''}${shape.hp.cell.toUpperCase()} ${shape.hp.units}, embed ${shape.hp.embedDim}, ${shape.hp.maxLen} tokens, batch ${shape.hp.batchSize}, ${shape.samples} samples/epoch):`);
  console.log(`  fused:   ${fused.samplesPerSecond.toFixed(1)} samples/s (runs ${fused.runs.map((r) => r.toFixed(1)).join(', ')})`);
  if (tfjs) console.log(`  tfjs:    ${tfjs.samplesPerSecond.toFixed(1)} samples/s (runs ${tfjs.runs.map((r) => r.toFixed(1)).join(', ')}) -> fused is ${(fused.samplesPerSecond / tfjs.samplesPerSecond).toFixed(1)}x`);
  if (torch) console.log(`  PyTorch: ${torch.samplesPerSecond.toFixed(1)} samples/s best of ${JSON.stringify(torch.byThreads)} -> fused is ${(fused.samplesPerSecond / torch.samplesPerSecond).toFixed(2)}x`);
  console.log(
    `  recurrent layers: ${(flops / 1e6).toFixed(0)} MFLOP per sample; ${endToEnd.toFixed(1)} GFLOP/s end to end, ` +
      `${(fused.kernelFlops! / 1e9).toFixed(1)} GFLOP/s inside the native calls (${((100 * fused.kernelFlops!) / peak.flops).toFixed(0)}% of peak), ` +
      `which take ${(100 * fused.nativeShare!).toFixed(0)}% of the epoch`,
  );
  results[shape.name] = {
    fused,
    tfjs,
    torch,
    recurrentMflopsPerSample: Math.round(flops / 1e6),
    speedupOverTfjs: tfjs ? fused.samplesPerSecond / tfjs.samplesPerSecond : null,
    ratioToTorch: torch ? fused.samplesPerSecond / torch.samplesPerSecond : null,
  };
}
console.log(JSON.stringify(results));
