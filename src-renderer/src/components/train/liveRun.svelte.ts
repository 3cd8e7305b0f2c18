/**
 * The run the Train screen follows: fed by the train:* events and, after a reload, rebuilt from
 * `train:status`. The batch-loss series is plain (not reactive) data the chart draws from;
 * `lossTick` tells the chart when to redraw.
 */
import type { EventMap, RunStatus, RunSummary, TrainStatus } from '@common/contract';
import type { BatchProgress, EpochMetrics } from '@common/trainer';
import { DecimatedSeries } from '../../lib/charts';

export type Phase = 'baseline' | 'training' | 'evaluating' | 'finished';

export class LiveRun {
  readonly runId: number;
  baselineRunId = $state<number | null>(null);
  /** The baseline phase's latest step, and how it ended. */
  baselineProgress = $state<BatchProgress | null>(null);
  baselineStatus = $state<RunStatus | null>(null);
  progress = $state<BatchProgress | null>(null);
  epochs = $state<EpochMetrics[]>([]);
  evaluating = $state<{ done: number; total: number } | null>(null);
  summary = $state<RunSummary | null>(null);
  finished = $state<{ status: RunStatus; error: string | null } | null>(null);
  cancelling = $state(false);
  lossTick = $state(0);
  epochTick = $state(0);
  readonly loss = new DecimatedSeries(1500);

  constructor(runId: number) {
    this.runId = runId;
  }

  get phase(): Phase {
    if (this.finished) return 'finished';
    if (this.evaluating) return 'evaluating';
    if (this.progress || this.epochs.length > 0) return 'training';
    return this.baselineRunId !== null && this.baselineStatus === null ? 'baseline' : 'training';
  }

  /** Rebuilds the run from `train:status` (the screen was reloaded mid-run). */
  static fromStatus(status: TrainStatus & { run: RunSummary }): LiveRun {
    const live = new LiveRun(status.run.id);
    live.summary = status.run;
    if (status.baselineRun) {
      live.baselineRunId = status.baselineRun.id;
      live.baselineStatus = status.baselineRun.status === 'running' || status.baselineRun.status === 'queued' ? null : status.baselineRun.status;
    }
    for (const point of status.lossHistory) if (point.runId === live.runId) live.loss.add(point.step, point.loss);
    live.epochs = status.epochs;
    if (status.progress?.runId === live.runId) live.progress = status.progress;
    else if (status.progress && status.progress.runId === live.baselineRunId) live.baselineProgress = status.progress;
    if (status.evaluating?.runId === live.runId) live.evaluating = { done: status.evaluating.done, total: status.evaluating.total };
    live.lossTick++;
    live.epochTick++;
    return live;
  }

  /** A progress event for this run or, arriving first under another id, its automatic baseline. */
  onProgress(event: EventMap['train:progress']): void {
    const { runId, ...progress } = event;
    if (runId !== this.runId) {
      if (this.progress || (this.baselineRunId !== null && runId !== this.baselineRunId)) return;
      this.baselineRunId = runId;
      this.baselineProgress = progress;
      return;
    }
    this.progress = progress;
    if (this.loss.add((progress.epoch - 1) * progress.batches + progress.batch, progress.loss)) this.lossTick++;
  }

  onEpoch(event: EventMap['train:epoch']): void {
    if (event.runId !== this.runId) return;
    const { runId: _run, ...metrics } = event;
    this.epochs = [...this.epochs.filter((e) => e.epoch !== metrics.epoch), metrics];
    this.epochTick++;
  }

  onEvaluating(event: EventMap['train:evaluating']): void {
    if (event.runId === this.runId) this.evaluating = { done: event.done, total: event.total };
  }

  /** true when the run itself (not its baseline) ended. */
  onFinished(event: EventMap['train:finished']): boolean {
    if (event.runId === this.runId) {
      this.finished = { status: event.status, error: event.error };
      return true;
    }
    if (event.runId === this.baselineRunId || (this.baselineRunId === null && !this.progress)) {
      this.baselineRunId = event.runId;
      this.baselineStatus = event.status;
    }
    return false;
  }
}
