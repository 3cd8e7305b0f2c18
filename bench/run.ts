/**
 * `npm run bench [-- --repeats N]`: performance targets live here, never in timed tests.
 * Medians of several repeats, because the machine is shared and noisy. The last stdout line is
 * one JSON object with every figure.
 */
import { benchImport } from './importBench';
import { loadJsonl } from './data';
import { benchTokenize } from './tokenize';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const repeats = flag('repeats', 5);
const results: Record<string, unknown> = { repeats };

console.log(`Import: imdb_train.jsonl.gz into a new project, ${repeats} repeats`);
const imp = await benchImport(repeats);
console.log(
  `  ${imp.rows.toLocaleString('en-US')} reviews (${imp.mb.toFixed(1)} MB gzip): median ${Math.round(imp.median).toLocaleString('en-US')} reviews/s ` +
    `(runs: ${imp.reviewsPerSecond.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}); target >= 25,000 → ${imp.median >= 25000 ? 'met' : 'NOT met'}`,
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
    `Tokenize: ${name} (${texts.length.toLocaleString('en-US')} texts, ${mb.toFixed(1)} MB): median ${tok.medianMbPerSecond.toFixed(1)} MB/s ` +
      `(runs: ${tok.mbPerSecond.map((r) => r.toFixed(1)).join(', ')})` +
      (target ? `; target >= ${target} MB/s → ${tok.medianMbPerSecond >= target ? 'met' : 'NOT met'}` : ''),
  );
  results[`tokenize_${name}`] = { medianMbPerSecond: Number(tok.medianMbPerSecond.toFixed(2)), runs: tok.mbPerSecond.map((r) => Number(r.toFixed(2))), target };
}

console.log(JSON.stringify(results));
