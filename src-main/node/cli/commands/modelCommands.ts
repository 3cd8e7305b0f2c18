/**
 * `export --run <id> --out <dir>` and `predict --model <bundle> <file>` (or `--project p --run id`).
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { formatCount } from '../../../common/format';
import { csvField } from '../../export/data';
import { readModelBundle, writeModelBundle } from '../../export/modelBundle';
import { openRecordStream } from '../../ingest/source';
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
  const format = extname(out).toLowerCase() === '.jsonl' ? 'jsonl' : 'csv';
  const predictor = await predictorFrom(ctx, flags);
  const stream = await openRecordStream(file, {});
  const textColumn = flags.string('text-column') ?? (stream.columns.includes('text') ? 'text' : stream.columns[0]);
  if (!textColumn || (stream.columnsComplete && !stream.columns.includes(textColumn))) {
    await stream.close();
    throw new UsageError(`no text column '${textColumn ?? ''}' in ${file}; its columns are ${stream.columns.join(', ')} (use --text-column)`);
  }
  const { labels } = predictor;
  const temp = `${out}.partial-${process.pid}`;
  const fd = openSync(temp, 'w');
  const counts = Object.fromEntries(labels.map((l) => [l, 0])) as Record<string, number>;
  const bar = new ProgressBar('Scoring');
  let rows = 0;
  const started = Date.now();
  const flush = (batch: { line: number; text: string }[]) => {
    const probabilities = predictor.predict(batch.map((b) => b.text));
    const lines: string[] = [];
    batch.forEach((b, i) => {
      const row = probabilities.subarray(i * labels.length, (i + 1) * labels.length);
      let best = 0;
      for (let c = 1; c < labels.length; c++) if (row[c]! > row[best]!) best = c;
      counts[labels[best]!]!++;
      const p = Object.fromEntries(labels.map((l, c) => [`p_${l}`, Number(row[c]!.toFixed(6))]));
      lines.push(format === 'jsonl' ? JSON.stringify({ line: b.line, text: b.text, label: labels[best], ...p }) : [b.line, csvField(b.text), labels[best], ...Object.values(p)].join(','));
    });
    writeSync(fd, lines.join(format === 'jsonl' ? '\n' : '\r\n') + (format === 'jsonl' ? '\n' : '\r\n'));
    rows += batch.length;
    bar.update({ done: stream.bytesRead(), total: stream.source.totalBytes, detail: `${formatCount(rows)} rows · ${formatBytes(stream.bytesRead())}` });
  };
  try {
    if (format === 'csv') writeSync(fd, ['line', 'text', 'label', ...labels.map((l) => `p_${l}`)].join(',') + '\r\n');
    let batch: { line: number; text: string }[] = [];
    for await (const record of stream.records) {
      batch.push({ line: record.line, text: record.fields[textColumn] ?? '' });
      if (batch.length === 256) {
        flush(batch);
        batch = [];
      }
    }
    if (batch.length) flush(batch);
    closeSync(fd);
    renameSync(temp, out);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  } finally {
    bar.finish();
    await stream.close();
    predictor.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  ctx.say(`Scored ${formatCount(rows)} rows in ${seconds.toFixed(1)} s with ${predictor.backend}: ${labels.map((l) => `${l} ${formatCount(counts[l]!)}`).join(', ')}. Wrote ${out}.`);
  ctx.result({ rows, out, labels: counts, seconds, backend: predictor.backend });
}
