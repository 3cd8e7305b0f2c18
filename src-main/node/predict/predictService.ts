/**
 * The main process's side of batch prediction: one scoring job at a time, each in a fresh
 * process (the trainer entry: a utility process in the app) that exits when done, so a large
 * model's memory goes with it. Progress is relayed; cancel stops it between batches.
 */
import { StudioError } from '../../common/errors';
import type { PredictionProgress, PredictionSummary } from '../../common/prediction';
import type { TrainerEvent, TrainerRequest } from '../../common/trainer';
import { forkTrainer, type SpawnTrainer, type TrainerHandle } from '../train/trainerClient';

type PredictMessage = Omit<Extract<TrainerRequest, { type: 'predict' }>, 'type' | 'requestId'>;

export class PredictService {
  private active: TrainerHandle | null = null;

  constructor(private readonly spawn: SpawnTrainer = forkTrainer) {}

  get running(): boolean {
    return this.active !== null;
  }

  run(message: PredictMessage, onProgress: (p: PredictionProgress) => void): Promise<PredictionSummary> {
    return this.job({ type: 'predict', requestId: 1, ...message }, onProgress, (event) => (event.type === 'predicted' ? event.summary : undefined));
  }

  /** The project's unlabelled items scored with a run's model (their pre-labels). */
  score(message: { projectPath: string; runId: number }, onProgress: (p: PredictionProgress) => void): Promise<Extract<TrainerEvent, { type: 'scored' }>> {
    return this.job({ type: 'score', requestId: 1, ...message }, onProgress, (event) => (event.type === 'scored' ? event : undefined));
  }

  private job<T>(request: TrainerRequest, onProgress: (p: PredictionProgress) => void, result: (event: TrainerEvent) => T | undefined): Promise<T> {
    if (this.active) throw new StudioError('busy', 'A file is already being scored; wait for it or cancel it.');
    const handle = this.spawn();
    this.active = handle;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (error: StudioError | null, value?: T) => {
        if (settled) return;
        settled = true;
        if (this.active === handle) this.active = null;
        handle.kill();
        if (error) reject(error);
        else resolve(value as T);
      };
      handle.onMessage((event) => {
        if (event.type === 'predict-progress') return onProgress({ rows: event.rows, bytesRead: event.bytesRead, totalBytes: event.totalBytes });
        if (event.type === 'error') return settle(new StudioError(/cancelled/i.test(event.message) ? 'cancelled' : 'invalid-input', event.message));
        const value = result(event);
        if (value !== undefined) settle(null, value);
      });
      handle.onExit((code, signal, detail) => {
        const how = signal ? `was stopped (${signal})` : `exited with code ${code}`;
        settle(new StudioError('internal', `The scoring process ${how}${detail ? `: ${detail.split('\n').at(-1)}` : ''}. Nothing was written.`));
      });
      handle.send(request);
    });
  }

  cancel(): boolean {
    if (!this.active) return false;
    this.active.send({ type: 'cancel' });
    return true;
  }

  dispose(): void {
    this.active?.kill();
    this.active = null;
  }
}
