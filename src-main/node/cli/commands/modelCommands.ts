/**
 * `export --run <id> --out <dir>` and `predict --model <bundle> <file>` (or `--project p --run id`).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatCount } from '../../../common/format';
import { formatFromPath } from '../../../common/prediction';
import { readModelBundle, writeModelBundle } from '../../export/modelBundle';
import { scoreFile } from '../../predict/batchPredict';
import { Runs } from '../../db/runs';
import { loadPredictor, type Predictor } from '../../train/predictor';
import { formatBytes, ProgressBar } from '../progress';
import { UsageError, type CliContext } from '../context';
import type { ParsedFlags } from '../args';

function runIdFlag(flags: ParsedFlags): number {
  const raw = flags.string('run', true)!;
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--run takes a run id, not '${raw}'`);
  return id;
}

export async function exportCommand(ctx: CliContext, _args: string[], flags: ParsedFlags): Promise<void> {
  const runId = runIdFlag(flags);
  const out = flags.string('out', true)!;
  await ctx.call('project:open', { path: flags.string('project', true)!, readOnly: true });
  const result = writeModelBundle(ctx.service.project!, runId, out, { appVersion: ctx.appVersion, overwrite: flags.boolean('overwrite') });
  ctx.say(`Wrote the model of run ${runId} to ${result.path}: ${result.files.join(', ')}.`);
  ctx.result(result);
}

async function predictorFrom(ctx: CliContext, flags: ParsedFlags): Promise<Predictor> {
  const bundle = flags.string('model');
  if (bundle) {
    const b = readModelBundle(bundle);
    return loadPredictor(b, b.labels.labels, bundle);
  }
  if (!flags.string('project')) throw new UsageError("'predict' needs --model <bundle folder>, or --project and --run");
  const summary = await ctx.call('project:open', { path: flags.string('project')!, readOnly: true });
  const runId = runIdFlag(flags);
  const saved = new Runs(ctx.service.project!.db).model(runId);
  if (!saved) throw new UsageError(`run ${runId} has no saved model`);
  return loadPredictor(saved, summary.labels.map((l) => l.name));
}

export async function predictCommand(ctx: CliContext, args: string[], flags: ParsedFlags): Promise<void> {
  const file = args[0];
  if (!file) throw new UsageError('predict needs a file to score');
  const out = flags.string('out', true)!;
  if (existsSync(out) && !flags.boolean('overwrite')) throw new UsageError(`${out} already exists; choose another name or pass --overwrite`);
  if (!existsSync(dirname(resolve(out)))) throw new UsageError(`the folder of ${out} does not exist`);
  const predictor = await predictorFrom(ctx, flags);
  const bar = new ProgressBar('Scoring');
  let summary;
  try {
    summary = await scoreFile(predictor, {
      input: file,
      textColumn: flags.string('text-column'),
      output: out,
      format: formatFromPath(out),
      overwrite: flags.boolean('overwrite'),
      previewRows: 0,
      onProgress: (p) => bar.update({ done: p.bytesRead, total: p.totalBytes ?? 0, detail: `${formatCount(p.rows)} rows · ${formatBytes(p.bytesRead)}` }),
    });
  } finally {
    bar.finish();
    predictor.dispose();
  }
  const { labels, counts, rows, seconds } = summary;
  const empty = summary.emptyRows ? ` (${formatCount(summary.emptyRows)} empty rows skipped)` : '';
  ctx.say(`Scored ${formatCount(rows)} rows${empty} in ${seconds.toFixed(1)} s with ${predictor.backend}: ${labels.map((l) => `${l} ${formatCount(counts[l]!)}`).join(', ')}. Wrote ${out}.`);
  ctx.result({ rows, emptyRows: summary.emptyRows, out, labels: counts, seconds, backend: predictor.backend });
}
