/**
 * `sentiment-studio import <file> --project p.sstudio …`: creates the project when it does not
 * exist, proposes the column and label mapping like the wizard does (and says so), then imports.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseLabelMapArgument, suggestLabelMapping } from '../../../common/labelMapping';
import { labelSetFromNames } from '../../../common/labels';
import {
  delimiters,
  fileFormats,
  textEncodings,
  unknownLabelPolicies,
  type Delimiter,
  type FileFormat,
  type ImportOptions,
  type LabelMapping,
  type ReadOptions,
  type TextEncoding,
  type UnknownLabelPolicy,
} from '../../../common/ingest';
import { formatBytes, ProgressBar } from '../progress';
import { UsageError, type CliContext } from '../context';
import type { ParsedFlags } from '../args';

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  const v = value === 'tab' || value === '\\t' ? '\t' : value;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${flag} must be one of ${allowed.map((a) => (a === '\t' ? 'tab' : a)).join(', ')}`);
  return v as T;
}

export async function openOrCreateProject(ctx: CliContext, path: string, labels: string | undefined): Promise<void> {
  if (existsSync(path)) {
    const summary = await ctx.call('project:open', { path });
    if (labels !== undefined) {
      const wanted = labels.split(',').map((l) => l.trim().toLowerCase());
      const have = summary.labels.map((l) => l.name.toLowerCase());
      if (wanted.join(',') !== have.join(',')) {
        throw new UsageError(`--labels ${labels} does not match the project's labels (${have.join(', ')}); a project's label set is fixed when it is created`);
      }
    }
    return;
  }
  let labelDefs;
  try {
    labelDefs = labelSetFromNames((labels ?? 'positive,negative').split(','));
  } catch (error) {
    throw new UsageError(`--labels: ${(error as Error).message}`);
  }
  await ctx.call('project:create', { path, name: basename(path).replace(/\.[^.]+$/, ''), labels: labelDefs });
  ctx.note(`Created project ${path} with labels ${labelDefs.map((l) => l.name).join(', ')}.`);
}

export async function importCommand(ctx: CliContext, args: string[], flags: ParsedFlags): Promise<void> {
  const file = args[0];
  if (!file) throw new UsageError('import needs a file: sentiment-studio import <file> --project <project.sstudio>');
  const projectPath = flags.string('project', true)!;
  const read: ReadOptions = {
    format: oneOf<FileFormat>(flags.string('format'), fileFormats, 'format'),
    encoding: oneOf<TextEncoding>(flags.string('encoding')?.toLowerCase(), textEncodings, 'encoding'),
    delimiter: oneOf<Delimiter>(flags.string('delimiter'), delimiters, 'delimiter'),
    hasHeader: !flags.boolean('no-header'),
  };
  await openOrCreateProject(ctx, projectPath, flags.string('labels'));
  const project = ctx.service.project!;
  const preview = await ctx.call('import:preview', { path: file, read });
  const textColumn = flags.string('text-column') ?? preview.suggested.textColumn;
  if (!textColumn) throw new UsageError('could not tell which column holds the text; pass --text-column');
  if (!flags.string('text-column')) ctx.note(`Text column: '${textColumn}' (override with --text-column).`);

  let labelColumn = flags.string('label-column');
  if (labelColumn === undefined && !flags.boolean('no-labels') && preview.suggested.labelColumn) {
    labelColumn = preview.suggested.labelColumn;
    ctx.note(`Label column: '${labelColumn}' (override with --label-column, or --no-labels).`);
  }
  let labelMapping: LabelMapping | undefined;
  const mapFlag = flags.string('label-map');
  const starsFlag = flags.string('stars');
  if (mapFlag !== undefined || starsFlag !== undefined) {
    labelMapping = { values: mapFlag ? parseLabelMapArgument(mapFlag) : {} };
    if (starsFlag) {
      const [negativeMax, positiveMin] = starsFlag.split(',').map(Number);
      if (!Number.isFinite(negativeMax) || !Number.isFinite(positiveMin) || negativeMax! >= positiveMin!) {
        throw new UsageError('--stars takes negativeMax,positiveMin, e.g. --stars 2,4');
      }
      labelMapping.stars = { negativeMax: negativeMax!, positiveMin: positiveMin! };
    }
  } else if (labelColumn !== undefined) {
    const values = Object.keys(preview.valueCounts[labelColumn] ?? {});
    const suggestion = suggestLabelMapping(values, project.meta.labels());
    labelMapping = suggestion.mapping;
    const described = [
      ...Object.entries(suggestion.mapping.values).map(([v, l]) => `${v}=${l ?? '(unlabelled)'}`),
      ...(suggestion.mapping.stars ? [`stars <=${suggestion.mapping.stars.negativeMax} negative, >=${suggestion.mapping.stars.positiveMin} positive`] : []),
    ];
    if (described.length) ctx.note(`Label values: ${described.join(', ')} (override with --label-map or --stars).`);
  }

  const options: ImportOptions = {
    path: file,
    read,
    columns: {
      textColumn,
      labelColumn,
      idColumn: flags.string('id-column'),
      splitColumn: flags.string('split-column'),
      metadataColumns: flags.list('metadata-columns'),
    },
    labelMapping,
    unknownLabels: oneOf<UnknownLabelPolicy>(flags.string('unknown-labels'), unknownLabelPolicies, 'unknown-labels') ?? 'error',
  };
  const bar = new ProgressBar('Importing');
  const off = ctx.service.on('import:progress', (p) =>
    bar.update({
      done: p.bytesRead,
      total: p.totalBytes,
      etaMs: p.etaMs,
      detail: `${p.rows.toLocaleString('en-US')} rows · ${formatBytes(p.bytesRead)}/${formatBytes(p.totalBytes)}`,
    }),
  );
  const abort = () => void ctx.service.invoke('import:cancel', {});
  process.once('SIGINT', abort);
  try {
    const summary = await ctx.call('import:run', options);
    bar.finish();
    const rate = summary.read / Math.max(summary.elapsedMs / 1000, 1e-3);
    ctx.say(
      `Read ${summary.read.toLocaleString('en-US')} rows (${summary.format}, ${summary.encoding ?? 'binary'}) in ${(summary.elapsedMs / 1000).toFixed(1)} s (${Math.round(rate).toLocaleString('en-US')} rows/s): ` +
        `${summary.imported.toLocaleString('en-US')} imported, ${summary.duplicates.toLocaleString('en-US')} duplicates, ${summary.skipped.toLocaleString('en-US')} skipped` +
        (summary.labelConflicts ? `, ${summary.labelConflicts} kept their existing different label` : '') +
        '.',
    );
    const labelled = Object.entries(summary.labels).filter(([, n]) => n > 0);
    if (labelled.length) ctx.say(`Labels: ${labelled.map(([l, n]) => `${l} ${n.toLocaleString('en-US')}`).join(', ')}.`);
    ctx.result({
      read: summary.read,
      imported: summary.imported,
      duplicates: summary.duplicates,
      skipped: summary.skipped,
      labels: summary.labels,
      skippedEmpty: summary.skippedEmpty,
      skippedUnknownLabel: summary.skippedUnknownLabel,
      labelConflicts: summary.labelConflicts,
      labelValuesMapped: summary.labelValuesMapped,
      format: summary.format,
      encoding: summary.encoding,
      elapsedMs: summary.elapsedMs,
    });
  } finally {
    bar.finish();
    off();
    process.off('SIGINT', abort);
  }
}
