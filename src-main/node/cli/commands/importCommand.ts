/**
 * `sentiment-studio import <file> --project p.sstudio …`: reads the file and checks every flag
 * first, then creates the project if it does not exist (and removes it again if that import
 * fails), proposing the column and label mapping the way the wizard does and saying so.
 */
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { compileLabelMapping, parseLabelMapArgument, suggestLabelMapping } from '../../../common/labelMapping';
import { labelSetFromNames, type LabelDef } from '../../../common/labels';
import {
  delimiters,
  fileFormats,
  textEncodings,
  unknownLabelPolicies,
  type Delimiter,
  type FileFormat,
  type ImportPreview,
  type LabelMapping,
  type ReadOptions,
  type TextEncoding,
  type UnknownLabelPolicy,
} from '../../../common/ingest';
import { formatCount } from '../../../common/format';
import { formatBytes, ProgressBar } from '../progress';
import { UsageError, type CliContext } from '../context';
import type { ParsedFlags } from '../args';

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  const v = value === 'tab' || value === '\\t' ? '\t' : value;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${flag} must be one of ${allowed.map((a) => (a === '\t' ? 'tab' : a)).join(', ')}`);
  }
  return v as T;
}

function readOptions(flags: ParsedFlags): ReadOptions {
  return {
    format: oneOf<FileFormat>(flags.string('format'), fileFormats, 'format'),
    encoding: oneOf<TextEncoding>(flags.string('encoding')?.toLowerCase(), textEncodings, 'encoding'),
    delimiter: oneOf<Delimiter>(flags.string('delimiter'), delimiters, 'delimiter'),
    hasHeader: !flags.boolean('no-header'),
  };
}

/** The label set of the existing project, or the one `--labels` asks for a new project. */
async function projectLabels(ctx: CliContext, path: string, labels: string | undefined): Promise<LabelDef[]> {
  if (existsSync(path)) {
    const summary = await ctx.call('project:open', { path });
    const have = summary.labels.map((l) => l.name.toLowerCase());
    if (labels !== undefined && labels.split(',').map((l) => l.trim().toLowerCase()).join(',') !== have.join(',')) {
      throw new UsageError(`--labels ${labels} does not match the project's labels (${have.join(', ')}); a project's label set is fixed when it is created`);
    }
    return summary.labels;
  }
  try {
    return labelSetFromNames((labels ?? 'positive,negative').split(','));
  } catch (error) {
    const issue = (error as { issues?: { message: string }[] }).issues?.[0]?.message ?? (error as Error).message;
    throw new UsageError(`--labels: ${issue}`);
  }
}

function explicitMapping(flags: ParsedFlags): LabelMapping | undefined {
  const mapFlag = flags.string('label-map');
  const starsFlag = flags.string('stars');
  if (mapFlag === undefined && starsFlag === undefined) return undefined;
  let values: LabelMapping['values'] = {};
  try {
    if (mapFlag) values = parseLabelMapArgument(mapFlag);
  } catch (error) {
    throw new UsageError(`--label-map: ${(error as Error).message} (e.g. --label-map 1=positive,0=negative)`);
  }
  const mapping: LabelMapping = { values };
  if (starsFlag) {
    const [negativeMax, positiveMin] = starsFlag.split(',').map(Number);
    if (!Number.isFinite(negativeMax) || !Number.isFinite(positiveMin) || negativeMax! >= positiveMin!) {
      throw new UsageError('--stars takes negativeMax,positiveMin, e.g. --stars 2,4');
    }
    mapping.stars = { negativeMax: negativeMax!, positiveMin: positiveMin! };
  }
  return mapping;
}

function proposedMapping(ctx: CliContext, preview: ImportPreview, labelColumn: string, labels: LabelDef[]): LabelMapping {
  const values = Object.hasOwn(preview.valueCounts, labelColumn) ? Object.keys(preview.valueCounts[labelColumn]!) : [];
  const { mapping } = suggestLabelMapping(values, labels);
  const described = [
    ...Object.entries(mapping.values).map(([v, l]) => `${v}=${l ?? '(unlabelled)'}`),
    ...(mapping.stars ? [`stars <=${mapping.stars.negativeMax} negative, >=${mapping.stars.positiveMin} positive`] : []),
  ];
  if (described.length) ctx.note(`Label values: ${described.join(', ')} (override with --label-map or --stars).`);
  return mapping;
}

export async function importCommand(ctx: CliContext, args: string[], flags: ParsedFlags): Promise<void> {
  const file = args[0];
  if (!file) throw new UsageError('import needs a file: sentiment-studio import <file> --project <project.sstudio>');
  const projectPath = flags.string('project', true)!;
  const read = readOptions(flags);
  const unknownLabels = oneOf<UnknownLabelPolicy>(flags.string('unknown-labels'), unknownLabelPolicies, 'unknown-labels') ?? 'error';
  const explicit = explicitMapping(flags);

  const preview = await ctx.call('import:preview', { path: file, read });
  const textColumn = flags.string('text-column') ?? preview.suggested.textColumn;
  if (!textColumn) throw new UsageError('could not tell which column holds the text; pass --text-column');
  if (!flags.string('text-column')) ctx.note(`Text column: '${textColumn}' (override with --text-column).`);
  let labelColumn = flags.string('label-column');
  if (labelColumn === undefined && !flags.boolean('no-labels') && preview.suggested.labelColumn) {
    labelColumn = preview.suggested.labelColumn;
    ctx.note(`Label column: '${labelColumn}' (override with --label-column, or --no-labels).`);
  }

  const isNew = !existsSync(projectPath);
  const labels = await projectLabels(ctx, projectPath, flags.string('labels'));
  const labelMapping = explicit ?? (labelColumn !== undefined ? proposedMapping(ctx, preview, labelColumn, labels) : undefined);
  try {
    compileLabelMapping(labelMapping, labels);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (isNew) {
    await ctx.call('project:create', { path: projectPath, name: basename(projectPath).replace(/\.[^.]+$/, ''), labels });
    ctx.note(`Created project ${projectPath} with labels ${labels.map((l) => l.name).join(', ')}.`);
  }

  const bar = new ProgressBar('Importing');
  const off = ctx.service.on('import:progress', (p) =>
    bar.update({
      done: p.bytesRead,
      total: p.totalBytes,
      etaMs: p.etaMs,
      detail: `${formatCount(p.rows)} rows · ${formatBytes(p.bytesRead)}/${formatBytes(p.totalBytes)}`,
    }),
  );
  const abort = () => void ctx.service.invoke('import:cancel', {});
  process.once('SIGINT', abort);
  try {
    const summary = await ctx.call('import:run', {
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
      unknownLabels,
    });
    bar.finish();
    const rate = summary.read / Math.max(summary.elapsedMs / 1000, 1e-3);
    ctx.say(
      `Read ${formatCount(summary.read)} rows (${summary.format}, ${summary.encoding ?? 'binary'}) in ${(summary.elapsedMs / 1000).toFixed(1)} s (${formatCount(Math.round(rate))} rows/s): ` +
        `${formatCount(summary.imported)} imported, ${formatCount(summary.duplicates)} duplicates, ${formatCount(summary.skipped)} skipped` +
        (summary.labelConflicts ? `, ${formatCount(summary.labelConflicts)} kept their existing different label` : '') +
        (summary.duplicateIds ? `, ${formatCount(summary.duplicateIds)} reuse an id that another review already has (both kept)` : '') +
        '.',
    );
    const labelled = Object.entries(summary.labels).filter(([, n]) => n > 0);
    if (labelled.length) ctx.say(`Labels: ${labelled.map(([l, n]) => `${l} ${formatCount(n)}`).join(', ')}.`);
    const { file: _file, ...result } = summary;
    ctx.result(result);
  } catch (error) {
    if (isNew) {
      // The project was made for this import only: an empty file left behind would just confuse.
      await ctx.service.invoke('project:close', {});
      for (const suffix of ['', '-wal', '-shm']) rmSync(projectPath + suffix, { force: true });
    }
    throw error;
  } finally {
    bar.finish();
    off();
    process.off('SIGINT', abort);
  }
}
