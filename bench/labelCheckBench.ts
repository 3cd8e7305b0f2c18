/**
 * How well the label check finds wrong labels on real reviews: a seeded sample of a data set,
 * 5% of its labels flipped on purpose (to another label, at random), then the 5-fold check with
 * the fast preset, through the handler map and the real trainer. Reports the precision and
 * recall of the flagged set, and the precision of the first suspects (as many as were flipped),
 * which is what an analyst working down the queue sees.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagQuality } from '../src-main/common/labelCheck';
import { labelSetFromNames } from '../src-main/common/labels';
import { createStudioService } from '../src-main/node/services';
import { permutation, seededRandom } from '../src-main/node/train/random';
import { loadJsonl } from './data';

export interface LabelCheckBench {
  set: string;
  foldModel: 'recurrent' | 'baseline';
  items: number;
  flipped: number;
  flagged: number;
  precision: number;
  recall: number;
  /** Precision of the first `flipped` suspects. */
  precisionAtFlipped: number;
  /** How well the out-of-fold models agree with the (noisy) given labels. */
  oofAccuracy: number;
  seconds: number;
}

const sets: Record<string, { file: string; labels: string[] }> = {
  imdb: { file: 'imdb_train.jsonl.gz', labels: ['positive', 'negative'] },
  airline: { file: 'airline_tweets_all.jsonl.gz', labels: ['positive', 'neutral', 'negative'] },
  chnsenticorp: { file: 'chnsenticorp_train.jsonl.gz', labels: ['positive', 'negative'] },
};

export async function benchLabelCheck(set: string, size: number, foldModel: 'recurrent' | 'baseline' = 'recurrent', seed = 11): Promise<LabelCheckBench> {
  const spec = sets[set];
  if (!spec) throw new Error(`unknown set ${set}; one of ${Object.keys(sets).join(', ')}`);
  const all = loadJsonl(spec.file);
  const random = seededRandom(seed);
  const sample = Array.from(permutation(all.length, random).subarray(0, size), (i) => ({ ...all[i]! }));
  const flips = new Set(Array.from(permutation(sample.length, random).subarray(0, Math.round(sample.length * 0.05))));
  const wrong = new Set<string>();
  for (const i of flips) {
    const row = sample[i]!;
    const others = spec.labels.filter((l) => l !== row.label);
    row.label = others[Math.floor(random() * others.length)]!;
    wrong.add(row.text);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sstudio-labelcheck-'));
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench' });
  const call = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  try {
    const file = join(dir, 'noisy.jsonl');
    writeFileSync(file, sample.map((r) => JSON.stringify(r)).join('\n'));
    await call(service.invoke('project:create', { path: join(dir, 'p.sstudio'), name: set, labels: labelSetFromNames(spec.labels) }));
    await call(service.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } }));
    const started = performance.now();
    let runId = 0;
    const finished = new Promise<string>((resolve) => service.on('train:finished', (f) => f.runId === runId && resolve(`${f.status}${f.error ? `: ${f.error}` : ''}`)));
    service.on('train:epoch', (e) => process.stderr.write(`  ${set}: check epoch ${e.epoch} · val accuracy ${((e.valAccuracy ?? 0) * 100).toFixed(1)}%\n`));
    runId = (await call(service.invoke('train:start', { model: 'crossval', preset: 'fast', folds: 5, foldModel }))).runId;
    const status = await finished;
    if (status !== 'done') throw new Error(`the label check ended ${status}`);
    const seconds = (performance.now() - started) / 1000;
    const page = await call(service.invoke('labels:suspects', { runId, limit: 500 }));
    let rows = page.rows;
    while (rows.length < page.total) rows = rows.concat((await call(service.invoke('labels:suspects', { runId, offset: rows.length, limit: 500 }))).rows);
    const run = (await call(service.invoke('runs:list', {}))).find((r) => r.id === runId)!;
    const quality = flagQuality(rows.map((r) => r.text), wrong);
    const top = flagQuality(rows.slice(0, wrong.size).map((r) => r.text), wrong);
    return { set, foldModel, items: size, flipped: wrong.size, flagged: quality.flagged, precision: quality.precision, recall: quality.recall, precisionAtFlipped: top.precision, oofAccuracy: run.test?.accuracy ?? Number.NaN, seconds };
  } finally {
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
