/**
 * `npm run bench -- --accuracy [--presets textbook,accurate] [--sets imdb,airline,chnsenticorp]`:
 * trains through the CLI (a separate process per run, like an analyst would) on the shared data
 * sets and reports test accuracy, macro-F1 and wall time. Long: tens of minutes per run on wasm.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { permutation, seededRandom } from '../src-main/node/train/random';
import { tempDir } from '../test/helpers/tempProject';
import { dataFile, loadJsonl } from './data';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../bin/sentiment-studio.mjs');

export interface AccuracyResult {
  set: string;
  preset: string;
  extra: string[];
  accuracy: number;
  macroF1: number;
  seconds: number;
  epochs: number;
  backend: string;
  /** "beats the baseline by +x.x points …", when the run trained or found one. */
  baseline: string | null;
}

/** Airline tweets have no official split: a fixed, seeded 80/20 one. */
function airlineSplit(dir: string): { data: string; test: string } {
  const rows = loadJsonl('airline_tweets_all.jsonl.gz');
  const order = permutation(rows.length, seededRandom(42));
  const cut = Math.round(rows.length * 0.8);
  const write = (name: string, idx: Int32Array) => {
    const path = join(dir, name);
    writeFileSync(path, Array.from(idx, (i) => JSON.stringify(rows[i])).join('\n') + '\n');
    return path;
  };
  return { data: write('airline-train.jsonl', order.subarray(0, cut)), test: write('airline-test.jsonl', order.subarray(cut)) };
}

export async function benchAccuracy(sets: string[], presets: string[], extra: string[] = []): Promise<AccuracyResult[]> {
  const { dir, cleanup } = tempDir('sstudio-accuracy-');
  const results: AccuracyResult[] = [];
  try {
    const files: Record<string, { data: string; test: string; labels?: string }> = {
      imdb: { data: dataFile('imdb_train.jsonl.gz'), test: dataFile('imdb_test.jsonl.gz') },
      chnsenticorp: { data: dataFile('chnsenticorp_train.jsonl.gz'), test: dataFile('chnsenticorp_test.jsonl.gz') },
    };
    if (sets.includes('airline')) files.airline = { ...airlineSplit(dir), labels: 'positive,neutral,negative' };
    for (const set of sets) {
      for (const preset of presets) {
        const f = files[set]!;
        const args = [bin, 'train', '--data', f.data, '--test', f.test, '--preset', preset, '--json', ...(f.labels ? ['--labels', f.labels] : []), ...extra];
        const started = Date.now();
        const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 26 });
        const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
        const r: AccuracyResult = {
          set,
          preset,
          extra,
          accuracy: result.test.accuracy,
          macroF1: result.test.macroF1,
          seconds: (Date.now() - started) / 1000,
          epochs: result.epochs.length,
          backend: result.backend,
          baseline: result.baseline?.text ?? null,
        };
        console.log(`  ${set} ${preset} ${extra.join(' ')}: accuracy ${(100 * r.accuracy).toFixed(2)}% · macro-F1 ${r.macroF1.toFixed(4)} · ${r.epochs} epochs · ${(r.seconds / 60).toFixed(1)} min · ${r.backend}${r.baseline ? ` · ${r.baseline}` : ''}`);
        results.push(r);
      }
    }
    return results;
  } finally {
    cleanup();
  }
}
