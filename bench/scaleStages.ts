/**
 * The scale benchmark's stages, one process each (`node --import tsx bench/scaleStages.ts <stage>
 * <dir> <items>`), so every stage's peak resident set size is its own: maxRSS only grows. The last
 * stdout line is the stage's figures as one JSON object. scaleBench.ts runs them in order.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Channel, RequestOf, ResponseOf } from '../src-main/common/contract';
import { labelSetPresets } from '../src-main/common/labels';
import { Project } from '../src-main/node/db/project';
import { createStudioService, type StudioService } from '../src-main/node/services';
import { forkTrainer, trainRun, type SpawnTrainer } from '../src-main/node/train/trainerClient';
import { seededRandom } from '../src-main/node/train/random';
import { writeScaleSources } from './scaleSource';

export const projectFile = (dir: string) => join(dir, 'scale.sstudio');

/** Peak resident set size of this process so far, MB (maxRSS is in kilobytes). */
export const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/** High-water resident set size of another process, MB (Linux), or null when unreadable. */
export function processPeakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!.toFixed(2));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Number(sorted.at(-1)!.toFixed(2)), samples: sorted.length };
}

function fileMb(path: string): { mb: number; walMb: number } {
  const size = (p: string) => (existsSync(p) ? statSync(p).size / 1e6 : 0);
  return { mb: size(path), walMb: size(`${path}-wal`) };
}

async function call<C extends Channel>(service: StudioService, channel: C, payload: RequestOf<C>): Promise<{ value: ResponseOf<C>; ms: number }> {
  const t0 = performance.now();
  const result = await service.invoke(channel, payload);
  const ms = performance.now() - t0;
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return { value: result.value, ms };
}

/**
 * The trainer entry, with its peak memory read just before the parent stops it (after its last
 * message), and sampled meanwhile in case it dies.
 */
function measuredTrainer(peaks: number[]): SpawnTrainer {
  return () => {
    const handle = forkTrainer();
    let peak = 0;
    const sample = () => (peak = Math.max(peak, processPeakRssMb(handle.pid) ?? 0));
    const timer = setInterval(sample, 1000);
    let recorded = false;
    const record = () => {
      clearInterval(timer);
      if (!recorded) peaks.push(Math.round(peak));
      recorded = true;
    };
    return {
      ...handle,
      onExit: (listener) => handle.onExit((...args) => (record(), listener(...args))),
      kill: () => {
        sample();
        record();
        handle.kill();
      },
    };
  };
}

async function importStage(dir: string) {
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench' });
  try {
    await call(service, 'project:create', { path: projectFile(dir), name: 'scale', labels: [...labelSetPresets.binary] });
    const imported = await call(service, 'import:run', { path: join(dir, 'reviews.jsonl'), columns: { textColumn: 'text' } });
    const open = fileMb(projectFile(dir));
    await call(service, 'project:close', {});
    return { rows: imported.value.imported, seconds: imported.ms / 1000, rowsPerSecond: Math.round(imported.value.imported / (imported.ms / 1000)), fileAfterImport: open, fileClosed: fileMb(projectFile(dir)), peakRssMb: peakRssMb() };
  } finally {
    await service.dispose();
  }
}

/** What the app's background indexer does after an import, in one go (time and file size). */
function indexStage(dir: string) {
  const project = Project.open(projectFile(dir));
  try {
    const items = project.searchIndex.pending();
    const t0 = performance.now();
    project.searchIndex.indexAll();
    const seconds = (performance.now() - t0) / 1000;
    project.db.pragma('wal_checkpoint(TRUNCATE)');
    return { items, seconds, itemsPerSecond: items ? Math.round(items / seconds) : 0, file: fileMb(projectFile(dir)), peakRssMb: peakRssMb() };
  } finally {
    project.close();
  }
}

/** A fresh process opening the project as the app does, then what the Annotate screen asks first. */
async function openStage(dir: string) {
  const t0 = performance.now();
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench' });
  try {
    const open = await call(service, 'project:open', { path: projectFile(dir) });
    const summary = await call(service, 'project:summary', {});
    const first = await call(service, 'items:list', { label: 'unlabelled', limit: 1, withTotal: false });
    const page = await call(service, 'items:list', { label: 'unlabelled', offset: 0, limit: 50 });
    return {
      totalMs: Number((performance.now() - t0).toFixed(1)),
      openMs: open.ms,
      summaryMs: summary.ms,
      firstUnlabelledMs: first.ms,
      listPageMs: page.ms,
      items: open.value.items,
      peakRssMb: peakRssMb(),
    };
  } finally {
    await service.dispose();
  }
}

export const searches = [
  'great',
  'movie',
  'the',
  'sommelier',
  'Hitchcock',
  '"waste of time"',
  '"one of the best"',
  'great acting',
  'ok',
  'zombie',
  'boring plot',
  'xyzzy',
];

/** Labelling through the queue (label, then the next unlabelled), then searches as both views ask. */
async function annotateStage(dir: string, labelSteps: number, searchRounds: number) {
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench' });
  try {
    await call(service, 'project:open', { path: projectFile(dir) });
    // The labelling assistant (on by default) retrains in the background after 200 labels and would
    // share the two cores with what is measured here.
    await call(service, 'assist:configure', { auto: false });
    const restart = await call(service, 'items:list', { label: 'unlabelled', limit: 1, withTotal: false });
    let current = restart.value.items[0]!.id;
    const random = seededRandom(5);
    const samples = { label: [] as number[], next: [] as number[], labelAndNext: [] as number[] };
    for (let i = 0; i < labelSteps; i++) {
      const label = await call(service, 'labels:set', { itemIds: [current], label: random() < 0.5 ? 'positive' : 'negative', origin: 'manual' });
      const next = await call(service, 'items:list', { label: 'unlabelled', after: current, limit: 1, withTotal: false });
      samples.label.push(label.ms);
      samples.next.push(next.ms);
      samples.labelAndNext.push(label.ms + next.ms);
      current = next.value.items[0]!.id;
    }
    // The Annotate card: first match and matches counted up to 10,001; the list view: a page of 50 and the full count.
    const first: number[] = [];
    const card: number[] = [];
    const cardUnlabelled: number[] = [];
    const list: number[] = [];
    const perQuery: Record<string, { cardP50: number; cardP99: number; listP50: number; listP99: number; matches: number | null }> = {};
    for (const search of searches) {
      const c: number[] = [];
      const l: number[] = [];
      let matches: number | null = null;
      for (let r = 0; r < searchRounds; r++) {
        // The first match alone: what puts a review on the card, before any counting.
        first.push((await call(service, 'items:list', { search, limit: 1, withTotal: false })).ms);
        c.push((await call(service, 'items:list', { search, limit: 1, withTotal: true, maxTotal: 10_001 })).ms);
        cardUnlabelled.push((await call(service, 'items:list', { search, label: 'unlabelled', limit: 1, withTotal: true, maxTotal: 10_001 })).ms);
        const page = await call(service, 'items:list', { search, offset: 0, limit: 50 });
        l.push(page.ms);
        matches = page.value.total;
      }
      card.push(...c);
      list.push(...l);
      perQuery[search] = { cardP50: latency(c).p50, cardP99: latency(c).p99, listP50: latency(l).p50, listP99: latency(l).p99, matches };
    }
    return {
      restartMs: restart.ms,
      label: latency(samples.label),
      next: latency(samples.next),
      labelAndNext: latency(samples.labelAndNext),
      searchFirst: latency(first),
      searchCard: latency(card),
      searchCardUnlabelled: latency(cardUnlabelled),
      searchList: latency(list),
      perQuery,
      peakRssMb: peakRssMb(),
    };
  } finally {
    await service.dispose();
  }
}

/** The source labels onto the imported items: a second import of the same file, with its label column. */
async function labelsStage(dir: string) {
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench' });
  try {
    await call(service, 'project:open', { path: projectFile(dir) });
    const imported = await call(service, 'import:run', { path: join(dir, 'reviews.jsonl'), columns: { textColumn: 'text', labelColumn: 'label' } });
    const summary = await call(service, 'project:summary', {});
    return { seconds: imported.ms / 1000, labelled: summary.value.labelled, conflicts: imported.value.labelConflicts, file: fileMb(projectFile(dir)), peakRssMb: peakRssMb() };
  } finally {
    await service.dispose();
  }
}

async function trainStage(dir: string, overrides: Record<string, unknown>) {
  const project = Project.open(projectFile(dir));
  const peaks: number[] = [];
  try {
    const t0 = performance.now();
    let snapshotSeconds = 0;
    let lastLog = 0;
    const run = await trainRun(
      project,
      { preset: 'fast', overrides, appVersion: 'bench', baseline: false },
      {
        onCreated: () => (snapshotSeconds = (performance.now() - t0) / 1000),
        onProgress: (p) => {
          if (Date.now() - lastLog < 30_000) return;
          lastLog = Date.now();
          console.error(`  training: batch ${p.batch} of ${p.batches}, ${p.samplesPerSecond.toFixed(0)} samples/s, eta ${(p.etaSeconds / 60).toFixed(1)} min`);
        },
      },
      measuredTrainer(peaks),
    );
    if (run.status !== 'done') throw new Error(`run ${run.id} ended ${run.status}: ${run.error ?? ''}`);
    return {
      runId: run.id,
      seconds: (performance.now() - t0) / 1000,
      snapshotSeconds,
      trainerSeconds: run.metrics?.seconds ?? null,
      samplesPerSecond: Math.round(run.metrics?.samplesPerSecond ?? 0),
      sizes: run.metrics?.sizes,
      testAccuracy: run.metrics?.test?.accuracy ?? null,
      trainerPeakRssMb: peaks[0] ?? null,
      peakRssMb: peakRssMb(),
    };
  } finally {
    project.close();
  }
}

/** As many new, unlabelled reviews again, then the Annotate screen's "refresh suggestions" on them. */
async function scoreStage(dir: string) {
  const peaks: number[] = [];
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench', spawnTrainer: measuredTrainer(peaks) });
  try {
    await call(service, 'project:open', { path: projectFile(dir) });
    const imported = await call(service, 'import:run', { path: join(dir, 'more.jsonl'), columns: { textColumn: 'text' } });
    const runId = (await call(service, 'runs:list', {})).value.filter((r) => r.status === 'done').at(-1)!.id;
    const refreshed = await call(service, 'prelabels:refresh', { runId });
    return {
      importSeconds: imported.ms / 1000,
      imported: imported.value.imported,
      prelabelled: refreshed.value.prelabelled,
      seconds: refreshed.ms / 1000,
      scorerPeakRssMb: peaks[0] ?? null,
      file: fileMb(projectFile(dir)),
      peakRssMb: peakRssMb(),
    };
  } finally {
    await service.dispose();
  }
}

export type StageName = 'source' | 'import' | 'index' | 'open' | 'annotate' | 'labels' | 'train' | 'score';

export async function runStage(stage: StageName, dir: string, items: number, options: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (stage) {
    case 'source':
      return { ...(await writeScaleSources(dir, items)), peakRssMb: peakRssMb() };
    case 'import':
      return importStage(dir);
    case 'index':
      return indexStage(dir);
    case 'open':
      return openStage(dir);
    case 'annotate':
      return annotateStage(dir, Number(options['labelSteps'] ?? 1000), Number(options['searchRounds'] ?? 45));
    case 'labels':
      return labelsStage(dir);
    case 'train':
      return trainStage(dir, (options['overrides'] as Record<string, unknown>) ?? { epochs: 1 });
    case 'score':
      return scoreStage(dir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [stage, dir, items, options] = process.argv.slice(2);
  const result = await runStage(stage as StageName, dir!, Number(items), options ? (JSON.parse(options) as Record<string, unknown>) : {});
  // The machine is shared: the one-minute load average at the end says how much.
  console.log(JSON.stringify({ ...result, loadAverage: Number(loadavg()[0]!.toFixed(1)) }));
  process.exit(0);
}
