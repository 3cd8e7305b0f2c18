/**
 * `sentiment-studio train --project p.sstudio [--preset accurate] [--epochs 5 …] [--json]`, or
 * without a project: `train --data train.jsonl.gz [--test test.jsonl.gz]` into a temporary one.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE_RUN_KIND } from '../../../common/baseline';
import { formatCount } from '../../../common/format';
import { hyperparameterFields, presetNames, defaultPreset, type PresetName } from '../../../common/hyperparameters';
import { parseHyperparameterFlags } from '../../../common/hyperparameterFlags';
import type { EpochMetrics } from '../../../common/trainer';
import { labelSetFromNames } from '../../../common/labels';
import { Project } from '../../db/project';
import { baselineComparison, Runs, type RunRecord } from '../../db/runs';
import { importFile } from '../../ingest/importer';
import { trainBaselineRun, trainRun, type TrainHooks } from '../../train/trainerClient';
import { ProgressBar } from '../progress';
import { describeMetrics } from './evaluateCommand';
import { UsageError, type CliContext } from '../context';
import type { FlagSpec, ParsedFlags } from '../args';

const hpStrings = hyperparameterFields.filter((f) => f.kind !== 'boolean').map((f) => f.flag.replace(/^--/, ''));
const hpBooleans = hyperparameterFields.filter((f) => f.kind === 'boolean').map((f) => f.flag.replace(/^--/, ''));

export const trainFlags: FlagSpec = {
  strings: ['project', 'preset', 'from', 'data', 'test', 'labels', ...hpStrings],
  booleans: ['json', 'baseline', 'no-baseline', ...hpBooleans, ...hpBooleans.map((b) => `no-${b}`)],
};

/** The hyperparameter flags that mean something to the n-gram baseline too. */
const baselineFlagNames: Record<string, 'seed' | 'minCount' | 'classWeights'> = { seed: 'seed', 'min-count': 'minCount', 'class-weights': 'classWeights' };

export function hyperparameterOverrides(flags: ParsedFlags): Record<string, unknown> {
  const raw: Record<string, string | boolean> = {};
  for (const name of hpStrings) {
    const v = flags.string(name);
    if (v !== undefined) raw[name] = v;
  }
  for (const name of hpBooleans) {
    if (flags.boolean(name)) raw[name] = true;
    if (flags.boolean(`no-${name}`)) raw[name] = false;
  }
  try {
    return parseHyperparameterFlags(raw);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function baselineSettings(flags: ParsedFlags): Record<string, unknown> {
  for (const name of [...hpStrings, ...hpBooleans, 'preset', 'from']) {
    if (Object.hasOwn(baselineFlagNames, name)) continue;
    if (flags.string(name) !== undefined || flags.boolean(name) || flags.boolean(`no-${name}`)) {
      throw new UsageError(`--${name} does not apply to --baseline (it takes --seed, --min-count and --class-weights)`);
    }
  }
  const overrides = hyperparameterOverrides(flags);
  return Object.fromEntries(Object.entries(baselineFlagNames).flatMap(([, field]) => (overrides[field] === undefined ? [] : [[field, overrides[field]]])));
}

export function presetFlag(flags: ParsedFlags, fallback: PresetName = defaultPreset): PresetName {
  const preset = flags.string('preset') ?? fallback;
  if (!(presetNames as readonly string[]).includes(preset)) throw new UsageError(`--preset must be one of ${presetNames.join(', ')}`);
  return preset as PresetName;
}

function describeEpoch(e: EpochMetrics): string {
  const val = e.valLoss !== null ? ` · val loss ${e.valLoss.toFixed(4)} · val accuracy ${(100 * e.valAccuracy!).toFixed(2)}%` : '';
  return `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} · accuracy ${(100 * e.accuracy).toFixed(2)}%${val} · ${e.seconds.toFixed(1)} s · ${formatCount(Math.round(e.samplesPerSecond))} samples/s${e.partial ? ' (cancelled)' : ''}`;
}

/**
 * A throwaway project: --test rows go to the test split, --data rows to train and validation
 * (or, without --test, to train / validation / test by the usual shares).
 */
export async function temporaryProject(ctx: CliContext, flags: ParsedFlags): Promise<{ path: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sstudio-train-'));
  const path = join(dir, 'temporary.sstudio');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const data = flags.string('data')!;
    const test = flags.string('test');
    const preview = await ctx.call('import:preview', { path: data });
    const values = Object.hasOwn(preview.valueCounts, 'label') ? Object.keys(preview.valueCounts['label']!) : [];
    const labels = flags.string('labels')?.split(',') ?? (values.includes('neutral') ? ['positive', 'neutral', 'negative'] : ['positive', 'negative']);
    const project = Project.create(path, {
      name: 'temporary',
      labels: labelSetFromNames(labels),
      splitFractions: test ? { train: 0.9, validation: 0.1, test: 0 } : undefined,
    });
    try {
      for (const [file, split] of [[test, 'test'], [data, undefined]] as const) {
        if (!file) continue;
        ctx.note(`Importing ${file}…`);
        const summary = await importFile(project, { path: file, columns: { textColumn: 'text', labelColumn: 'label' }, split });
        ctx.note(`  ${formatCount(summary.imported)} items${split ? ` (${split} split)` : ''}`);
      }
    } finally {
      project.close();
    }
    return { path, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

function sayTestResult(ctx: CliContext, run: RunRecord, name: string): void {
  const m = run.metrics!;
  if (!m.test) {
    ctx.say(`${name} ${run.status}: no test items to evaluate on.`);
    return;
  }
  const epochs = run.kind === BASELINE_RUN_KIND ? '' : ` (best epoch ${m.bestEpoch}${m.stoppedEarly ? ', stopped early' : ''})`;
  ctx.say(
    `${name} ${run.status}: test accuracy ${(100 * m.test.accuracy).toFixed(2)}% · macro-F1 ${m.test.macroF1.toFixed(4)}` +
      (m.test.rocAuc !== null ? ` · ROC-AUC ${m.test.rocAuc.toFixed(4)}` : '') +
      ` on ${formatCount(m.test.n)} test items${epochs} in ${m.seconds.toFixed(1)} s.`,
  );
  ctx.say(describeMetrics(m.test));
}

/** Progress of the automatic baseline, one line when it ends. */
function baselineHooks(ctx: CliContext, bar: ProgressBar): TrainHooks {
  let id = 0;
  return {
    onBaselineCreated: (run) => {
      id = run.id;
      ctx.note(`No baseline for this snapshot yet: training the n-gram baseline (run ${run.id}) first…`);
    },
    onBaselineProgress: (p) => bar.update({ done: p.batch, total: p.batches, detail: `baseline step ${p.batch}/${p.batches}`, etaMs: p.etaSeconds * 1000 }),
    onBaselineDone: (run, error) => {
      bar.finish();
      const test = run?.metrics?.test;
      if (run && test) ctx.note(`Baseline run ${id}: test accuracy ${(100 * test.accuracy).toFixed(2)}% · macro-F1 ${test.macroF1.toFixed(4)} in ${run.metrics!.seconds.toFixed(1)} s.`);
      else if (run) ctx.note(`Baseline run ${id} ${run.status} (no test items).`);
      else ctx.note(`The baseline did not finish (${error?.message ?? 'unknown error'}); training goes on without a comparison.`);
    },
  };
}

async function trainBaselineOnly(ctx: CliContext, flags: ParsedFlags, project: Project): Promise<void> {
  const bar = new ProgressBar('Baseline');
  try {
    const run = await trainBaselineRun(
      project,
      { settings: baselineSettings(flags), appVersion: ctx.appVersion },
      {
        onReady: (backend, r) => ctx.note(`Run ${r.id}: n-gram baseline (NBSVM) on ${formatCount(r.snapshotSize)} labelled items, ${backend}.`),
        onProgress: (p) => bar.update({ done: p.batch, total: p.batches, detail: `step ${p.batch}/${p.batches} · validation accuracy ${(100 * p.accuracy).toFixed(1)}%`, etaMs: p.etaSeconds * 1000 }),
      },
    );
    bar.finish();
    sayTestResult(ctx, run, `Baseline run ${run.id}`);
    const m = run.metrics!;
    ctx.result({ runId: run.id, kind: run.kind, status: run.status, backend: run.backend, settings: run.hyperparameters, snapshotHash: run.snapshotHash, baseline: m.baseline, test: m.test, seconds: m.seconds, sizes: m.sizes });
  } finally {
    bar.finish();
  }
}

export async function trainCommand(ctx: CliContext, _args: string[], flags: ParsedFlags): Promise<void> {
  const baselineOnly = flags.boolean('baseline');
  if (baselineOnly && flags.boolean('no-baseline')) throw new UsageError('--baseline and --no-baseline contradict each other');
  if (baselineOnly) baselineSettings(flags);
  const preset = presetFlag(flags);
  const overrides = baselineOnly ? {} : hyperparameterOverrides(flags);
  const fromFlag = flags.string('from');
  const isRunId = fromFlag !== undefined && /^\d+$/.test(fromFlag);
  const fromRunId = isRunId ? Number(fromFlag) : undefined;
  const fromBundle = fromFlag !== undefined && !isRunId ? fromFlag : undefined;
  if (fromBundle !== undefined && !existsSync(fromBundle)) throw new UsageError(`--from: no run id or bundle folder '${fromFlag}'`);
  let projectPath = flags.string('project');
  let cleanup = () => {};
  if (!projectPath) {
    if (!flags.string('data')) throw new UsageError("'train' needs --project, or --data (and optionally --test) to train on files");
    const temp = await temporaryProject(ctx, flags);
    projectPath = temp.path;
    cleanup = temp.cleanup;
  }
  try {
    await ctx.call('project:open', { path: projectPath });
    const project = ctx.service.project!;
    if (baselineOnly) {
      await trainBaselineOnly(ctx, flags, project);
      return;
    }
    const bar = new ProgressBar('Training');
    const evaluating = new ProgressBar('Evaluating');
    let totalEpochs = 1;
    const abort = new AbortController();
    const onSigint = () => {
      ctx.note('\nCancelling after this batch (the best model so far is kept)…');
      abort.abort();
    };
    process.once('SIGINT', onSigint);
    try {
      const run = await trainRun(
        project,
        { preset, overrides, fromRunId, fromBundle, appVersion: ctx.appVersion, baseline: !flags.boolean('no-baseline') },
        {
          ...baselineHooks(ctx, new ProgressBar('Baseline')),
          signal: abort.signal,
          onReady: (backend, r) => {
            totalEpochs = Number(r.hyperparameters['epochs']);
            ctx.note(`Run ${r.id}: ${preset} preset on ${formatCount(r.snapshotSize)} labelled items, backend ${backend}.`);
          },
          onProgress: (p) =>
            bar.update({
              done: (p.epoch - 1) * p.batches + p.batch,
              total: p.batches * totalEpochs,
              detail: `epoch ${p.epoch} batch ${p.batch}/${p.batches} · loss ${p.loss.toFixed(4)} · acc ${(100 * p.accuracy).toFixed(1)}% · ${formatCount(Math.round(p.samplesPerSecond))} samples/s`,
              etaMs: p.etaSeconds * 1000,
            }),
          onEpoch: (e) => {
            bar.finish();
            ctx.note(describeEpoch(e));
          },
          onEvaluating: (done, total) => evaluating.update({ done, total, detail: `${formatCount(done)} of ${formatCount(total)} test reviews` }),
        },
      );
      bar.finish();
      evaluating.finish();
      const m = run.metrics!;
      const runs = new Runs(project.db);
      const epochs = runs.epochs(run.id);
      sayTestResult(ctx, run, `Run ${run.id}`);
      const comparison = baselineComparison(runs, run);
      if (comparison) ctx.say(`Run ${run.id} ${comparison.text} (baseline run ${comparison.baselineRunId}, same snapshot).`);
      ctx.result({
        runId: run.id,
        status: run.status,
        backend: run.backend,
        preset,
        hyperparameters: run.hyperparameters,
        snapshotHash: run.snapshotHash,
        epochs,
        bestEpoch: m.bestEpoch,
        test: m.test,
        seconds: m.seconds,
        samplesPerSecond: m.samplesPerSecond,
        sizes: m.sizes,
        baseline: comparison,
      });
    } finally {
      bar.finish();
      evaluating.finish();
      process.off('SIGINT', onSigint);
    }
  } finally {
    await ctx.service.invoke('project:close', {});
    cleanup();
  }
}
