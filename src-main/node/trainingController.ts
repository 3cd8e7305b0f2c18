/**
 * Training for the handler map: one run at a time per window, started in the trainer process,
 * its progress forwarded as events. `train:start` answers as soon as the run is recorded; the
 * outcome arrives as a `train:finished` event (and in `runs:list`).
 */
import { StudioError, toErrorData } from '../common/errors';
import type { EventMap, EventName } from '../common/contract';
import type { PresetName } from '../common/hyperparameters';
import type { Project } from './db/project';
import { forkTrainer, trainRun, type SpawnTrainer } from './train/trainerClient';

export interface TrainingDeps {
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  appVersion: string;
  spawnTrainer?: SpawnTrainer;
}

const progressIntervalMs = 100;

export class TrainingController {
  private active: { runId: number; abort: AbortController; kill: AbortController; done: Promise<void> } | null = null;

  constructor(private readonly deps: TrainingDeps) {}

  get running(): boolean {
    return this.active !== null;
  }

  async start(project: Project, request: { preset: PresetName; overrides: Record<string, unknown>; fromRunId?: number }): Promise<{ runId: number }> {
    if (this.active) throw new StudioError('busy', `Run ${this.active.runId} is still training; cancel it or wait for it to finish.`);
    const abort = new AbortController();
    const kill = new AbortController();
    let runId = 0;
    let lastProgress = 0;
    const { emit } = this.deps;
    const training = trainRun(
      project,
      { preset: request.preset, overrides: request.overrides, fromRunId: request.fromRunId, appVersion: this.deps.appVersion },
      {
        signal: abort.signal,
        hardStop: kill.signal,
        onCreated: (run) => (runId = run.id),
        onProgress: (p) => {
          // The trainer reports every batch (hundreds a second on small models); the window needs
          // about ten a second, plus each epoch's last batch.
          const now = Date.now();
          if (p.batch < p.batches && now - lastProgress < progressIntervalMs) return;
          lastProgress = now;
          emit('train:progress', { runId, ...p });
        },
        onEpoch: (e) => emit('train:epoch', { runId, ...e }),
      },
      this.deps.spawnTrainer ?? forkTrainer,
    );
    // trainRun records the run synchronously; a refusal before that (bad hyperparameters, no
    // labels) rejects without an id and is reported to the caller as the error it is.
    if (runId === 0) {
      await training;
      throw new StudioError('internal', 'the run was not recorded');
    }
    const done = training
      .then((run) => emit('train:finished', { runId, status: run.status, error: run.error }))
      .catch((error: unknown) => emit('train:finished', { runId, status: 'failed', error: toErrorData(error).message }))
      .finally(() => {
        this.active = null;
      });
    this.active = { runId, abort, kill, done };
    return { runId };
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
