/**
 * `evaluate --project p --run <id>`: the run's test metrics; with `--file f`, scores a labelled
 * file (any import format, `text` and `label` columns by default) with the run's or a bundle's
 * model and computes the same metrics on it.
 */
import { evaluate, type EvaluationMetrics } from '../../../common/metrics';
import { canonicalLabel } from '../../../common/labels';
import { formatCount } from '../../../common/format';
import { lineError } from '../../../common/errors';
import { Runs } from '../../db/runs';
import { readModelBundle } from '../../export/modelBundle';
import { openRecordStream } from '../../ingest/source';
import { loadPredictor, type Predictor } from '../../train/predictor';
import { UsageError, type CliContext } from '../context';
import type { ParsedFlags } from '../args';

export function describeMetrics(m: EvaluationMetrics): string {
  const lines = [
    `${formatCount(m.n)} items: accuracy ${(100 * m.accuracy).toFixed(2)}% · macro-F1 ${m.macroF1.toFixed(4)} · log-loss ${m.logLoss.toFixed(4)}` +
      (m.rocAuc !== null ? ` · ROC-AUC ${m.rocAuc.toFixed(4)}` : '') +
      ` · ECE ${m.ece.toFixed(4)}`,
    ...m.perClass.map((c) => `  ${c.label.padEnd(12)} precision ${c.precision.toFixed(3)} · recall ${c.recall.toFixed(3)} · F1 ${c.f1.toFixed(3)} · support ${formatCount(c.support)}`),
    `  confusion (rows: true, columns: predicted ${m.labels.join(' / ')}): ${m.confusion.map((r) => `[${r.join(', ')}]`).join(' ')}`,
  ];
  return lines.join('\n');
}

async function scoreFile(predictor: Predictor, file: string, textColumn: string, labelColumn: string): Promise<EvaluationMetrics> {
  const stream = await openRecordStream(file, {});
  for (const [column, flag] of [[textColumn, '--text-column'], [labelColumn, '--label-column']] as const) {
    if (stream.columnsComplete && !stream.columns.includes(column)) {
      await stream.close();
      throw new UsageError(`${file} has no column '${column}' (its columns are ${stream.columns.join(', ')}); choose one with ${flag}`);
    }
  }
  const index = new Map(predictor.labels.map((l, i) => [canonicalLabel(l), i]));
  const truth: number[] = [];
  const probabilities: number[] = [];
  let batch: string[] = [];
  const flush = () => {
    if (batch.length) probabilities.push(...predictor.predict(batch));
    batch = [];
  };
  try {
    for await (const record of stream.records) {
      const raw = record.fields[labelColumn] ?? '';
      const y = index.get(canonicalLabel(raw));
      if (y === undefined) throw lineError(record.line, `label '${raw}' is not one of ${predictor.labels.join(', ')}`);
      truth.push(y);
      batch.push(record.fields[textColumn] ?? '');
      if (batch.length === 256) flush();
    }
    flush();
  } finally {
    await stream.close();
  }
  return evaluate(truth, probabilities, predictor.labels);
}

export async function evaluateCommand(ctx: CliContext, _args: string[], flags: ParsedFlags): Promise<void> {
  const file = flags.string('file');
  const bundle = flags.string('model');
  let metrics: EvaluationMetrics | null;
  if (bundle) {
    if (!file) throw new UsageError('evaluating a bundle needs --file with labelled reviews');
    const b = readModelBundle(bundle);
    const predictor = await loadPredictor(b, b.labels.labels, bundle);
    try {
      metrics = await scoreFile(predictor, file, flags.string('text-column') ?? 'text', flags.string('label-column') ?? 'label');
    } finally {
      predictor.dispose();
    }
  } else {
    const summary = await ctx.call('project:open', { path: flags.string('project', true)!, readOnly: true });
    const raw = flags.string('run', true)!;
    const runId = Number(raw);
    if (!Number.isInteger(runId) || runId <= 0) throw new UsageError(`--run takes a run id, not '${raw}'`);
    const runs = new Runs(ctx.service.project!.db);
    if (file) {
      const saved = runs.model(runId);
      if (!saved) throw new UsageError(`run ${runId} has no saved model`);
      const predictor = await loadPredictor(saved, summary.labels.map((l) => l.name));
      try {
        metrics = await scoreFile(predictor, file, flags.string('text-column') ?? 'text', flags.string('label-column') ?? 'label');
      } finally {
        predictor.dispose();
      }
    } else {
      metrics = runs.get(runId).metrics?.test ?? null;
    }
  }
  ctx.say(metrics ? describeMetrics(metrics) : 'This run has no test metrics (no test items, or it did not finish).');
  ctx.result(metrics);
}
