/**
 * The handlers for looking at results and using models: a run's evaluation, saliency and report,
 * the label check's queue, pre-labels and the useful-next queue, and batch prediction. Split from
 * services.ts, which owns the project, its locks and the long-running work these handlers use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BASELINE_MODEL_FORMAT } from '../common/baseline';
import type { EventMap, EventName, ParsedRequestOf, ResponseOf } from '../common/contract';
import { StudioError } from '../common/errors';
import type { ImportSummary } from '../common/ingest';
import { formatFromPath } from '../common/prediction';
import { RunEvaluations } from './db/evaluation';
import { LabelChecks } from './db/labelCheck';
import type { Project } from './db/project';
import { usefulNext } from './db/usefulQueue';
import { checkExportTarget, writeFileAtomically } from './export/data';
import { readModelBundle } from './export/modelBundle';
import { gatherReport } from './export/report/gather';
import { renderReportHtml } from './export/report/html';
import type { ExplainService } from './explainService';
import { importFile } from './ingest/importer';
import type { PredictService } from './predict/predictService';
import { lastPrelabelRefresh, replacePrelabels, storePrelabels } from './predict/prelabels';
import type { Handlers, StudioServiceOptions } from './services';

export interface AnalysisContext {
  options: StudioServiceOptions;
  annotator: string;
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  requireProject(): Project;
  requireWritable(): Project;
  /** The open project if any (a bundle's prediction needs none). */
  openProject(): Project | null;
  trainingBusy(): boolean;
  explainer: ExplainService;
  predictions: PredictService;
  /** Runs an import as the service runs one: other writes held off, search indexing resumed after. */
  whileImporting(what: string, task: (signal: AbortSignal) => Promise<ImportSummary>): Promise<ImportSummary>;
}

type AnalysisChannel =
  | 'labels:suspects'
  | 'items:useful'
  | 'prelabels:refresh'
  | 'runs:evaluation'
  | 'runs:explain'
  | 'runs:predictions'
  | 'runs:slices'
  | 'runs:report'
  | 'predict:run'
  | 'predict:cancel'
  | 'bundle:inspect';

function evaluations(p: Project): RunEvaluations {
  return new RunEvaluations(p.db, p.meta);
}

/**
 * Predict ▸ add to project: score into a temporary file, import the texts as unlabelled items
 * (an import, with its busy guard and transaction), then store each unlabelled item's pre-label.
 */
async function predictIntoProject(ctx: AnalysisContext, r: ParsedRequestOf<'predict:run'>, model: { projectPath: string; runId: number } | { bundle: string }): Promise<ResponseOf<'predict:run'>> {
  const p = ctx.requireWritable();
  if (ctx.trainingBusy()) throw new StudioError('busy', 'A model is training; add predictions to the project when it has finished.');
  const scratch = mkdtempSync(join(tmpdir(), 'sstudio-predict-'));
  try {
    const scored = join(scratch, 'scored.jsonl');
    const summary = await ctx.predictions.run(
      { model, options: { input: r.input, read: r.read, textColumn: r.textColumn, output: scored, format: 'jsonl', overwrite: true, previewRows: r.previewRows } },
      (progress) => ctx.emit('predict:progress', progress),
    );
    const projectLabels = p.meta.labels().map((l) => l.name);
    if (summary.labels.join(',') !== projectLabels.join(',')) {
      throw new StudioError('invalid-input', `The model predicts ${summary.labels.join(', ')}, but this project's labels are ${projectLabels.join(', ')}: its suggestions would not fit.`);
    }
    const imported = await ctx.whileImporting('Adding predictions', (signal) =>
      importFile(p, { path: r.input, read: r.read ?? {}, columns: { textColumn: r.textColumn ?? summary.textColumn }, annotator: ctx.annotator }, { signal, onProgress: (progress) => ctx.emit('import:progress', progress) }),
    );
    const source = 'runId' in model ? `run ${model.runId}` : basename(model.bundle);
    const added = await storePrelabels(p, scored, projectLabels, source, imported);
    ctx.emit('project:changed', p.summary());
    return { ...summary, path: p.path, added };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}


export function createAnalysisHandlers(ctx: AnalysisContext): Pick<Handlers, AnalysisChannel> {
  return {
  'labels:suspects': (r) => {
    const p = ctx.requireProject();
    return new LabelChecks(p.db, p.meta).suspects(r);
  },
  'items:useful': (r) => {
    const p = ctx.requireProject();
    return usefulNext(p.db, r, lastPrelabelRefresh(p));
  },
  'prelabels:refresh': async (r) => {
    const p = ctx.requireWritable();
    const runId = r.runId ?? p.meta.currentModelRunId();
    if (runId === null) throw new StudioError('invalid-input', 'Mark a run as the current model first (Runs ▸ Set as current), or choose a run.');
    const started = performance.now();
    const scored = await ctx.predictions.score({ projectPath: p.path, runId }, (progress) => ctx.emit('predict:progress', progress));
    const source = `run ${runId}`;
    const prelabelled = await replacePrelabels(p, scored, source, { stillOpen: () => ctx.openProject() === p });
    ctx.emit('project:changed', p.summary());
    return { prelabelled, source, seconds: (performance.now() - started) / 1000 };
  },
  'runs:evaluation': (r) => evaluations(ctx.requireProject()).evaluation(r.runId),
  'runs:explain': async (r) => {
    const p = ctx.requireProject();
    const labels = p.meta.labels().map((l) => l.name);
    const target = r.target === undefined ? undefined : labels.indexOf(p.meta.requireLabel(r.target));
    let text = r.text;
    if (r.itemId !== undefined) {
      const item = p.db.prepare<[number], { text: string }>('SELECT text FROM items WHERE id = ?').get(r.itemId);
      if (!item) throw new StudioError('not-found', `item ${r.itemId} does not exist`);
      text = item.text;
    }
    if (text === undefined) throw new StudioError('invalid-input', 'runs:explain needs an itemId or a text.');
    return { runId: r.runId, ...(await ctx.explainer.explain({ projectPath: p.path, runId: r.runId, text, target })) };
  },
  'runs:predictions': (r) => evaluations(ctx.requireProject()).predictions(r),
  'runs:slices': (r) => evaluations(ctx.requireProject()).slices(r.runId),
  'runs:report': async (r) => {
    const p = ctx.requireProject();
    const format = r.format ?? (r.path.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html');
    if (format === 'pdf' && !ctx.options.printPdf) throw new StudioError('unsupported', 'PDF reports need the desktop app; save the report as HTML and print it from a browser.');
    checkExportTarget(p, r.path, r.overwrite);
    const data = await gatherReport(p, r.runId, {
      appVersion: ctx.options.appVersion,
      locale: r.locale,
      explain: (runId, text, target) => ctx.explainer.explain({ projectPath: p.path, runId, text, target }),
    });
    const html = renderReportHtml(data);
    const bytes = format === 'pdf' ? await ctx.options.printPdf!(html) : Buffer.from(html, 'utf8');
    writeFileAtomically(r.path, bytes);
    return { path: r.path, format, bytes: bytes.length };
  },
  'predict:run': async (r) => {
    // A run's model is read from the open project; a bundle needs no project at all.
    const model = 'runId' in r.model ? { projectPath: ctx.requireProject().path, runId: r.model.runId } : { bundle: r.model.bundle };
    const { input, read, textColumn, overwrite, previewRows } = r;
    if (r.addToProject) return predictIntoProject(ctx, r, model);
    const output = r.output;
    if (!output) throw new StudioError('invalid-input', 'Choose a file for the results, or add them to the project.');
    // Never over the open project (real paths, -wal/-shm/-journal) or, unasked, any existing file.
    const open = ctx.openProject();
    if (open) checkExportTarget(open, output, overwrite);
    return ctx.predictions.run({ model, options: { input, read, textColumn, output, format: r.format ?? formatFromPath(output), overwrite, previewRows } }, (p) => ctx.emit('predict:progress', p));
  },
  'predict:cancel': () => ({ cancelled: ctx.predictions.cancel() }),
  'bundle:inspect': (r) => {
    const { format, labels, metadata } = readModelBundle(r.path);
    const hp = metadata.hyperparameters;
    return {
      path: r.path,
      labels: labels.labels,
      kind: format === BASELINE_MODEL_FORMAT ? 'nbsvm' : typeof hp['cell'] === 'string' ? hp['cell'] : 'lstm',
      hyperparameters: hp,
      runId: metadata.runId,
      projectName: metadata.projectName,
      createdAt: metadata.createdAt,
      testAccuracy: metadata.metrics?.test?.accuracy ?? null,
    };
  },
  };
}
