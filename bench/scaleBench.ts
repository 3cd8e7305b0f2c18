/**
 * Scale (issue 11): a project of a million short IMDB reviews. Import, file size, opening,
 * annotate-next and search latency (target: p99 under 50 ms), then training the fast preset on
 * every review and scoring as many new ones, with each process's peak memory (target: under
 * 2 GB). Each stage runs in a process of its own (scaleStages.ts); the quick figures come first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCount } from '../src-main/common/format';
import { median } from './data';
import type { Latency, StageName } from './scaleStages';

export interface ScaleOptions {
  items: number;
  /** Keep (or reuse) the project and source files here instead of a temporary folder. */
  dir?: string;
  stages?: StageName[];
  /** Hyperparameter overrides of the fast preset for the training stage. */
  trainOverrides?: Record<string, unknown>;
  /** Fresh processes opening the project; the median is reported. */
  opens?: number;
  log?: (line: string) => void;
}

/** The second open and annotate rounds see the project doubled: a million labelled, a million new ones scored. */
export const allStages: StageName[] = ['source', 'import', 'index', 'open', 'annotate', 'labels', 'train', 'score', 'index', 'open', 'annotate'];

function runStageProcess(stage: StageName, dir: string, items: number, options: Record<string, unknown>): Record<string, unknown> {
  const script = fileURLToPath(new URL('./scaleStages.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, stage, dir, String(items), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`scale stage '${stage}' exited with ${child.status ?? child.signal}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const ms = (l: Latency) => `p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms (${l.samples} samples)${l.p99 < 50 ? '' : ' → p99 target NOT met'}`;
/** A count's time to its answer: no target (the screen shows its first review without it), so no verdict. */
const counted = (l: Latency) => `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`;
const mb = (x: unknown) => `${Math.round(Number(x))} MB`;

/** One line per stage for the console, from the stage's figures. */
function describe(stage: StageName, r: Record<string, any>): string[] {
  switch (stage) {
    case 'source':
      return [`source: ${formatCount(r.rows)} short reviews (${r.megabytes.reviews.toFixed(0)} MB of text) + as many to score (${r.megabytes.more.toFixed(0)} MB)`];
    case 'import':
      return [
        `import: ${formatCount(r.rows)} reviews in ${r.seconds.toFixed(1)} s (${formatCount(r.rowsPerSecond)} rows/s); file ${mb(r.fileAfterImport.mb)} + WAL ${mb(r.fileAfterImport.walMb)}, ${mb(r.fileClosed.mb)} closed; peak RSS ${mb(r.peakRssMb)}`,
      ];
    case 'index':
      return [`search index: ${formatCount(r.items)} items in ${r.seconds.toFixed(0)} s (${formatCount(r.itemsPerSecond)} items/s); file ${mb(r.file.mb)}; peak RSS ${mb(r.peakRssMb)}`];
    case 'open':
      return [
        `open (fresh process, median of ${r.runs}): ${r.totalMs.toFixed(0)} ms to the first review (project:open ${r.openMs.toFixed(1)} ms, summary ${r.summaryMs.toFixed(1)} ms, first unlabelled ${r.firstUnlabelledMs.toFixed(1)} ms, list page ${r.listPageMs.toFixed(1)} ms); ${formatCount(r.items)} items; peak RSS ${mb(r.peakRssMb)}`,
      ];
    case 'annotate':
      return [
        `annotate: restart ${r.restartMs.toFixed(1)} ms; next unlabelled ${ms(r.next)}`,
        `  label (labels:set with its summary) ${ms(r.label)}; label + next ${ms(r.labelAndNext)}`,
        `  label with the assistant on (counting towards its next refresh) ${ms(r.labelAssistOn)}`,
        `  the "positive" queue: next ${ms(r.labelQueue.next)}; back from the project's end ${r.labelQueue.backFromEndMs.toFixed(2)} ms; next past its last ${r.labelQueue.pastLastMs.toFixed(2)} ms`,
        `  search, Annotate card (first match) ${ms(r.searchCard)}; in the unlabelled queue ${ms(r.searchCardUnlabelled)}`,
        `  search, list view (page of 50) ${ms(r.searchList)}`,
        `  counting apart (items:count, in slices): to 10,001 in the unlabelled queue ${counted(r.countCard)}; all, for the list ${counted(r.countList)}`,
        `  a label sent while a count runs ${ms(r.labelWhileCounting)}`,
        ...Object.entries(r.perQuery as Record<string, { cardP99: number; listP99: number; countP50: number; listCountP50: number; matches: number | null }>).map(
          ([q, v]) => `    ${q}: ${formatCount(v.matches ?? 0)} matches; card p99 ${v.cardP99} ms; list page p99 ${v.listP99} ms; counted to 10,001 in ${v.countP50} ms, all in ${v.listCountP50} ms (p50)`,
        ),
        `  peak RSS ${mb(r.peakRssMb)}`,
      ];
    case 'labels':
      return [`labels (the source file again, with its label column): ${r.seconds.toFixed(1)} s; ${formatCount(r.labelled)} labelled; file ${mb(r.file.mb)}; peak RSS ${mb(r.peakRssMb)}`];
    case 'train':
      return [
        `train (fast preset, ${JSON.stringify(r.overrides)}): ${(r.seconds / 60).toFixed(1)} min (snapshot ${r.snapshotSeconds.toFixed(1)} s), ${formatCount(r.samplesPerSecond)} samples/s, ` +
          `${formatCount(r.sizes.train)} train / ${formatCount(r.sizes.validation)} validation / ${formatCount(r.sizes.test)} test, test accuracy ${(100 * r.testAccuracy).toFixed(2)}%`,
        `  trainer peak RSS ${mb(r.trainerPeakRssMb)}${r.trainerPeakRssMb < 2048 ? '' : ' → target NOT met'}; parent peak RSS ${mb(r.peakRssMb)}`,
      ];
    case 'score':
      return [
        `score: import ${formatCount(r.imported)} new reviews in ${r.importSeconds.toFixed(1)} s; suggestions for ${formatCount(r.prelabelled)} in ${(r.seconds / 60).toFixed(1)} min`,
        `  scorer peak RSS ${mb(r.scorerPeakRssMb)}${r.scorerPeakRssMb < 2048 ? '' : ' → target NOT met'}; parent peak RSS ${mb(r.peakRssMb)}; file ${mb(r.file.mb)}`,
        `  main process held at a time meanwhile: p50 ${r.heldMs.p50.toFixed(1)} ms, p99 ${r.heldMs.p99.toFixed(1)} ms, max ${r.heldMs.max.toFixed(1)} ms; "most useful next" page ${ms(r.usefulPage)}`,
      ];
  }
}

export async function benchScale(options: ScaleOptions): Promise<Record<string, unknown>> {
  const log = options.log ?? console.log;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sstudio-scale-'));
  const stages = options.stages ?? allStages;
  const results: Record<string, unknown> = { items: options.items };
  try {
    const seen = new Map<StageName, number>();
    for (const stage of stages) {
      const round = (seen.get(stage) ?? 0) + 1;
      seen.set(stage, round);
      let r: Record<string, unknown>;
      if (stage === 'open') {
        // Fresh processes, so nothing is cached but what the operating system keeps of the file.
        const runs = Array.from({ length: options.opens ?? 3 }, () => runStageProcess('open', dir, options.items, {}));
        r = { ...runs[0], runs: runs.length };
        for (const key of ['totalMs', 'openMs', 'summaryMs', 'firstUnlabelledMs', 'listPageMs', 'peakRssMb']) r[key] = median(runs.map((x) => Number(x[key])));
      } else {
        const overrides = options.trainOverrides ?? { epochs: 1 };
        r = runStageProcess(stage, dir, options.items, stage === 'train' ? { overrides } : {});
        if (stage === 'train') r.overrides = overrides;
      }
      const key = round === 1 ? stage : `${stage}${round}`;
      results[key] = r;
      const lines = describe(stage, r);
      if (r.loadAverage !== undefined) lines[0] += ` [load average ${String(r.loadAverage)} on ${availableParallelism()} cores]`;
      for (const line of lines) log(round === 1 ? line : line.replace(/^(\S+?):/, `$1 (round ${round}):`));
    }
    return results;
  } finally {
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}
