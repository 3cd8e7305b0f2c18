/**
 * `sentiment-studio info --project p.sstudio`: items, labels per class and per split.
 */
import { formatCount } from '../../../common/format';
import { splits } from '../../../common/contract';
import { table, type CliContext } from '../context';
import type { ParsedFlags } from '../args';

export async function infoCommand(ctx: CliContext, _args: string[], flags: ParsedFlags): Promise<void> {
  const path = flags.string('project', true)!;
  const summary = await ctx.call('project:open', { path, readOnly: flags.boolean('read-only') });
  const labels = summary.labels.map((l) => l.name);
  ctx.say(`${summary.name} (${summary.path})`);
  ctx.say(
    `${formatCount(summary.items)} items: ${formatCount(summary.labelled)} labelled, ${formatCount(summary.unlabelled)} unlabelled; ` +
      `${formatCount(summary.labelEvents)} label events` +
      (summary.annotators.length ? ` by ${summary.annotators.join(', ')}` : ''),
  );
  const rows: (string | number)[][] = [['label', ...splits, 'total']];
  for (const l of labels) rows.push([l, ...splits.map((s) => summary.perSplit[s][l] ?? 0), summary.perLabel[l] ?? 0]);
  rows.push(['total', ...splits.map((s) => Object.values(summary.perSplit[s]).reduce((a, b) => a + b, 0)), summary.labelled]);
  ctx.say(table(rows));
  ctx.result(summary);
}
