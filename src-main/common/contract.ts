/**
 * The one API between the renderer (or CLI, or tests) and the main process. Every channel's
 * request has a runtime schema: the handler map validates payloads here, at the trust boundary.
 * Responses and events are plain data (structured-clone safe).
 */
import { z } from 'zod';
import type { StudioErrorData } from './errors';
import {
  importOptionsSchema,
  readOptionsSchema,
  type ImportPreview,
  type ImportProgress,
  type ImportSummary,
} from './ingest';
import { filePathSchema } from './filePath';
import { labelSetSchema, type LabelDef } from './labels';
import { appSettingsChangeSchema, appViews, type AppCommand, type AppSettings, type AppView, type RecentProject } from './appSettings';
import { presetNames } from './hyperparameters';
import { trainerJobKinds, type BatchProgress, type EpochMetrics } from './trainer';
import type { Channel, EventName } from './channels';
import { studyRequestSchema, type StudySummary } from './studies';
import { assistSettingsChangeSchema, type AssistStatus } from './assist';
import { suspectQuerySchema, type SuspectPage } from './labelCheck';
import { reportRequestSchema, type ReportFormat } from './report';
import { predictRequestSchema, type PredictionProgress, type PredictionSummary } from './prediction';
import { evaluationRequestSchemas, type Explanation, type PredictionPage, type RunEvaluation, type SliceRow } from './evaluation';

export { channelNames, eventNames, ipcEventChannel, ipcInvokeChannel, type Channel, type EventName } from './channels';

export const splits = ['train', 'validation', 'test'] as const;
export type Split = (typeof splits)[number];

export const labelOrigins = ['manual', 'import', 'bulk', 'model', 'model-accepted', 'review', 'undo'] as const;
export type LabelOrigin = (typeof labelOrigins)[number];

export const exportFormats = ['csv', 'jsonl', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const path = filePathSchema;
const itemId = z.number().int().positive();

/** What a file dialog is for: it picks the title, the filters and the remembered folder. */
export const dialogPurposes = ['project', 'import', 'bundle', 'export-data', 'export-model', 'report', 'predictions'] as const;
export type DialogPurpose = (typeof dialogPurposes)[number];

const itemFilter = z.object({
  /** A label name, `unlabelled`, or absent for all. */
  label: z.string().max(100).optional(),
  split: z.enum(splits).optional(),
  search: z.string().max(500).optional(),
});

/**
 * Requests refuse keys they do not declare (zod objects drop them silently by default): a typo in
 * a caller fails loudly instead of being ignored, and a hostile `__proto__` or `constructor` key
 * is refused at the boundary rather than trusted to be dropped. Strictness changes no type.
 */
function refuseUnknownKeys<T extends Record<Channel, z.ZodType>>(schemas: T): T {
  return Object.fromEntries(
    Object.entries(schemas).map(([channel, schema]) => [channel, schema instanceof z.ZodObject ? schema.strict() : schema]),
  ) as T;
}

export const requestSchemas = refuseUnknownKeys({
  'app:info': z.object({}),
  'app:recent': z.object({}),
  'app:forgetRecent': z.object({ path }),
  /** The settings, and a note when the stored ones could not be read and were reset. */
  'app:settings': z.object({}),
  'app:setSettings': appSettingsChangeSchema,
  /** Which screen the window shows: the desktop shell labels its Edit ▸ Undo after it. */
  'app:setView': z.object({ view: z.enum(appViews) }),
  /** A native open dialog (the app); elsewhere an 'unsupported' error, and screens offer a path field. */
  'dialog:open': z.object({ purpose: z.enum(dialogPurposes) }),
  'dialog:save': z.object({ purpose: z.enum(dialogPurposes), defaultName: z.string().max(255).optional() }),
  'project:create': z.object({
    path,
    name: z.string().trim().min(1).max(120),
    labels: labelSetSchema,
  }),
  'project:open': z.object({ path, readOnly: z.boolean().optional() }),
  'project:close': z.object({}),
  /** Opens the bundled IMDB demo project, creating it in the app's data folder the first time. */
  'project:openDemo': z.object({}),
  'project:summary': z.object({}),
  'import:preview': z.object({ path, read: readOptionsSchema.optional(), sampleRows: z.number().int().min(1).max(5000).optional() }),
  'import:run': importOptionsSchema,
  'import:cancel': z.object({}),
  /**
   * Items matching a filter, in id order. `search`: every whitespace-separated term (or "quoted
   * phrase") appears in the text, case-insensitively. Paging: `offset` for a list view; `after` /
   * `before` (an item id) for "next / previous item", which stays fast deep into a large project.
   */
  'items:list': itemFilter
    .extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      /** Items with a larger id than this one. */
      after: itemId.optional(),
      /** The `limit` items just before this id (still in ascending id order). */
      before: itemId.optional(),
      /** false: `total` comes back null, sparing a count over every matching item. */
      withTotal: z.boolean().default(true),
      /** Count at most this many: a total equal to it means "at least" (a common word's matches). */
      maxTotal: z.number().int().min(1).optional(),
    })
    .refine((r) => r.after === undefined || r.before === undefined, 'give either after or before, not both'),
  /**
   * How many items match a filter, apart from `items:list` so the first review or page shows
   * before a common word's matches are counted. Counted in slices that leave the main process
   * free. `maxTotal`: stop there (a total equal to it means "at least"). `slot`: a newer count in
   * the same slot (a screen's next search) replaces one still running, whose `total` is then null.
   */
  'items:count': itemFilter.extend({ maxTotal: z.number().int().min(1).optional(), slot: z.string().min(1).max(40).optional() }),
  /** Every id matching a filter (for "select all matching"), in id order. */
  'items:ids': itemFilter,
  'labels:set': z.object({
    itemIds: z.array(itemId).min(1).max(1_000_000),
    /** `null` removes the label (the item becomes unlabelled; the history keeps both events). */
    label: z.string().max(100).nullable(),
    origin: z.enum(['manual', 'bulk', 'review', 'model-accepted']).default('manual'),
    annotator: z.string().trim().min(1).max(80).optional(),
  }),
  'labels:undo': z.object({ actionId: z.number().int().positive().optional() }),
  'labels:history': z.object({ itemId }),
  /**
   * "Most useful next": unlabelled items whose suggestion is least sure (smallest margin), near
   * duplicates spread out; `exclude` skips items already shown (skipped) this session.
   */
  'items:useful': z.object({ limit: z.number().int().min(1).max(100).default(20), exclude: z.array(itemId).max(5000).default([]) }),
  /** Scores every unlabelled item with a run's model (default: the current model) for fresh suggestions. */
  'prelabels:refresh': z.object({ runId: z.number().int().positive().optional() }),
  /** The labelling assistant (common/assist.ts): its settings, state and last refresh. */
  'assist:status': z.object({}),
  'assist:configure': assistSettingsChangeSchema,
  /** Refresh the suggestions now (retrain in the background, then re-score). */
  'assist:refresh': z.object({}),
  /**
   * The label check's queue (a finished 'crossval' run: start one with train:start model
   * 'crossval'), most confident disagreement first.
   */
  'labels:suspects': suspectQuerySchema,
  /** Re-asserts the items' current labels (origin 'review'): the model was wrong, the label is right. */
  'labels:confirm': z.object({ itemIds: z.array(itemId).min(1).max(10_000), annotator: z.string().trim().min(1).max(80).optional() }),
  'data:export': z.object({
    path,
    format: z.enum(exportFormats),
    /** false: one row per labelled item (current label); true: one row per label event. */
    history: z.boolean().default(false),
    /** Replace an existing file (the app's save dialog has asked); never the project file itself. */
    overwrite: z.boolean().default(false),
  }),
  'train:start': z.object({
    /** 'baseline': the n-gram NBSVM alone (overrides are then its settings: units, minCount, classWeights, seed). */
    model: z.enum(trainerJobKinds).default('recurrent'),
    preset: z.enum(presetNames).default('accurate'),
    /** Hyperparameters that differ from the preset; validated against the shared schema. */
    overrides: z.record(z.string(), z.unknown()).default({}),
    fromRunId: z.number().int().positive().optional(),
    /** Fine-tune an exported model bundle (a folder) on this project's labels instead. */
    fromBundle: path.optional(),
    /** Train the baseline on the same snapshot first when it has none (recurrent runs). */
    baseline: z.boolean().default(true),
    /** 'crossval' (the label check): out-of-fold models, each scoring the items it never saw. */
    folds: z.number().int().min(2).max(10).default(5),
    /**
     * 'crossval': each fold's model. 'baseline' (NBSVM) takes seconds and, in the benchmark,
     * flagged flipped labels with twice the precision of the fast preset (docs/benchmarks.md).
     */
    foldModel: z.enum(['recurrent', 'baseline']).default('recurrent'),
  }),
  'train:cancel': z.object({}),
  /** Token lengths of the labelled reviews (a sample in large projects), for the training form. */
  'train:dataProfile': z.object({}),
  /** The run in progress, if any, with what a freshly loaded screen needs to redraw it. */
  'train:status': z.object({}),
  'runs:list': z.object({}),
  /** Per-epoch metrics of a few runs, for overlaying their curves. */
  'runs:epochs': z.object({ runIds: z.array(z.number().int().positive()).min(1).max(12) }),
  /** Marks a finished run with a model as the project's current model; null clears the mark. */
  'runs:setCurrent': z.object({ runId: z.number().int().positive().nullable() }),
  /** Deletes a run with its snapshot, epochs, predictions and model. */
  'runs:delete': z.object({ runId: z.number().int().positive() }),
  /** Writes the run's model bundle (a folder) to `path`. */
  'runs:export': z.object({
    runId: z.number().int().positive(),
    path,
    overwrite: z.boolean().default(false),
    /** Also write `<path>.zip` with the same files (one file to send). */
    zip: z.boolean().default(true),
  }),
  /** A run's test metrics and the scores behind its curves. */
  ...evaluationRequestSchemas,
  /** The run's report as one self-contained HTML file, or a PDF of it (desktop app). */
  'runs:report': reportRequestSchema,
  /** Scores a file with a run's model or an exported bundle and writes the results (progress: `predict:progress`). */
  'predict:run': predictRequestSchema,
  'predict:cancel': z.object({}),
  /** What an exported model bundle holds (its labels, model and settings), before predicting with it or fine-tuning it. */
  'bundle:inspect': z.object({ path }),
  /** Every study of the project with its trials, newest first. */
  'studies:list': z.object({}),
  /** Plans a learning curve or a search and starts its first trial; `train:cancel` stops it. */
  'studies:start': studyRequestSchema,
  /** Runs the trials a cancelled or interrupted study has left. */
  'studies:resume': z.object({ studyId: z.number().int().positive() }),
  /** Deletes the study; its runs stay in the history unless `deleteRuns`. */
  'studies:delete': z.object({ studyId: z.number().int().positive(), deleteRuns: z.boolean().default(false) }),
} as const satisfies Record<Channel, z.ZodType>);

export type RequestOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof requestSchemas)[C]>;

export interface AppInfo {
  name: string;
  version: string;
  schemaVersion: number;
  platform: string;
}

export interface ProjectSummary {
  path: string;
  name: string;
  readOnly: boolean;
  schemaVersion: number;
  labels: LabelDef[];
  items: number;
  labelled: number;
  unlabelled: number;
  perLabel: Record<string, number>;
  /** Labelled items per split and label. Splits are assigned when an item is first labelled. */
  perSplit: Record<Split, Record<string, number>>;
  splitSeed: number;
  splitFractions: Record<Split, number>;
  labelEvents: number;
  annotators: string[];
  /**
   * Set when the project was asked for writable but another window or process already has it
   * open: it is then open read-only, and this says who holds it.
   */
  openElsewhere?: { pid: number; host: string; since: string } | null;
  /**
   * Why a project asked for writable is open read-only, for the window to show: another window or
   * process holds it, or its file or folder cannot be written. Null when it is writable or was
   * opened read-only on purpose.
   */
  readOnlyReason?: string | null;
}

export interface ItemRow {
  id: number;
  text: string;
  externalId: string | null;
  label: string | null;
  split: Split | null;
  annotator: string | null;
  labelledAt: string | null;
  /** How the label was given (its latest event; an undo's is `undo`), null when unlabelled: `model` is the assistant's own. */
  origin: LabelOrigin | null;
  /** A model's suggestion (Predict ▸ add to project): never a label until accepted. */
  prelabel: { label: string; confidence: number; source: string } | null;
}

export interface LabelEventRow {
  id: number;
  itemId: number;
  label: string | null;
  annotator: string;
  origin: LabelOrigin;
  createdAt: string;
  actionId: number;
}

export interface LabelActionResult {
  actionId: number;
  /** Events written; items whose label was already the requested one are not re-labelled. */
  changed: number;
  unchanged: number;
}

export interface UndoResult {
  undoneActionId: number | null;
  /** Items restored to their previous label. */
  reverted: number;
  /** Items relabelled since the undone action: left as they are. */
  skipped: number;
}

export interface ExportResult {
  path: string;
  rows: number;
  /** XLSX only: texts longer than Excel's 32,767-character cell limit, cut to fit. */
  truncatedCells?: number;
}

export type { BundleInfo, DataProfile, RunHistoryEntry, RunStatus, RunSummary, TrainStatus } from './runRecords';
import type { BundleInfo, DataProfile, RunHistoryEntry, RunStatus, TrainStatus } from './runRecords';

export interface ResponseMap {
  'app:info': AppInfo;
  'app:recent': RecentProject[];
  'app:forgetRecent': RecentProject[];
  'app:settings': { settings: AppSettings; problem: string | null };
  'app:setSettings': AppSettings;
  'app:setView': { view: AppView };
  /** null: the analyst closed the dialog without choosing. */
  'dialog:open': { path: string | null };
  'dialog:save': { path: string | null };
  'project:create': ProjectSummary;
  'project:open': ProjectSummary;
  'project:close': { closed: boolean };
  'project:openDemo': ProjectSummary;
  'project:summary': ProjectSummary;
  'import:preview': ImportPreview;
  'import:run': ImportSummary;
  'import:cancel': { cancelled: boolean };
  /** `total` is null when the request asked `withTotal: false`. */
  'items:list': { total: number | null; items: ItemRow[] };
  'items:count': { total: number | null };
  'items:ids': { ids: number[] };
  'labels:set': LabelActionResult;
  'labels:undo': UndoResult;
  'labels:history': LabelEventRow[];
  'labels:confirm': LabelActionResult;
  'items:useful': { items: ItemRow[]; scored: number; source: string | null; refreshedAt: string | null };
  'prelabels:refresh': { prelabelled: number; source: string; seconds: number };
  'assist:status': AssistStatus;
  'assist:configure': AssistStatus;
  'assist:refresh': AssistStatus;
  'labels:suspects': SuspectPage;
  'data:export': ExportResult;
  'train:start': { runId: number };
  'train:cancel': { cancelled: boolean };
  'train:dataProfile': DataProfile;
  'train:status': TrainStatus;
  'runs:list': RunHistoryEntry[];
  'runs:epochs': { runId: number; epochs: EpochMetrics[] }[];
  'runs:setCurrent': { runId: number | null };
  'runs:delete': { deleted: number };
  'runs:export': { path: string; files: string[]; zip: string | null };
  'runs:evaluation': RunEvaluation;
  'runs:explain': Explanation;
  'runs:report': { path: string; format: ReportFormat; bytes: number };
  'runs:predictions': PredictionPage;
  'runs:slices': SliceRow[];
  'predict:run': PredictionSummary;
  'predict:cancel': { cancelled: boolean };
  'bundle:inspect': BundleInfo;
  'studies:list': StudySummary[];
  'studies:start': StudySummary;
  'studies:resume': StudySummary;
  'studies:delete': { deleted: number; runsDeleted: number };
}
export type ResponseOf<C extends Channel> = ResponseMap[C];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
// Compile-time: channels.ts lists exactly the events that have a payload type here.
true satisfies Same<keyof EventMap, EventName>;

export interface EventMap {
  'import:progress': ImportProgress;
  'project:changed': ProjectSummary;
  'train:progress': BatchProgress & { runId: number };
  'train:epoch': EpochMetrics & { runId: number };
  /** The test split being scored after training (rows done of total). */
  'train:evaluating': { runId: number; done: number; total: number };
  'train:finished': { runId: number; status: RunStatus; error: string | null };
  'predict:progress': PredictionProgress;
  'assist:updated': AssistStatus;
  /** A study started, a trial began or ended, or the study finished. */
  'studies:updated': StudySummary;
  /** From the desktop shell (a menu item, a second launch): the window carries it out. */
  'app:command': AppCommand;
  'app:settingsChanged': AppSettings;
  'app:recentChanged': RecentProject[];
  /** The window reported the screen it shows (the shell relabels Edit ▸ Undo). */
  'app:viewChanged': { view: AppView };
}

export type InvokeResult<C extends Channel> =
  | { ok: true; value: ResponseOf<C> }
  | { ok: false; error: StudioErrorData };

/** What the preload exposes as `window.studio`. */
export interface StudioBridge {
  invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>>;
  on<E extends EventName>(event: E, callback: (payload: EventMap[E]) => void): () => void;
  /**
   * The file-system path of a File dropped on the window (a sandboxed renderer cannot see it);
   * '' when the File does not come from disk. Absent in hosts that cannot tell (a browser).
   */
  pathForFile?(file: File): string;
}
