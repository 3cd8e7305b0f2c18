/**
 * `npm run bench [-- --repeats N] [--annotate-items N] [--large] [--saliency-only] [--scale [--scale-items N] [--scale-dir DIR] [--scale-stages …] [--scale-max-len N]] [--active-learning [--al-pool N] [--al-test N] [--al-seeds 1,2,3] [--al-strategies random,uncertainty,nbsvm,hybrid] [--al-nbsvm-only]] [--label-check [--label-check-sets imdb,airline] [--label-check-items 4000]] [--accuracy [--baseline-only] [--sets …] [--presets …] [--no-masking]]`:
 * performance targets live here, never in timed tests.
 * Medians of several repeats, because the machine is shared and noisy. The last stdout line is
 * one JSON object with every figure.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatCount } from '../src-main/common/format';
import { benchImport } from './importBench';
import { benchLargeImport } from './largeImportBench';
import { benchAnnotate } from './annotateBench';
import { benchAccuracy } from './accuracyBench';
import { benchBaseline } from './baselineBench';
import { resolveHyperparameters } from '../src-main/common/hyperparameters';
import { measureThroughput } from '../src-main/node/train/throughput';
import { loadJsonl } from './data';
import { benchTokenize } from './tokenize';
import { benchSaliency } from './saliencyBench';
import { benchLabelCheck } from './labelCheckBench';
import { benchActiveLearning, strategies, type Strategy } from './activeLearningBench';
import { benchScale, type ScaleOptions } from './scaleBench';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const repeats = flag('repeats', 5);
const results: Record<string, unknown> = { repeats };
const list = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i === -1 ? fallback : process.argv[i + 1]!).split(',');
};

if (process.argv.includes('--accuracy')) {
  // Opt-in and long: the accuracy table of docs/benchmarks.md. The NBSVM baseline first (seconds).
  console.log('NBSVM baseline (test split):');
  results.baseline = await benchBaseline({ repeats: 3, sets: list('baseline-sets', 'imdb,airline,chnsenticorp') });
  if (process.argv.includes('--baseline-only')) {
    console.log(JSON.stringify(results));
    process.exit(0);
  }
  console.log('Accuracy (test split), training through the CLI:');
  const extra = process.argv.includes('--no-masking') ? ['--no-masking'] : [];
  results.accuracy = await benchAccuracy(list('sets', 'imdb,airline,chnsenticorp'), list('presets', 'textbook,accurate'), extra);
  console.log(JSON.stringify(results));
  process.exit(0);
}

if (process.argv.includes('--scale')) {
  // Opt-in (an hour or more for a million): builds its data from IMDB, each stage in its own process.
  const items = flag('scale-items', 1_000_000);
  const value = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
  const maxLen = value('scale-max-len');
  console.log(`Scale: ${formatCount(items)} short IMDB reviews (targets: annotate-next and search p99 < 50 ms, peak memory < 2 GB)`);
  const scale = await benchScale({
    items,
    dir: value('scale-dir'),
    stages: value('scale-stages')?.split(',') as ScaleOptions['stages'],
    trainOverrides: { epochs: 1, ...(maxLen ? { maxLen: Number(maxLen) } : {}) },
  });
  console.log(JSON.stringify({ scale }));
  process.exit(0);
}

if (process.argv.includes('--label-check')) {
  // Opt-in (minutes): the label check's precision and recall against labels flipped on purpose.
  const size = flag('label-check-items', 4000);
  const out = [];
  for (const [set, foldModel] of list('label-check-sets', 'imdb,airline').flatMap((set) => (['recurrent', 'baseline'] as const).map((m) => [set, m] as const))) {
    const r = await benchLabelCheck(set, size, foldModel);
    console.log(
      `Label check, ${set}, ${foldModel === 'baseline' ? 'NBSVM folds' : 'fast-preset folds'}: ${formatCount(r.items)} reviews, ${r.flipped} labels flipped; flagged ${r.flagged}: precision ${(100 * r.precision).toFixed(1)}%, ` +
        `recall ${(100 * r.recall).toFixed(1)}%; precision of the first ${r.flipped} suspects ${(100 * r.precisionAtFlipped).toFixed(1)}%; ` +
        `out-of-fold accuracy ${(100 * r.oofAccuracy).toFixed(1)}%; ${r.seconds.toFixed(0)} s`,
    );
    out.push(r);
  }
  console.log(JSON.stringify({ labelCheck: out }));
  process.exit(0);
}

if (process.argv.includes('--active-learning')) {
  // Opt-in (many minutes): uncertainty-first labelling against random order, on IMDB.
  const pool = flag('al-pool', 25_000);
  const test = flag('al-test', 25_000);
  const seeds = list('al-seeds', '1,2,3').map(Number);
  const stepsList = Array.from({ length: 10 }, (_, i) => 200 * (i + 1));
  const chosen = list('al-strategies', 'random,uncertainty,nbsvm') as Strategy[];
  const unknown = chosen.filter((s) => !(strategies as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`--al-strategies: unknown ${unknown.join(', ')} (known: ${strategies.join(', ')})`);
  console.log(`Active learning: IMDB pool ${formatCount(pool)}, test ${formatCount(test)}, seeds ${seeds.join(', ')}, fast preset, strategies ${chosen.join(', ')}`);
  const r = await benchActiveLearning({ pool, test, seeds, steps: stepsList, classWeights: !process.argv.includes('--al-no-class-weights'), strategies: chosen, recurrent: !process.argv.includes('--al-nbsvm-only') });
  const mean = (xs: number[] | undefined) => (xs ? `${((100 * xs.reduce((a, b) => a + b, 0)) / xs.length).toFixed(2)}%` : '–');
  for (const step of r.steps) {
    console.log(`  ${formatCount(step.labels)} labels: ${chosen.map((s) => `${s} ${mean(step.accuracy[s])} (NBSVM ${mean(step.nbsvm[s])})`).join(' · ')}`);
  }
  console.log(JSON.stringify({ activeLearning: r }));
  process.exit(0);
}

if (process.argv.includes('--saliency-only')) {
  const saliency = await benchSaliency(['accurate', 'textbook', 'fast'], repeats);
  for (const r of saliency) console.log(`Token saliency, ${r.preset} preset, ${r.tokens} tokens: median ${r.medianMs.toFixed(0)} ms (runs ${r.runs.map((x) => x.toFixed(0)).join(', ')}) on ${r.backend}`);
  console.log(JSON.stringify({ saliency }));
  process.exit(0);
}

console.log(`Import: imdb_train.jsonl.gz into a new project, ${repeats} repeats`);
const imp = await benchImport(repeats);
console.log(
  `  ${formatCount(imp.rows)} reviews (${imp.mb.toFixed(1)} MB gzip): median ${formatCount(Math.round(imp.median))} reviews/s ` +
    `(runs: ${imp.reviewsPerSecond.map((r) => formatCount(Math.round(r))).join(', ')}); target >= 25,000 → ${imp.median >= 25000 ? 'met' : 'NOT met'}`,
);
results.import = { medianReviewsPerSecond: Math.round(imp.median), runs: imp.reviewsPerSecond.map(Math.round), target: 25000 };

for (const [name, file, target] of [
  ['imdb', 'imdb_train.jsonl.gz', 20],
  ['chnsenticorp', 'chnsenticorp_train.jsonl.gz', null],
] as const) {
  const texts = loadJsonl(file).map((r) => r.text);
  const tok = await benchTokenize({ texts, repeats });
  const mb = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
  console.log(
    `Tokenize: ${name} (${formatCount(texts.length)} texts, ${mb.toFixed(1)} MB): median ${tok.medianMbPerSecond.toFixed(1)} MB/s ` +
      `(runs: ${tok.mbPerSecond.map((r) => r.toFixed(1)).join(', ')})` +
      (target ? `; target >= ${target} MB/s → ${tok.medianMbPerSecond >= target ? 'met' : 'NOT met'}` : ''),
  );
  results[`tokenize_${name}`] = { medianMbPerSecond: Number(tok.medianMbPerSecond.toFixed(2)), runs: tok.mbPerSecond.map((r) => Number(r.toFixed(2))), target };
}

const reference = { cell: 'lstm', vocabSize: 10_000, embedDim: 64, units: 64, maxLen: 100, batchSize: 64, pooling: 'last', dropout: 0, minCount: 1 } as const;
for (const [name, preset, overrides, samples] of [
  ['reference LSTM (vocab 10k, embed 64, units 64, seq 100, batch 64)', 'textbook', reference, 512],
  ['accurate preset shape (BiGRU 64, embed 128, seq 400, max pooling)', 'accurate', { vocabSize: 20_000 }, 128],
] as const) {
  for (const infer of [false, true]) {
    const hp = resolveHyperparameters(preset, overrides);
    const r = await measureThroughput({ hp, samples: infer ? samples * 2 : samples, infer, repeats: 3 });
    console.log(`${infer ? 'Inference' : 'Training'}: ${name}: median ${r.samplesPerSecond.toFixed(0)} samples/s (runs ${r.runs.map((x) => x.toFixed(0)).join(', ')}) on ${r.backend}`);
    results[`${infer ? 'infer' : 'train'}_${preset === 'textbook' ? 'reference' : 'accurate'}`] = { samplesPerSecond: Math.round(r.samplesPerSecond), runs: r.runs.map(Math.round), backend: r.backend };
  }
}

{
  // Fused kernels against tfjs' cells (and PyTorch when /usr/bin/python3 has torch), in its own
  // process: it switches kernels per model and reads the addon's native timings.
  console.log('Recurrent kernels: fused vs tfjs (vs PyTorch when installed)');
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fusedBench.ts', import.meta.url)), '--repeats', '3'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const lines = child.stdout.trim().split('\n');
  for (const line of lines.slice(0, -1)) console.log(`  ${line}`);
  results.kernels = child.status === 0 ? JSON.parse(lines.at(-1)!) : { error: `fusedBench exited with ${child.status}` };
}

{
  console.log('Token saliency: integrated gradients (32 steps) for one ~300-word review (target: median < 300 ms)');
  const saliency = await benchSaliency(['accurate', 'textbook', 'fast'], repeats);
  for (const r of saliency) {
    console.log(`  ${r.preset} preset, ${r.tokens} tokens: median ${r.medianMs.toFixed(0)} ms (runs ${r.runs.map((x) => x.toFixed(0)).join(', ')}) on ${r.backend} → ${r.medianMs < 300 ? 'met' : 'NOT met'}`);
  }
  results.saliency = saliency.map(({ backend: _backend, ...r }) => ({ ...r, medianMs: Math.round(r.medianMs), runs: r.runs.map(Math.round) }));
}

{
  const items = flag('annotate-items', 200_000);
  console.log(`Annotate: a ${formatCount(items)}-item project, in the handler map (target: each median < 50 ms)`);
  const annotate = await benchAnnotate(items);
  console.log(`  built in ${annotate.buildSeconds.toFixed(1)} s; search index filled at ${formatCount(Math.round(annotate.indexItemsPerSecond))} items/s`);
  for (const [name, t] of Object.entries(annotate.timings)) {
    console.log(`  ${name}: median ${t.medianMs.toFixed(2)} ms, p95 ${t.p95Ms.toFixed(2)} ms (${t.samples} runs) → ${t.medianMs < 50 ? 'met' : 'NOT met'}`);
  }
  results.annotate = annotate;
}

if (process.argv.includes('--large')) {
  console.log('Large import: a ~200 MB CSV, streamed');
  const large = await benchLargeImport(200);
  console.log(
    `  ${large.mb.toFixed(0)} MB, ${formatCount(large.rows)} rows in ${large.seconds.toFixed(1)} s ` +
      `(${formatCount(Math.round(large.rowsPerSecond))} rows/s); RSS ${large.rssBeforeMb.toFixed(0)} MB before, peak ${large.peakRssMb.toFixed(0)} MB during`,
  );
  results.largeImport = { mb: Math.round(large.mb), rows: large.rows, seconds: Number(large.seconds.toFixed(2)), rssBeforeMb: Math.round(large.rssBeforeMb), peakRssMb: Math.round(large.peakRssMb) };
}

console.log(JSON.stringify(results));
