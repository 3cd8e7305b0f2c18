/**
 * The main process's side of batch prediction: one scoring job at a time, each in a fresh
 * process (the trainer entry: a utility process in the app) that exits when done, so a large
 * model's memory goes with it. Progress is relayed; cancel stops it between batches.
 */
import { StudioError } from '../../common/errors';
import type { PredictionProgress, PredictionSummary } from '../../common/prediction';
import type { TrainerRequest } from '../../common/trainer';
import { forkTrainer, type SpawnTrainer, type TrainerHandle } from '../train/trainerClient';

type PredictMessage = Omit<Extract<TrainerRequest, { type: 'predict' }>, 'type' | 'requestId'>;

export class PredictService {
  private active: TrainerHandle | null = null;

  constructor(private readonly spawn: SpawnTrainer = forkTrainer) {}

  get running(): boolean {
    return this.active !== null;
  }

  run(message: PredictMessage, onProgress: (p: PredictionProgress) => void): Promise<PredictionSummary> {
    if (this.active) throw new StudioError('busy', 'A file is already being scored; wait for it or cancel it.');
    const handle = this.spawn();
    this.active = handle;
    return new Promise<PredictionSummary>((resolve, reject) => {
      let settled = false;
      const settle = (error: StudioError | null, summary?: PredictionSummary) => {
        if (settled) return;
        settled = true;
        if (this.active === handle) this.active = null;
        handle.kill();
        if (error) reject(error);
        else resolve(summary!);
      };
      handle.onMessage((event) => {
        if (event.type === 'predict-progress') onProgress({ rows: event.rows, bytesRead: event.bytesRead, totalBytes: event.totalBytes });
        else if (event.type === 'predicted') settle(null, event.summary);
        else if (event.type === 'error') settle(new StudioError(/cancelled/i.test(event.message) ? 'cancelled' : 'invalid-input', event.message));
      });
      handle.onExit((code, signal, detail) => {
        const how = signal ? `was stopped (${signal})` : `exited with code ${code}`;
        settle(new StudioError('internal', `The scoring process ${how}${detail ? `: ${detail.split('\n').at(-1)}` : ''}. No results file was written.`));
      });
      handle.send({ type: 'predict', requestId: 1, ...message });
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
