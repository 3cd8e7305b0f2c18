/**
 * The main process's side of token saliency: one explainer process (the trainer entry, so the
 * app starts it as a utility process like training), started on the first request and kept
 * warm with the last run's model loaded, so later explanations feel instant. It is stopped after
 * a while without requests, and a crash fails only the requests in flight.
 */
import { StudioError } from '../common/errors';
import type { Explanation } from '../common/evaluation';
import { forkTrainer, type SpawnTrainer, type TrainerHandle } from './train/trainerClient';

/** A warm process holds a model and the tfjs backend (tens of MB): let it go when unused. */
const idleMs = 3 * 60_000;

interface Pending {
  resolve: (e: Omit<Explanation, 'runId'>) => void;
  reject: (error: StudioError) => void;
}

export class ExplainService {
  private process: TrainerHandle | null = null;
  /** Requests in flight, by the process they were sent to: a process's exit fails only its own. */
  private readonly pending = new Map<number, Pending & { handle: TrainerHandle }>();
  private nextId = 1;
  private idle: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly spawn: SpawnTrainer = forkTrainer) {}

  explain(request: { projectPath: string; runId: number; text: string; target?: number }): Promise<Omit<Explanation, 'runId'>> {
    const handle = this.ensureProcess();
    const requestId = this.nextId++;
    if (this.idle) clearTimeout(this.idle);
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, handle });
      handle.send({ type: 'explain', requestId, ...request });
    }).finally(() => this.armIdle()) as Promise<Omit<Explanation, 'runId'>>;
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    this.stop();
  }

  private armIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    if (this.pending.size > 0) return;
    this.idle = setTimeout(() => this.stop(), idleMs);
    this.idle.unref?.();
  }

  private failAll(handle: TrainerHandle, error: StudioError): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.handle !== handle) continue;
      this.pending.delete(id);
      waiting.reject(error);
    }
  }

  private stop(): void {
    const handle = this.process;
    this.process = null;
    handle?.kill();
  }

  private ensureProcess(): TrainerHandle {
    if (this.process) return this.process;
    const handle = this.spawn();
    handle.onMessage((event) => {
      if (event.type !== 'explanation' && event.type !== 'error') return;
      if (event.type === 'error' && event.requestId === undefined) {
        // The process refused a message it could not read: fail what it was asked, not hang.
        this.failAll(handle, new StudioError('internal', `The explainer refused a request: ${event.message}`));
        return;
      }
      const waiting = this.pending.get(event.requestId!);
      if (!waiting) return;
      this.pending.delete(event.requestId!);
      if (event.type === 'explanation') waiting.resolve(event.explanation);
      else waiting.reject(new StudioError('invalid-input', event.message));
    });
    handle.onExit((code, signal, detail) => {
      if (this.process === handle) this.process = null;
      const how = signal ? `was stopped (${signal})` : `exited with code ${code}`;
      this.failAll(handle, new StudioError('internal', `The explainer process ${how}${detail ? `: ${detail.split('\n').at(-1)}` : ''}; try again.`));
    });
    this.process = handle;
    return handle;
  }
}
