/**
 * A label check in progress, fed by the train:* events or, after a reload, rebuilt from
 * `train:status`. Its progress reports are per fold for n-gram folds (batch = folds done) and per
 * batch for LSTM/GRU folds, whose epochs run on across folds ((fold − 1) · epochs + epoch).
 */
import type { EventMap, RunStatus, RunSummary } from '@common/contract';
import type { BatchProgress } from '@common/trainer';

export type FoldModel = 'recurrent' | 'baseline';

/** What the Start panel asks for; the preset is always the label check's own (fast). */
export interface CheckRequest {
  folds: number;
  foldModel: FoldModel;
  overrides: Record<string, number>;
}

export interface CheckPlan {
  folds: number;
  foldModel: FoldModel;
  /** Epochs per fold (LSTM/GRU folds); 1 for n-gram folds. */
  epochs: number;
}

/** The plan a crossval run recorded in its hyperparameters. */
export function planOf(run: Pick<RunSummary, 'hyperparameters'>): CheckPlan {
  const hp = run.hyperparameters;
  const foldModel: FoldModel = hp['foldModel'] === 'baseline' ? 'baseline' : 'recurrent';
  const folds = typeof hp['folds'] === 'number' ? hp['folds'] : 5;
  const epochs = foldModel === 'recurrent' && typeof hp['epochs'] === 'number' ? hp['epochs'] : 1;
  return { folds, foldModel, epochs };
}

export class LiveCheck {
  readonly runId: number;
  readonly plan: CheckPlan;
  progress = $state<BatchProgress | null>(null);
  finished = $state<{ status: RunStatus; error: string | null } | null>(null);
  cancelling = $state(false);

  constructor(runId: number, plan: CheckPlan) {
    this.runId = runId;
    this.plan = plan;
  }

  static fromStatus(run: RunSummary, progress: (BatchProgress & { runId: number }) | null): LiveCheck {
    const live = new LiveCheck(run.id, planOf(run));
    if (progress?.runId === run.id) live.progress = progress;
    return live;
  }

  /** The fold being trained (1-based). */
  get fold(): number {
    const p = this.progress;
    if (!p) return 1;
    const { folds, foldModel, epochs } = this.plan;
    // An n-gram report comes when a fold is done: the next one is under way.
    if (foldModel === 'baseline') return Math.min(folds, p.batch + (p.batch < p.batches ? 1 : 0));
    return Math.min(folds, Math.floor((p.epoch - 1) / epochs) + 1);
  }

  /** The epoch within the current fold (LSTM/GRU folds). */
  get epoch(): number {
    const p = this.progress;
    return p ? ((p.epoch - 1) % this.plan.epochs) + 1 : 1;
  }

  /** Work done, 0 to 1. */
  get share(): number {
    const p = this.progress;
    if (!p) return 0;
    const { folds, foldModel, epochs } = this.plan;
    if (foldModel === 'baseline') return Math.min(1, p.batch / folds);
    return Math.min(1, ((p.epoch - 1) * p.batches + p.batch) / (folds * epochs * p.batches));
  }

  onProgress(event: EventMap['train:progress']): void {
    if (event.runId !== this.runId) return;
    const { runId: _run, ...progress } = event;
    this.progress = progress;
  }

  /** true when this check ended. */
  onFinished(event: EventMap['train:finished']): boolean {
    if (event.runId !== this.runId) return false;
    this.finished = { status: event.status, error: event.error };
    this.cancelling = false;
    return true;
  }
}
