/**
 * One import in the making: the file, how to read it, its preview, the column roles, the label
 * decisions, and the run. It lives outside the wizard component so an analyst who looks at
 * another section while a large file imports comes back to the same import, progress and all.
 */
import type { ProjectSummary, Split } from '@common/contract';
import type { ErrorCode } from '@common/errors';
import type {
  ImportOptions,
  ImportPreview,
  ImportProgress,
  ImportSummary,
  LabelMapping,
  ReadOptions,
  UnknownLabelPolicy,
} from '@common/ingest';
import type { LabelDef } from '@common/labels';
import { call, errorMessage, StudioCallError, subscribe } from '../../lib/studio';
import { labelMappingOf, labelValueRows, type LabelValueRow } from './labelValues';

export const stepIds = ['file', 'source', 'columns', 'labels', 'import'] as const;
export type StepId = (typeof stepIds)[number];

export type RunPhase = 'review' | 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled';

export interface Problem {
  message: string;
  code: ErrorCode | null;
  line: number | null;
}

export interface ColumnRoles {
  text: string;
  /** '' for none. */
  label: string;
  id: string;
  split: string;
  metadata: string[];
}

/** How many preview rows are counted for label values: the most the channel allows. */
export const sampleRows = 5000;
const splitNames = ['split', 'set', 'partition', 'subset', 'fold'];

function problemOf(error: unknown): Problem {
  if (error instanceof StudioCallError) return { message: error.message, code: error.code, line: error.line ?? null };
  return { message: errorMessage(error), code: null, line: null };
}

export class ImportSession {
  readonly projectPath: string;
  labels = $state.raw<LabelDef[]>([]);

  step = $state<StepId>('file');
  /** Index of the furthest step reached: the step list lets the analyst jump back to any of them. */
  reached = $state(0);

  path = $state('');
  /** The path the current preview was read from. */
  openedPath = $state('');
  read = $state<ReadOptions>({});
  preview = $state.raw<ImportPreview | null>(null);
  previewing = $state(false);
  /** Why the file or the preview could not be read. */
  problem = $state<Problem | null>(null);

  columns = $state<ColumnRoles>({ text: '', label: '', id: '', split: '', metadata: [] });
  fixedSplit = $state<'' | Split>('');
  labelRows = $state<LabelValueRow[]>([]);
  stars = $state.raw<LabelMapping['stars']>(undefined);
  unknownLabels = $state<UnknownLabelPolicy>('error');
  #labelRowsFor = '';

  phase = $state<RunPhase>('review');
  progress = $state.raw<ImportProgress | null>(null);
  summary = $state.raw<ImportSummary | null>(null);
  runProblem = $state<Problem | null>(null);

  #previewRequest = 0;

  constructor(projectPath: string) {
    this.projectPath = projectPath;
  }

  get stepIndex(): number {
    return stepIds.indexOf(this.step);
  }

  get running(): boolean {
    return this.phase === 'running' || this.phase === 'cancelling';
  }

  /** Whether the preview read the whole file, so no label value can be unseen. */
  get wholeFileSampled(): boolean {
    return this.preview !== null && this.preview.sampledRows < sampleRows;
  }

  get undecidedValues(): number {
    return this.columns.label === '' ? 0 : this.labelRows.filter((r) => r.choice === '').length;
  }

  /** A column chosen for two roles, or '' when every role has its own column. */
  get columnClash(): string {
    const chosen = [this.columns.text, this.columns.label, this.columns.id, this.columns.split].filter((c) => c !== '');
    return chosen.find((c, i) => chosen.indexOf(c) !== i) ?? '';
  }

  canLeave(step: StepId): boolean {
    switch (step) {
      case 'file':
        return this.path.trim() !== '' && !this.previewing;
      case 'source':
        return this.preview !== null && !this.previewing;
      case 'columns':
        return this.columns.text !== '' && this.columnClash === '';
      case 'labels':
        return this.undecidedValues === 0;
      case 'import':
        return false;
    }
  }

  goTo(step: StepId): void {
    if (this.running) return;
    const index = stepIds.indexOf(step);
    if (index > this.reached) return;
    // A path typed but not opened yet: the later steps describe the previous file.
    if (index > 0 && this.path.trim() !== this.openedPath) return;
    this.syncLabelRows();
    this.step = step;
    if (step !== 'import' && (this.phase === 'failed' || this.phase === 'cancelled')) this.phase = 'review';
  }

  next(): void {
    if (!this.canLeave(this.step)) return;
    const index = this.stepIndex + 1;
    this.syncLabelRows();
    this.reached = Math.max(this.reached, index);
    this.step = stepIds[index]!;
  }

  back(): void {
    if (this.stepIndex > 0) this.goTo(stepIds[this.stepIndex - 1]!);
  }

  /** Reads a newly chosen file with fresh detection, and moves on when it can be read. */
  async open(path: string): Promise<void> {
    if (this.running) return;
    this.path = path;
    this.openedPath = path.trim();
    this.read = {};
    this.preview = null;
    this.reached = 0;
    this.phase = 'review';
    await this.refreshPreview();
    // A file that exists but will not parse is shown on the next step, where format, encoding
    // and delimiter can be changed; a path that leads nowhere stays here to be corrected.
    if (this.preview !== null || this.problem?.code === 'bad-file' || this.problem?.code === 'unsupported') {
      this.reached = 1;
      this.step = 'source';
    }
  }

  /** Changes one reading option (or back to detection with `undefined`) and previews again. */
  async setRead<K extends keyof ReadOptions>(key: K, value: ReadOptions[K]): Promise<void> {
    const next = { ...this.read };
    if (value === undefined) delete next[key];
    else next[key] = value;
    this.read = next;
    await this.refreshPreview();
  }

  async refreshPreview(): Promise<void> {
    const request = ++this.#previewRequest;
    this.previewing = true;
    try {
      const preview = await call('import:preview', { path: this.openedPath, read: this.read, sampleRows });
      if (request !== this.#previewRequest) return;
      this.preview = preview;
      this.problem = null;
      this.#adoptColumns(preview);
    } catch (error) {
      if (request !== this.#previewRequest) return;
      this.preview = null;
      this.problem = problemOf(error);
      this.reached = Math.min(this.reached, 1);
    } finally {
      if (request === this.#previewRequest) this.previewing = false;
    }
  }

  /** Keeps the analyst's column roles while they still exist; otherwise takes the preview's guesses. */
  #adoptColumns(preview: ImportPreview): void {
    const has = (c: string) => c !== '' && preview.columns.includes(c);
    const { suggested } = preview;
    const keep = has(this.columns.text);
    const guessedSplit = preview.columns.find((c) => splitNames.includes(c.trim().toLowerCase())) ?? '';
    this.columns = {
      text: keep ? this.columns.text : (suggested.textColumn ?? preview.columns[0] ?? ''),
      label: keep ? (has(this.columns.label) ? this.columns.label : '') : (suggested.labelColumn ?? ''),
      id: keep ? (has(this.columns.id) ? this.columns.id : '') : (suggested.idColumn ?? ''),
      split: keep ? (has(this.columns.split) ? this.columns.split : '') : guessedSplit,
      metadata: this.columns.metadata.filter(has),
    };
    this.#labelRowsFor = '';
    this.syncLabelRows();
  }

  /** Rebuilds the label value rows when the label column (or the preview under it) changed. */
  syncLabelRows(): void {
    const column = this.columns.label;
    if (column === this.#labelRowsFor) return;
    this.#labelRowsFor = column;
    if (column === '' || this.preview === null) {
      this.labelRows = [];
      this.stars = undefined;
      return;
    }
    const counts = Object.hasOwn(this.preview.valueCounts, column) ? this.preview.valueCounts[column]! : {};
    const { rows, stars } = labelValueRows(counts, this.labels, $state.snapshot(this.labelRows));
    this.labelRows = rows;
    this.stars = stars;
  }

  options(): ImportOptions {
    const { columns } = this;
    const roles = new Set([columns.text, columns.label, columns.id, columns.split]);
    return {
      // The file that was previewed and mapped, whatever the path field says now.
      path: this.openedPath,
      read: this.read,
      columns: {
        textColumn: columns.text,
        ...(columns.label !== '' && { labelColumn: columns.label }),
        ...(columns.id !== '' && { idColumn: columns.id }),
        ...(columns.split !== '' && this.fixedSplit === '' && { splitColumn: columns.split }),
        metadataColumns: columns.metadata.filter((c) => !roles.has(c)),
      },
      ...(columns.label !== '' && { labelMapping: labelMappingOf(this.labelRows, this.stars), unknownLabels: this.unknownLabels }),
      ...(this.fixedSplit !== '' && { split: this.fixedSplit }),
    };
  }

  async run(): Promise<ImportSummary | null> {
    if (this.running || this.step !== 'import') return null;
    this.phase = 'running';
    this.progress = null;
    this.summary = null;
    this.runProblem = null;
    const stop = subscribe('import:progress', (progress) => {
      this.progress = progress;
    });
    try {
      this.summary = await call('import:run', this.options());
      this.phase = 'done';
      return this.summary;
    } catch (error) {
      const problem = problemOf(error);
      this.phase = problem.code === 'cancelled' ? 'cancelled' : 'failed';
      this.runProblem = problem;
      return null;
    } finally {
      stop();
    }
  }

  async cancelRun(): Promise<void> {
    if (this.phase !== 'running') return;
    this.phase = 'cancelling';
    try {
      await call('import:cancel', {});
    } catch (error) {
      this.runProblem = problemOf(error);
    }
  }
}

let current: ImportSession | null = null;

/** The import in progress for this project, or a new one. */
export function importSessionFor(project: ProjectSummary): ImportSession {
  if (current === null || current.projectPath !== project.path) current = new ImportSession(project.path);
  current.labels = project.labels;
  return current;
}

/** Forgets the current import (finished, or abandoned with Cancel) and starts a blank one. */
export function resetImportSession(project: ProjectSummary): ImportSession {
  if (current?.running) return current;
  current = null;
  return importSessionFor(project);
}
