/**
 * `sentiment-studio check-labels --project p.sstudio [--folds 5] [--preset fast | --fold-model baseline] [--top 20] [--json]`:
 * the label check from the command line. Trains the out-of-fold models, then lists the items
 * whose given label the models most confidently disagree with.
 */
import { StudioError } from '../../../common/errors';
import { formatCount } from '../../../common/format';
import type { SuspectRow } from '../../../common/labelCheck';
import { ProgressBar } from '../progress';
import { table, UsageError, type CliContext } from '../context';
import type { FlagSpec, ParsedFlags } from '../args';
import { hyperparameterOverrides, presetFlag, trainFlags } from './trainCommand';

export const labelCheckFlags: FlagSpec = {
  strings: [...trainFlags.strings.filter((f) => !['from', 'data', 'test', 'labels'].includes(f)), 'folds', 'top', 'fold-model'],
  booleans: trainFlags.booleans.filter((f) => f !== 'baseline' && f !== 'no-baseline'),
};

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

export async function labelCheckCommand(ctx: CliContext, args: string[], flags: ParsedFlags): Promise<void> {
  if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}'`);
  const project = flags.string('project', true)!;
  const folds = Number(flags.string('folds') ?? 5);
  if (!Number.isInteger(folds) || folds < 2 || folds > 10) throw new UsageError('--folds must be a whole number from 2 to 10');
  const top = Number(flags.string('top') ?? 20);
  if (!Number.isInteger(top) || top < 1 || top > 500) throw new UsageError('--top must be a whole number from 1 to 500');
  const foldModel = flags.string('fold-model') ?? 'recurrent';
  if (foldModel !== 'recurrent' && foldModel !== 'baseline') throw new UsageError('--fold-model must be recurrent or baseline');
  const preset = presetFlag(flags, 'fast');
  const overrides = hyperparameterOverrides(flags);
  await ctx.call('project:open', { path: project });
  const bar = new ProgressBar('Checking');
  const onSigint = () => {
    ctx.note('\nCancelling the label check…');
    void ctx.service.invoke('train:cancel', {});
  };
  process.once('SIGINT', onSigint);
  try {
    let runId = 0;
    let epochs = 1;
    const finished = new Promise<{ status: string; error: string | null }>((resolve) =>
      ctx.service.on('train:finished', (f) => {
        if (f.runId === runId) resolve(f);
      }),
    );
    ctx.service.on('train:progress', (p) => {
      if (foldModel === 'baseline') return bar.update({ done: p.batch, total: folds, detail: `fold ${p.batch} of ${folds}` });
      const fold = Math.floor((p.epoch - 1) / epochs) + 1;
      bar.update({ done: (p.epoch - 1) * p.batches + p.batch, total: folds * epochs * p.batches, detail: `fold ${fold} of ${folds} · loss ${p.loss.toFixed(4)}` });
    });
    runId = (await ctx.call('train:start', { model: 'crossval', preset, overrides, folds, foldModel })).runId;
    const runs = await ctx.call('runs:list', {});
    epochs = Number(runs.find((r) => r.id === runId)?.hyperparameters['epochs'] ?? 1);
    ctx.note(`Run ${runId}: ${folds}-fold label check with ${foldModel === 'baseline' ? 'the n-gram baseline' : `the ${preset} preset`}…`);
    const outcome = await finished;
    bar.finish();
    if (outcome.status !== 'done') throw new StudioError(outcome.status === 'cancelled' ? 'cancelled' : 'internal', `The label check ended ${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}.`);
    const page = await ctx.call('labels:suspects', { runId, limit: top, hideReviewed: false });
    const oof = (await ctx.call('runs:list', {})).find((r) => r.id === runId)?.test;
    ctx.say(
      `Checked ${formatCount(page.checked)} labelled items; ${formatCount(page.flagged)} look mislabelled` +
        (oof ? ` (the out-of-fold models agree with ${(100 * oof.accuracy).toFixed(1)}% of the given labels).` : '.'),
    );
    if (page.rows.length > 0) {
      const rows: (string | number)[][] = [['item', 'given', 'suggested', 'margin', 'text']];
      for (const r of page.rows as SuspectRow[]) rows.push([r.itemId, r.given, r.suggested, r.margin.toFixed(3), clip(r.text, 70)]);
      ctx.say(table(rows));
      ctx.say('Review them in the app (Evaluate ▸ Label check), or relabel with the annotate view.');
    }
    ctx.result({ runId, checked: page.checked, flagged: page.flagged, thresholds: page.thresholds, labels: page.labels, suspects: page.rows.map(({ text: _text, ...r }) => r) });
  } finally {
    bar.finish();
    process.off('SIGINT', onSigint);
    await ctx.service.invoke('project:close', {});
  }
}
