/**
 * The Predict screen's state: which model, which file and column, where the results go, and the
 * run in progress or its summary. The screen's components read and set it; only `run` talks to
 * the model.
 */
import type { BundleInfo, RunHistoryEntry } from '@common/contract';
import type { ImportPreview } from '@common/ingest';
import { formatFromPath, type PredictionFormat, type PredictionModel, type PredictionProgress, type PredictionSummary } from '@common/prediction';
import { call, errorMessage, StudioCallError } from '../../lib/studio';

export type ModelSource = 'current' | 'run' | 'bundle';
/** A results file, or the open project's own items with the model's suggestions as pre-labels. */
export type Destination = 'file' | 'project';

const extensions: Record<PredictionFormat, string> = { csv: '.csv', jsonl: '.jsonl', xlsx: '.xlsx' };
const knownExtension = /\.(csv|jsonl|ndjson|xlsx)$/i;

/** `reviews.csv` -> `reviews-predictions.xlsx`, beside the input. */
export function resultsPathFor(input: string, format: PredictionFormat): string {
  const stem = input.replace(/\.(gz)$/i, '').replace(/\.[^./\\]+$/, '');
  return `${stem}-predictions${extensions[format]}`;
}

export function withFormat(path: string, format: PredictionFormat): string {
  return knownExtension.test(path) ? path.replace(knownExtension, extensions[format]) : `${path}${extensions[format]}`;
}

export class PredictSession {
  /** Finished runs with a saved model, newest first. */
  runs = $state<RunHistoryEntry[]>([]);
  source = $state<ModelSource>('bundle');
  runId = $state<number | null>(null);
  bundlePath = $state('');
  bundle = $state<BundleInfo | null>(null);
  bundleProblem = $state<string | null>(null);

  inputPath = $state('');
  preview = $state<ImportPreview | null>(null);
  previewing = $state(false);
  inputProblem = $state<string | null>(null);
  textColumn = $state('');

  outputPath = $state('');
  format = $state<PredictionFormat>('csv');
  overwrite = $state(false);
  destination = $state<Destination>('file');

  running = $state(false);
  cancelling = $state(false);
  progress = $state<PredictionProgress | null>(null);
  summary = $state<PredictionSummary | null>(null);
  error = $state<string | null>(null);
  /** The model choice has been defaulted once; later refreshes keep what the analyst picked. */
  private chosen = false;
  /** Requests answered after a newer one was made are dropped (typing a path fast). */
  private previewRequest = 0;

  readonly current = $derived(this.runs.find((r) => r.current) ?? null);

  /** The model the run will use, or null while the choice is incomplete. */
  readonly model = $derived.by((): PredictionModel | null => {
    if (this.source === 'current') return this.current ? { runId: this.current.id } : null;
    if (this.source === 'run') return this.runId !== null ? { runId: this.runId } : null;
    return this.bundle ? { bundle: this.bundle.path } : null;
  });

  readonly ready = $derived(this.model !== null && this.preview !== null && this.textColumn !== '' && (this.destination === 'project' || this.outputPath.trim() !== '') && !this.running);

  /** The runs of the open project (none without one): the current model is the default choice. */
  async loadRuns(hasProject: boolean): Promise<void> {
    if (!hasProject) {
      this.runs = [];
      this.destination = 'file';
      this.source = 'bundle';
      return;
    }
    const list = await call('runs:list', {});
    this.runs = list.filter((r) => r.status === 'done' && r.hasModel).reverse();
    if (this.runId === null || !this.runs.some((r) => r.id === this.runId)) this.runId = this.current?.id ?? this.runs[0]?.id ?? null;
    // The analyst's own choice stands when the list is refreshed, unless it is gone.
    const stillValid = (this.source === 'current' && this.current) || (this.source === 'run' && this.runId !== null) || (this.source === 'bundle' && this.bundlePath);
    if (!this.chosen || !stillValid) this.source = this.current ? 'current' : this.runs.length > 0 ? 'run' : 'bundle';
    this.chosen = true;
  }

  async chooseBundle(path: string): Promise<void> {
    this.bundlePath = path;
    this.bundle = null;
    this.bundleProblem = null;
    if (!path) return;
    try {
      this.bundle = await call('bundle:inspect', { path });
      this.source = 'bundle';
    } catch (error) {
      this.bundleProblem = errorMessage(error);
    }
  }

  /** Reads the file's columns and first rows; picks `text` (or the first column) as the text column. */
  async chooseInput(path: string): Promise<void> {
    const request = ++this.previewRequest;
    this.inputPath = path;
    this.preview = null;
    this.inputProblem = null;
    if (!path) return;
    this.previewing = true;
    try {
      const preview = await call('import:preview', { path, sampleRows: 5 });
      if (request !== this.previewRequest) return;
      this.preview = preview;
      const columns = preview.columns;
      this.textColumn = columns.includes(this.textColumn) ? this.textColumn : (columns.find((c) => c.toLowerCase() === 'text') ?? preview.suggested.textColumn ?? columns[0] ?? '');
      if (!this.outputPath) {
        this.outputPath = resultsPathFor(path, this.format);
        this.overwrite = false;
      }
    } catch (error) {
      if (request === this.previewRequest) this.inputProblem = errorMessage(error);
    } finally {
      if (request === this.previewRequest) this.previewing = false;
    }
  }

  /** A typed path or one from the save dialog; its extension sets the format when it names one. */
  chooseOutput(path: string, fromDialog: boolean): void {
    this.outputPath = path;
    this.overwrite = fromDialog;
    if (knownExtension.test(path)) this.format = formatFromPath(path);
  }

  chooseFormat(format: PredictionFormat): void {
    this.format = format;
    if (this.outputPath.trim()) this.outputPath = withFormat(this.outputPath.trim(), format);
  }

  onProgress(progress: PredictionProgress): void {
    if (this.running) this.progress = progress;
  }

  async run(): Promise<void> {
    const model = this.model;
    if (!model || !this.ready) return;
    this.running = true;
    this.cancelling = false;
    this.progress = null;
    this.summary = null;
    this.error = null;
    try {
      const common = { model, input: this.inputPath, textColumn: this.textColumn, previewRows: 20 };
      this.summary = await call(
        'predict:run',
        this.destination === 'project'
          ? { ...common, addToProject: true }
          : { ...common, output: this.outputPath.trim(), format: this.format, overwrite: this.overwrite },
      );
    } catch (error) {
      // Cancelling is the analyst's own doing: no error banner for it.
      if (!(error instanceof StudioCallError && error.code === 'cancelled')) this.error = errorMessage(error);
    } finally {
      this.running = false;
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    this.cancelling = true;
    try {
      await call('predict:cancel', {});
    } catch (error) {
      this.cancelling = false;
      this.error = errorMessage(error);
    }
  }

  /** Back to the form for another file; the model and column choices stay. */
  again(): void {
    this.summary = null;
    this.progress = null;
    // The last results file is there now: the next one needs a new name (or a replace).
    this.outputPath = '';
    this.overwrite = false;
  }
}
