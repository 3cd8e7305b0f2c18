/**
 * Training for the handler map: one run at a time per window, started in the trainer process,
 * its progress forwarded as events. `train:start` answers as soon as the run is recorded; the
 * outcome arrives as a `train:finished` event (and in `runs:list`).
 */
import { StudioError, toErrorData } from '../common/errors';
import type { EventMap, EventName, ParsedRequestOf, RunStatus, TrainStatus } from '../common/contract';
import type { Project } from './db/project';
import { baselineComparison, runSummary, Runs } from './db/runs';
import { forkTrainer, trainBaselineRun, trainCrossvalRun, trainRun, type SpawnTrainer, type TrainHooks } from './train/trainerClient';

export interface TrainingDeps {
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  appVersion: string;
  spawnTrainer?: SpawnTrainer;
}

const progressIntervalMs = 100;
/** Batch losses kept for a reattaching screen's chart; halved (every other point) when full. */
const lossHistoryLimit = 1000;

/** What a reloaded window needs to redraw the run in progress (see `train:status`). */
interface LiveState {
  baselineRunId: number | null;
  progress: TrainStatus['progress'];
  lossHistory: TrainStatus['lossHistory'];
  evaluating: TrainStatus['evaluating'];
}

function remember(live: LiveState, progress: NonNullable<TrainStatus['progress']>): void {
  live.progress = progress;
  live.lossHistory.push({ runId: progress.runId, step: (progress.epoch - 1) * progress.batches + progress.batch, loss: progress.loss });
  if (live.lossHistory.length > lossHistoryLimit) live.lossHistory = live.lossHistory.filter((_, i) => i % 2 === 1);
}

type TrainStartRequest = Pick<ParsedRequestOf<'train:start'>, 'preset' | 'overrides' | 'fromRunId'> & Partial<Pick<ParsedRequestOf<'train:start'>, 'fromBundle'>> & { sameSnapshotAs?: number } & Partial<Pick<ParsedRequestOf<'train:start'>, 'model' | 'baseline' | 'folds' | 'foldModel'>>;

/** A run that ended in an error may still be recorded as cancelled (cancelled before it started). */
function finalStatus(project: Project, runId: number): RunStatus {
  try {
    const status = new Runs(project.db).get(runId).status;
    return status === 'cancelled' ? status : 'failed';
  } catch {
    return 'failed';
  }
}

export class TrainingController {
  private active: { runId: number; project: Project; abort: AbortController; kill: AbortController; done: Promise<void>; live: LiveState } | null = null;

  constructor(private readonly deps: TrainingDeps) {}

  get running(): boolean {
    return this.active !== null;
  }

  async start(project: Project, request: TrainStartRequest): Promise<{ runId: number }> {
    const { runId } = await this.launch(project, request);
    return { runId };
  }

  /** Starts a run; `finished` settles (never rejects) when it has ended and been recorded. */
  async launch(project: Project, request: TrainStartRequest): Promise<{ runId: number; finished: Promise<void> }> {
    if (this.active) throw new StudioError('busy', `Run ${this.active.runId} is still training; cancel it or wait for it to finish.`);
    const abort = new AbortController();
    const kill = new AbortController();
    let runId = 0;
    let baselineRunId = 0;
    let lastProgress = 0;
    const { emit } = this.deps;
    const live: LiveState = { baselineRunId: null, progress: null, lossHistory: [], evaluating: null };
    const hooks: TrainHooks = {
      signal: abort.signal,
      hardStop: kill.signal,
      onCreated: (run) => (runId = run.id),
      onProgress: (p) => {
        // The trainer reports every batch (hundreds a second on small models); the window needs
        // about ten a second, plus each epoch's last batch.
        const now = Date.now();
        if (p.batch < p.batches && now - lastProgress < progressIntervalMs) return;
        lastProgress = now;
        remember(live, { runId, ...p });
        emit('train:progress', { runId, ...p });
      },
      onEpoch: (e) => emit('train:epoch', { runId, ...e }),
      onEvaluating: (done, total) => {
        const now = Date.now();
        if (done < total && now - lastProgress < progressIntervalMs) return;
        lastProgress = now;
        live.evaluating = { runId, done, total };
        emit('train:evaluating', { runId, done, total });
      },
      onBaselineCreated: (run) => (baselineRunId = live.baselineRunId = run.id),
      onBaselineProgress: (p) => {
        remember(live, { runId: baselineRunId, ...p });
        emit('train:progress', { runId: baselineRunId, ...p });
      },
      onBaselineDone: (run, error) => {
        if (baselineRunId === 0) return; // refused before it was recorded: nothing to report on
        emit('train:finished', { runId: baselineRunId, status: run?.status ?? finalStatus(project, baselineRunId), error: run?.error ?? error?.message ?? null });
      },
    };
    const spawn = this.deps.spawnTrainer ?? forkTrainer;
    const { appVersion } = this.deps;
    const training =
      request.model === 'baseline'
        ? trainBaselineRun(project, { settings: request.overrides, appVersion }, hooks, spawn)
        : request.model === 'crossval'
          ? trainCrossvalRun(project, { preset: request.preset, overrides: request.overrides, folds: request.folds ?? 5, foldModel: request.foldModel ?? 'recurrent', appVersion }, hooks, spawn)
          : trainRun(project, { preset: request.preset, overrides: request.overrides, fromRunId: request.fromRunId, fromBundle: request.fromBundle, appVersion, baseline: request.baseline, sameSnapshotAs: request.sameSnapshotAs }, hooks, spawn);
    // trainRun records the run synchronously; a refusal before that (bad hyperparameters, no
    // labels) rejects without an id and is reported to the caller as the error it is.
    if (runId === 0) {
      await training;
      throw new StudioError('internal', 'the run was not recorded');
    }
    const done = training
      .then((run) => emit('train:finished', { runId, status: run.status, error: run.error }))
      .catch((error: unknown) => emit('train:finished', { runId, status: finalStatus(project, runId), error: toErrorData(error).message }))
      .finally(() => {
        this.active = null;
      });
    this.active = { runId, project, abort, kill, done, live };
    return { runId, finished: done };
  }

  /** The run in progress with its epochs so far, for a screen that was reloaded mid-run. */
  status(): Omit<TrainStatus, 'study'> {
    if (!this.active) return { run: null, baselineRun: null, epochs: [], progress: null, lossHistory: [], evaluating: null };
    const { runId, project, live } = this.active;
    const runs = new Runs(project.db);
    const summarize = (id: number) => {
      const record = runs.get(id);
      return runSummary(record, baselineComparison(runs, record));
    };
    return {
      run: summarize(runId),
      baselineRun: live.baselineRunId === null ? null : summarize(live.baselineRunId),
      epochs: runs.epochs(runId),
      progress: live.progress,
      lossHistory: live.lossHistory,
      evaluating: live.evaluating,
    };
  }

  cancel(): boolean {
    if (!this.active) return false;
    this.active.abort.abort();
    return true;
  }

  /** The window or app is closing: stop the trainer at once (the run is marked failed). */
  async dispose(): Promise<void> {
    if (!this.active) return;
    this.active.kill.abort();
    await this.active.done;
  }
}
