/**
 * `sentiment-studio export-data --project p.sstudio --out labels.csv [--format csv|jsonl] [--history] [--overwrite]`.
 */
import { formatCount } from '../../../common/format';
import { extname } from 'node:path';
import { exportFormats, type ExportFormat } from '../../../common/contract';
import { UsageError, type CliContext } from '../context';
import type { ParsedFlags } from '../args';

export async function exportDataCommand(ctx: CliContext, _args: string[], flags: ParsedFlags): Promise<void> {
  const path = flags.string('project', true)!;
  const out = flags.string('out', true)!;
  const format = (flags.string('format') ?? (extname(out).slice(1).toLowerCase() || 'csv')) as ExportFormat;
  if (!exportFormats.includes(format)) throw new UsageError(`--format must be one of ${exportFormats.join(', ')}`);
  await ctx.call('project:open', { path });
  const result = await ctx.call('data:export', { path: out, format, history: flags.boolean('history'), overwrite: flags.boolean('overwrite') });
  ctx.say(`Wrote ${formatCount(result.rows)} ${flags.boolean('history') ? 'label events' : 'labelled items'} to ${result.path}.`);
  ctx.result(result);
}
