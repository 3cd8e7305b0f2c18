/**
 * The scale benchmark's stages, one process each (`node --import tsx bench/scaleStages.ts <stage>
 * <dir> <items>`), so every stage's peak resident set size is its own: maxRSS only grows. The last
 * stdout line is the stage's figures as one JSON object. scaleBench.ts runs them in order.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { labelSetPresets } from '../src-main/common/labels';
import { Project } from '../src-main/node/db/project';
import { createStudioService } from '../src-main/node/services';
import { call } from './timedCall';
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

/** Labels timed with the assistant counting towards its next refresh. */
const assistLabelSteps = 200;

/** Labelling through the queue (label, then the next unlabelled), then searches as both views ask. */
async function annotateStage(dir: string, labelSteps: number, searchRounds: number) {
  const service = createStudioService({ appVersion: 'bench', annotator: 'bench' });
  try {
    await call(service, 'project:open', { path: projectFile(dir) });
    const restart = await call(service, 'items:list', { label: 'unlabelled', limit: 1, withTotal: false });
    let current = restart.value.items[0]!.id;
    const random = seededRandom(5);
    const samples = { label: [] as number[], next: [] as number[], labelAndNext: [] as number[], labelAssistOn: [] as number[] };
    // The labelling assistant on (as by default), counting people's labels after each one towards
    // its next refresh, set far enough away that no retraining shares the cores.
    await call(service, 'assist:configure', { auto: true, every: 100_000 });
    for (let i = 0; i < assistLabelSteps; i++) {
      samples.labelAssistOn.push((await call(service, 'labels:set', { itemIds: [current], label: random() < 0.5 ? 'positive' : 'negative', origin: 'manual' })).ms);
      current = (await call(service, 'items:list', { label: 'unlabelled', after: current, limit: 1, withTotal: false })).value.items[0]!.id;
    }
    // Then off: it retrains in the background after 200 labels by default and would share the two
    // cores with what is measured here.
    await call(service, 'assist:configure', { auto: false });
    for (let i = 0; i < labelSteps; i++) {
      const label = await call(service, 'labels:set', { itemIds: [current], label: random() < 0.5 ? 'positive' : 'negative', origin: 'manual' });
      const next = await call(service, 'items:list', { label: 'unlabelled', after: current, limit: 1, withTotal: false });
      samples.label.push(label.ms);
      samples.next.push(next.ms);
      samples.labelAndNext.push(label.ms + next.ms);
      current = next.value.items[0]!.id;
    }
    // A label's queue ("positive"): 200 steps from its start, then "next" past its last item and
    // "back" from the end of the project, where runs of other items lie between.
    const queueSteps: number[] = [];
    let inQueue: number | undefined;
    for (let i = 0; i < 200; i++) {
      const next = await call(service, 'items:list', { label: 'positive', ...(inQueue === undefined ? {} : { after: inQueue }), limit: 1, withTotal: false });
      queueSteps.push(next.ms);
      if (!next.value.items[0]) break;
      inQueue = next.value.items[0].id;
    }
    const lastItem = (await call(service, 'items:list', { before: 2 ** 31 - 1, limit: 1, withTotal: false })).value.items[0]!.id;
    const queueBack = await call(service, 'items:list', { label: 'positive', before: lastItem + 1, limit: 1, withTotal: false });
    const queueEnd = await call(service, 'items:list', { label: 'positive', after: queueBack.value.items[0]?.id ?? lastItem, limit: 1, withTotal: false });
    // As the screens ask: the Annotate card's first match (in all reviews and in the unlabelled
    // queue) and the list's page of 50, each without a count; then the counts, apart
    // (items:count: to 10,001 for the card, all of them for the list), which run in slices with
    // the event loop free between them. A label is sent while each count runs, as a key press
    // would be: its answer time is what counting costs the analyst.
    const timed = { card: [] as number[], cardUnlabelled: [] as number[], list: [] as number[] };
    const counts = { card: [] as number[], list: [] as number[], labelDuring: [] as number[] };
    const perQuery: Record<string, { cardP99: number; listP99: number; countP50: number; listCountP50: number; matches: number | null }> = {};
    const labelWhileCounting = async (count: Promise<{ value: { total: number | null }; ms: number }>) => {
      await new Promise((resolve) => setImmediate(resolve));
      const label = await call(service, 'labels:set', { itemIds: [current], label: random() < 0.5 ? 'positive' : 'negative', origin: 'manual' });
      counts.labelDuring.push(label.ms);
      return count;
    };
    for (const search of searches) {
      const q = { card: [] as number[], list: [] as number[], count: [] as number[], listCount: [] as number[] };
      let matches: number | null = null;
      for (let r = 0; r < searchRounds; r++) {
        q.card.push((await call(service, 'items:list', { search, limit: 1, withTotal: false })).ms);
        timed.cardUnlabelled.push((await call(service, 'items:list', { search, label: 'unlabelled', limit: 1, withTotal: false })).ms);
        q.list.push((await call(service, 'items:list', { search, offset: 0, limit: 50, withTotal: false })).ms);
        const cardCount = await labelWhileCounting(call(service, 'items:count', { search, label: 'unlabelled', maxTotal: 10_001, slot: 'card' }));
        q.count.push(cardCount.ms);
        const listCount = await labelWhileCounting(call(service, 'items:count', { search, slot: 'list' }));
        q.listCount.push(listCount.ms);
        matches = listCount.value.total;
      }
      timed.card.push(...q.card);
      timed.list.push(...q.list);
      counts.card.push(...q.count);
      counts.list.push(...q.listCount);
      perQuery[search] = {
        cardP99: latency(q.card).p99,
        listP99: latency(q.list).p99,
        countP50: latency(q.count).p50,
        listCountP50: latency(q.listCount).p50,
        matches,
      };
    }
    return {
      restartMs: restart.ms,
      label: latency(samples.label),
      labelAssistOn: latency(samples.labelAssistOn),
      labelQueue: { next: latency(queueSteps), backFromEndMs: queueBack.ms, pastLastMs: queueEnd.ms },
      next: latency(samples.next),
      labelAndNext: latency(samples.labelAndNext),
      searchCard: latency(timed.card),
      searchCardUnlabelled: latency(timed.cardUnlabelled),
      searchList: latency(timed.list),
      countCard: latency(counts.card),
      countList: latency(counts.list),
      labelWhileCounting: latency(counts.labelDuring),
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
    // How long the main process is held at a time while the scorer runs and the suggestions are stored:
    // what a label sent meanwhile would wait at most.
    const held = monitorEventLoopDelay({ resolution: 1 });
    held.enable();
    const refreshed = await call(service, 'prelabels:refresh', { runId });
    held.disable();
    // The "Most useful next" queue over those suggestions, a page at a time as the screen asks.
    const useful: number[] = [];
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) {
      const page = await call(service, 'items:useful', { limit: 20, exclude: seen.slice(-5000) });
      useful.push(page.ms);
      seen.push(...page.value.items.map((item) => item.id));
    }
    return {
      heldMs: { p50: held.percentile(50) / 1e6, p99: held.percentile(99) / 1e6, max: held.max / 1e6 },
      usefulPage: latency(useful),
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
