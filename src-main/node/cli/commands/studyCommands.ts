/**
 * `sentiment-studio curve` and `sentiment-studio search`: the Train screen's learning curve and
 * hyperparameter search from the command line, through the same handler map and study runner.
 *
 *   curve  --project p.sstudio [--fractions 0.1,0.25,0.5,1] [--preset fast] [hyperparameter flags]
 *   search --project p.sstudio [--strategy random|grid] [--budget 8] units=32,64,128 learning-rate=1e-4..1e-2:log
 */
import { formatCount } from '../../../common/format';
import { fieldByFlag } from '../../../common/hyperparameters';
import { parseHyperparameterFlags } from '../../../common/hyperparameterFlags';
import { curveOutlook, searchableFields, trialHyperparameters, type SearchDimension, type StudyRequest, type StudySummary } from '../../../common/studies';
import { ProgressBar } from '../progress';
import { table, UsageError, type CliContext } from '../context';
import type { FlagSpec, ParsedFlags } from '../args';
import { hyperparameterOverrides, presetFlag, temporaryProject, trainFlags } from './trainCommand';

export const studyFlags: FlagSpec = {
  strings: [...trainFlags.strings.filter((f) => f !== 'from'), 'fractions', 'strategy', 'budget', 'search-seed'],
  booleans: trainFlags.booleans.filter((f) => f !== 'baseline' && f !== 'no-baseline'),
};

const percent = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);

function typedValue(flag: string, raw: string): number | string | boolean {
  const parsed = parseHyperparameterFlags({ [flag]: raw }) as Record<string, number | string | boolean>;
  return Object.values(parsed)[0]!;
}

/** `units=32,64,128`, `learning-rate=1e-4..1e-2:log`, `cell=lstm,gru`. */
export function parseDimension(spec: string): SearchDimension {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`'${spec}': a search dimension reads name=v1,v2 or name=min..max[:log]`);
  const flag = spec.slice(0, eq).replace(/^--/, '');
  const field = fieldByFlag.get(flag);
  if (!field) throw new UsageError(`'${flag}' is not a hyperparameter flag (see: sentiment-studio help train)`);
  if (!(searchableFields as readonly string[]).includes(field.name)) {
    throw new UsageError(`--${flag} cannot be searched; the searchable ones are ${searchableFields.map((f) => fieldByFlagName(f)).join(', ')}`);
  }
  const body = spec.slice(eq + 1);
  const range = /^(.+?)\.\.(.+?)(:log)?$/.exec(body);
  if (range) return { field: field.name as SearchDimension['field'], min: Number(typedValue(flag, range[1]!)), max: Number(typedValue(flag, range[2]!)), log: range[3] !== undefined };
  const values = body.split(',').map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) throw new UsageError(`'${spec}' lists no values`);
  return { field: field.name as SearchDimension['field'], values: values.map((v) => typedValue(flag, v)) };
}

function fieldByFlagName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function fractionsFlag(flags: ParsedFlags): number[] | undefined {
  const list = flags.list('fractions');
  if (list.length === 0) return undefined;
  return list.map((f) => {
    const n = f.endsWith('%') ? Number(f.slice(0, -1)) / 100 : Number(f);
    if (!(n > 0 && n <= 1)) throw new UsageError(`--fractions: ${f} is not a share between 0 and 1 (or 1%–100%)`);
    return n;
  });
}

function describeResults(study: StudySummary): string {
  const fields = study.request.kind === 'search' ? study.request.dimensions.map((d) => d.field) : ['trainFraction'];
  const rows: (string | number)[][] = [['trial', 'run', ...fields.map(fieldByFlagName), 'train', 'best val acc', 'test acc', 'macro-F1', 'seconds', 'status']];
  for (const t of study.trials) {
    rows.push([
      `${t.index + 1}${t.index === study.bestTrial ? ' *' : ''}`,
      t.runId ?? '—',
      ...fields.map((f) => String(t.params[f] ?? '')),
      t.trainSize === null ? '—' : formatCount(t.trainSize),
      percent(t.bestValAccuracy),
      percent(t.testAccuracy),
      t.testMacroF1 === null ? '—' : t.testMacroF1.toFixed(4),
      t.seconds === null ? '—' : t.seconds.toFixed(1),
      t.status,
    ]);
  }
  const lines = [table(rows)];
  if (study.bestTrial !== null) lines.push('* best on validation accuracy (chosen on validation, never on test)');
  if (study.note) lines.push(study.note);
  const outlook = study.kind === 'learning-curve' ? curveOutlook(study.trials) : null;
  if (outlook) lines.push(`Last step: ${outlook.gainPerDoubling >= 0 ? '+' : ''}${outlook.gainPerDoubling.toFixed(2)} points of validation accuracy per doubling of the labels (${outlook.verdict}).`);
  return lines.join('\n');
}

async function runStudy(ctx: CliContext, flags: ParsedFlags, request: StudyRequest): Promise<void> {
  let projectPath = flags.string('project');
  let cleanup = () => {};
  if (!projectPath) {
    if (!flags.string('data')) throw new UsageError(`'${request.kind === 'search' ? 'search' : 'curve'}' needs --project, or --data (and optionally --test)`);
    const temp = await temporaryProject(ctx, flags);
    projectPath = temp.path;
    cleanup = temp.cleanup;
  }
  let bar = new ProgressBar('Trial');
  const onSigint = () => {
    ctx.note('\nCancelling the study after this batch (finished trials and the current one’s best model are kept)…');
    void ctx.service.invoke('train:cancel', {});
  };
  try {
    await ctx.call('project:open', { path: projectPath });
    let trial = '';
    const ended = new Promise<StudySummary>((resolve) => {
      ctx.service.on('studies:updated', (s) => {
        if (s.status !== 'running') return resolve(s);
        if (trial === '') ctx.note(`Study ${s.id}: ${s.kind} with ${s.trials.length} trials on the ${request.preset} preset.${s.note ? ` ${s.note}` : ''}`);
        const current = s.trials.filter((t) => t.status !== 'pending').length;
        const next = `trial ${current} of ${s.trials.length}`;
        if (current > 0 && next !== trial) {
          bar.finish();
          bar = new ProgressBar('Trial');
          ctx.note(`${next}: ${JSON.stringify(s.trials[current - 1]?.params ?? {})}`);
        }
        trial = next;
      });
    });
    let epochs = 1;
    ctx.service.on('studies:updated', (s) => {
      const current = s.trials.filter((t) => t.status !== 'pending').at(-1);
      if (current) epochs = trialHyperparameters(request, current.params).epochs;
    });
    ctx.service.on('train:progress', (p) =>
      bar.update({ done: (p.epoch - 1) * p.batches + p.batch, total: p.batches * epochs, detail: `${trial} · epoch ${p.epoch} · loss ${p.loss.toFixed(4)}`, etaMs: p.etaSeconds * 1000 }),
    );
    process.once('SIGINT', onSigint);
    await ctx.call('studies:start', request);
    const study = await ended;
    bar.finish();
    ctx.say(describeResults(study));
    ctx.result({ studyId: study.id, status: study.status, kind: study.kind, bestTrial: study.bestTrial, note: study.note, trials: study.trials, outlook: study.kind === 'learning-curve' ? curveOutlook(study.trials) : null });
  } finally {
    bar.finish();
    process.off('SIGINT', onSigint);
    await ctx.service.invoke('project:close', {});
    cleanup();
  }
}

export async function curveCommand(ctx: CliContext, args: string[], flags: ParsedFlags): Promise<void> {
  if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}'`);
  const fractions = fractionsFlag(flags);
  const request: StudyRequest = { kind: 'learning-curve', preset: presetFlag(flags, 'fast'), overrides: hyperparameterOverrides(flags), fractions: fractions ?? [0.1, 0.25, 0.5, 1] };
  await runStudy(ctx, flags, request);
}

export async function searchCommand(ctx: CliContext, args: string[], flags: ParsedFlags): Promise<void> {
  if (args.length === 0) throw new UsageError('list what to search, e.g. units=32,64,128 learning-rate=1e-4..1e-2:log');
  const strategy = flags.string('strategy') ?? 'random';
  if (strategy !== 'random' && strategy !== 'grid') throw new UsageError('--strategy must be random or grid');
  const budget = Number(flags.string('budget') ?? 8);
  if (!Number.isInteger(budget) || budget < 1 || budget > 100) throw new UsageError('--budget must be a whole number from 1 to 100');
  const seed = Number(flags.string('search-seed') ?? 42);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--search-seed must be a whole number ≥ 0');
  const request: StudyRequest = { kind: 'search', preset: presetFlag(flags, 'fast'), overrides: hyperparameterOverrides(flags), strategy, budget, seed, dimensions: args.map(parseDimension) };
  await runStudy(ctx, flags, request);
}
