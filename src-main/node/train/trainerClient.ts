/**
 * The parent side of a training run: creates the run and its snapshot, starts the trainer
 * process, persists what it reports (epochs as they end; predictions, model and metrics in one
 * transaction at the end), and marks the run failed with a readable reason if the process dies.
 * How the process is started is handed in: child_process.fork here, utilityProcess in the app.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../common/errors';
import { BASELINE_MODEL_FORMAT, BASELINE_RUN_KIND, type BaselineSettings } from '../../common/baseline';
import { CROSSVAL_RUN_KIND } from '../../common/labelCheck';
import { architectureFields, HyperparameterError, resolveHyperparameters, type Hyperparameters, type PresetName } from '../../common/hyperparameters';
import { readModelBundle } from '../export/modelBundle';
import type { BatchProgress, EpochMetrics, TrainerEvent, TrainerRequest } from '../../common/trainer';
import { parseBaselineSettings } from '../baseline/job';
import type { Project } from '../db/project';
import { Runs, type RunRecord } from '../db/runs';
import { trainerErrorReason, trainerExitReason } from './trainerFailure';


/**
 * Marks a run failed from an event callback, where a throw would reach the process's uncaught
 * handler. If even that write fails (a full disk), the run stays "running" and the next open of
 * the project marks it interrupted (its owner process is gone).
 */
function markFailed(runs: Runs, runId: number, reason: string): void {
  try {
    runs.fail(runId, reason);
  } catch {
    // See above: recovered at the next open.
  }
}

export interface TrainerHandle {
  /** The process id when known (child_process), for diagnostics and tests. */
  pid?: number;
  send(message: TrainerRequest): void;
  onMessage(listener: (event: TrainerEvent) => void): void;
  /** `detail`: the tail of the process's stderr, for the failure reason. */
  onExit(listener: (code: number | null, signal: string | null, detail: string) => void): void;
  kill(): void;
}
export type SpawnTrainer = () => TrainerHandle;

/** child_process.fork of the trainer entry; from TypeScript sources through tsx. */
export function forkTrainer(entry = fileURLToPath(new URL('../../trainer/index.ts', import.meta.url))): TrainerHandle {
  if (!existsSync(entry)) throw new StudioError('internal', `The trainer entry ${entry} is missing.`);
  const child: ChildProcess = fork(entry, [], {
    serialization: 'advanced',
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // A V8 out-of-memory abort prints its reason before a native stack trace of 2,000+ characters.
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  return {
    pid: child.pid,
    send: (message) => child.send(message),
    onMessage: (listener) => child.on('message', (m) => listener(m as TrainerEvent)),
    // 'close', not 'exit': only then has all of stderr (the reason it died) been read.
    onExit: (listener) => child.on('close', (code, signal) => listener(code, signal, stderr.trim())),
    kill: () => child.kill(),
  };
}

export interface TrainOptions {
  preset: PresetName;
  overrides?: Record<string, unknown>;
  fromRunId?: number;
  /** Fine-tune an exported bundle (a folder) instead of a run of this project. */
  fromBundle?: string;
  appVersion: string;
  /** Train on exactly that run's snapshot instead of the current labels (a study's later trials). */
  sameSnapshotAs?: number;
  /**
   * Train the NBSVM baseline on the same snapshot first when none exists for it (default true),
   * so every run's results can say how it compares.
   */
  baseline?: boolean;
}

export interface BaselineTrainOptions {
  settings?: Partial<BaselineSettings>;
  appVersion: string;
}

export interface TrainHooks {
  /** Called synchronously once the run and its snapshot are recorded, before the trainer starts. */
  onCreated?: (run: RunRecord) => void;
  onReady?: (backend: string, run: RunRecord) => void;
  onProgress?: (progress: BatchProgress) => void;
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Scoring the test split after training: rows done of total. */
  onEvaluating?: (done: number, total: number) => void;
  /** Cancel: stop after the current batch, keep the best model so far. */
  signal?: AbortSignal;
  /** Stop now (the app is quitting): the trainer is killed and the run marked failed. */
  hardStop?: AbortSignal;
  /** The automatic baseline: recorded (its run), reporting, and finished or failed. */
  onBaselineCreated?: (run: RunRecord) => void;
  onBaselineProgress?: (progress: BatchProgress) => void;
  onBaselineDone?: (run: RunRecord | null, error: StudioError | null) => void;
}

type RunRequest = Omit<Extract<TrainerRequest, { type: 'start' }>, 'type' | 'projectPath' | 'runId'>;

function kebab(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The parent's hyperparameters, checked to exist, to hold a model, and to predict these labels. */
function parentHyperparameters(project: Project, runs: Runs, options: TrainOptions, labels: string[]): Record<string, unknown> | null {
  if (options.fromRunId !== undefined) {
    const parent = runs.get(options.fromRunId);
    if (parent.kind === BASELINE_RUN_KIND) throw new StudioError('invalid-input', `run ${parent.id} is the n-gram baseline; fine-tuning continues an LSTM or GRU model.`);
    if (!runs.model(parent.id)) throw new StudioError('not-found', `run ${parent.id} has no saved model to fine-tune (its status is ${parent.status})`);
    return parent.hyperparameters;
  }
  if (options.fromBundle !== undefined) {
    const bundle = readModelBundle(options.fromBundle);
    if (bundle.format === BASELINE_MODEL_FORMAT) throw new StudioError('invalid-input', `${options.fromBundle} holds the n-gram baseline; fine-tuning continues an LSTM or GRU model.`);
    if (bundle.labels.labels.join(',') !== labels.join(',')) {
      throw new StudioError('invalid-input', `The bundle predicts ${bundle.labels.labels.join(', ')}, but this project's labels are ${labels.join(', ')}.`);
    }
    return bundle.metadata.hyperparameters;
  }
  return null;
}

function resolveRunHyperparameters(options: TrainOptions, parent: Record<string, unknown> | null): Hyperparameters {
  const overrides = options.overrides ?? {};
  try {
    if (!parent) {
      if (overrides['freezeEmbedding'] === true) {
        throw new StudioError('invalid-input', '--freeze-embedding only applies when fine-tuning an existing model (--from).');
      }
      return resolveHyperparameters(options.preset, overrides);
    }
    const fixed = Object.fromEntries(architectureFields.map((f) => [f, parent[f]]));
    for (const field of architectureFields) {
      if (overrides[field] !== undefined && overrides[field] !== fixed[field]) {
        throw new StudioError('invalid-input', `${kebab(field)} cannot change when fine-tuning: the model keeps its architecture and vocabulary (it is ${String(fixed[field])}).`);
      }
    }
    return resolveHyperparameters(options.preset, { ...overrides, ...fixed });
  } catch (error) {
    if (error instanceof HyperparameterError) throw new StudioError('invalid-input', error.message);
    throw error;
  }
}

export async function trainRun(project: Project, options: TrainOptions, hooks: TrainHooks = {}, spawn: SpawnTrainer = forkTrainer): Promise<RunRecord> {
  if (project.readOnly) throw new StudioError('read-only', 'This project is open read-only; training needs to record the run.');
  const runs = new Runs(project.db);
  const labels = project.meta.labels().map((l) => l.name);
  const hp = resolveRunHyperparameters(options, parentHyperparameters(project, runs, options, labels));
  project.splits.assignPending();
  const run = runs.create({
    kind: hp.cell,
    // A bundle parent is outside the project: its folder is the lineage the run history can show.
    hyperparameters: { preset: options.preset, ...hp, ...(options.fromBundle ? { fromBundle: options.fromBundle } : {}) },
    seed: hp.seed,
    appVersion: options.appVersion,
    parentRunId: options.fromRunId,
    sameSnapshotAs: options.sameSnapshotAs,
  });
  if (run.snapshotSize === 0) {
    runs.fail(run.id, 'no labelled items');
    throw new StudioError('invalid-input', 'There are no labelled items to train on yet.');
  }
  hooks.onCreated?.(run);
  if (options.baseline !== false && runs.baselineFor(run.snapshotHash) === null) {
    await automaticBaseline(project, runs, run, labels, options.appVersion, hooks, spawn);
    if (hooks.signal?.aborted || hooks.hardStop?.aborted) {
      runs.cancelUnstarted(run.id, 'cancelled before training started');
      throw new StudioError('cancelled', `Run ${run.id} was cancelled before training started.`);
    }
  }
  return executeRun(project, runs, run, labels, { kind: 'recurrent', hyperparameters: hp, fromRunId: options.fromRunId, fromBundle: options.fromBundle }, hooks, spawn);
}

/**
 * The baseline for an LSTM run's snapshot, trained on a copy of that snapshot (labels may change
 * while it trains). Its failure is reported, never fatal: the LSTM run goes ahead without a comparison.
 */
async function automaticBaseline(project: Project, runs: Runs, lstm: RunRecord, labels: string[], appVersion: string, hooks: TrainHooks, spawn: SpawnTrainer): Promise<void> {
  try {
    const settings = parseBaselineSettings({ seed: lstm.seed });
    const run = runs.create({ kind: BASELINE_RUN_KIND, hyperparameters: settings, seed: settings.seed, appVersion, sameSnapshotAs: lstm.id });
    hooks.onBaselineCreated?.(run);
    const done = await executeRun(project, runs, run, labels, { kind: 'baseline', hyperparameters: settings }, { signal: hooks.signal, hardStop: hooks.hardStop, onProgress: hooks.onBaselineProgress }, spawn);
    hooks.onBaselineDone?.(done, null);
  } catch (error) {
    hooks.onBaselineDone?.(null, StudioError.is(error) ? error : new StudioError('internal', (error as Error).message));
  }
}

/** A baseline run on its own (the analyst asked for one): the current labels, in the trainer process. */
export async function trainBaselineRun(project: Project, options: BaselineTrainOptions, hooks: TrainHooks = {}, spawn: SpawnTrainer = forkTrainer): Promise<RunRecord> {
  if (project.readOnly) throw new StudioError('read-only', 'This project is open read-only; training needs to record the run.');
  const settings = parseBaselineSettings(options.settings ?? {});
  const runs = new Runs(project.db);
  const labels = project.meta.labels().map((l) => l.name);
  project.splits.assignPending();
  const run = runs.create({ kind: BASELINE_RUN_KIND, hyperparameters: settings, seed: settings.seed, appVersion: options.appVersion });
  if (run.snapshotSize === 0) {
    runs.fail(run.id, 'no labelled items');
    throw new StudioError('invalid-input', 'There are no labelled items to train on yet.');
  }
  hooks.onCreated?.(run);
  return executeRun(project, runs, run, labels, { kind: 'baseline', hyperparameters: settings }, hooks, spawn);
}

export interface CrossvalTrainOptions {
  preset: PresetName;
  overrides?: Record<string, unknown>;
  folds: number;
  foldModel: 'recurrent' | 'baseline';
  appVersion: string;
}

/**
 * The label check: k out-of-fold models on every labelled item, recorded as a run of kind
 * 'crossval' whose predictions cover all of them (and which keeps no model).
 */
export async function trainCrossvalRun(project: Project, options: CrossvalTrainOptions, hooks: TrainHooks = {}, spawn: SpawnTrainer = forkTrainer): Promise<RunRecord> {
  if (project.readOnly) throw new StudioError('read-only', 'This project is open read-only; the label check needs to record its results.');
  const hp = resolveRunHyperparameters({ preset: options.preset, overrides: options.overrides, appVersion: options.appVersion }, null);
  const runs = new Runs(project.db);
  const labels = project.meta.labels().map((l) => l.name);
  project.splits.assignPending();
  const run = runs.create({ kind: CROSSVAL_RUN_KIND, hyperparameters: { preset: options.foldModel === 'baseline' ? null : options.preset, folds: options.folds, foldModel: options.foldModel, ...hp }, seed: hp.seed, appVersion: options.appVersion });
  if (run.snapshotSize === 0) {
    runs.fail(run.id, 'no labelled items');
    throw new StudioError('invalid-input', 'There are no labelled items to check yet.');
  }
  hooks.onCreated?.(run);
  return executeRun(project, runs, run, labels, { kind: 'crossval', hyperparameters: hp, folds: options.folds, foldModel: options.foldModel }, hooks, spawn);
}

/** Starts the trainer process on a recorded run and records what it reports until it ends. */
function executeRun(project: Project, runs: Runs, run: RunRecord, labels: string[], request: RunRequest, hooks: TrainHooks, spawn: SpawnTrainer): Promise<RunRecord> {
  let trainer: TrainerHandle;
  try {
    trainer = spawn();
  } catch (error) {
    runs.fail(run.id, `the training process could not start: ${(error as Error).message}`);
    return Promise.reject(new StudioError('internal', `The training process could not start: ${(error as Error).message}`));
  }
  return new Promise<RunRecord>((resolve, reject) => {
    let settled = false;
    const settle = (error: StudioError | null) => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', cancel);
      trainer.kill();
      if (error) reject(error);
      else resolve(runs.get(run.id));
    };
    // A baseline is one synchronous solve with nothing worth keeping halfway, and its process
    // reads no messages until it ends: cancel stops it at once.
    const cancel =
      request.kind === 'baseline'
        ? () => {
            runs.cancelUnstarted(run.id, 'cancelled before the baseline finished');
            settle(new StudioError('cancelled', `The baseline (run ${run.id}) was cancelled before it finished.`));
          }
        : () => trainer.send({ type: 'cancel' });
    hooks.signal?.addEventListener('abort', cancel);
    hooks.hardStop?.addEventListener('abort', () => trainer.kill());
    trainer.onMessage((event) => {
      try {
        if (event.type === 'ready') {
          runs.markRunning(run.id, event.backend);
          hooks.onReady?.(event.backend, runs.get(run.id));
        } else if (event.type === 'progress') {
          const { type: _type, runId: _run, ...progress } = event;
          hooks.onProgress?.(progress);
        } else if (event.type === 'epoch') {
          const { type: _type, runId: _run, ...metrics } = event;
          runs.addEpoch(run.id, metrics);
          hooks.onEpoch?.(metrics);
        } else if (event.type === 'evaluating') {
          hooks.onEvaluating?.(event.done, event.total);
        } else if (event.type === 'done') {
          runs.finish(run.id, event.outcome, labels);
          settle(null);
        } else if (event.type === 'error') {
          // A job that stops on cancel with nothing to keep (the label check) reports an error.
          if (hooks.signal?.aborted) {
            runs.cancelUnstarted(run.id, event.message);
            settle(new StudioError('cancelled', event.message));
            return;
          }
          const reason = trainerErrorReason(event.message, request.hyperparameters);
          runs.fail(run.id, reason);
          settle(new StudioError('invalid-input', `Training failed: ${reason}`));
        }
      } catch (error) {
        markFailed(runs, run.id, (error as Error).message);
        settle(new StudioError('internal', `Recording the run failed: ${(error as Error).message}`));
      }
    });
    trainer.onExit((code, signal, detail) => {
      if (settled) return;
      const reason = trainerExitReason(code, signal, detail, request.hyperparameters);
      markFailed(runs, run.id, reason);
      settle(new StudioError('internal', `Training failed: ${reason}. The project is unchanged apart from this run being marked failed.`));
    });
    trainer.send({ type: 'start', projectPath: project.path, runId: run.id, ...request });
    if (hooks.signal?.aborted) cancel();
  });
}
