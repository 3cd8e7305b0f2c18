/**
 * Training runs as the handler map reports them: a run's summary, its place in the history, the
 * run in progress, the data a run will use, and an exported bundle's description. Part of the
 * contract (contract.ts re-exports them), kept apart so the contract stays readable.
 */
import type { BaselineComparison } from './baselineComparison';
import type { EvaluationMetrics } from './metrics';
import type { StudyKind, StudySummary } from './studies';
import type { TokenLengthStats } from './tokenizer';
import type { BatchProgress, EpochMetrics } from './trainer';

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunSummary {
  id: number;
  /** 'lstm' | 'gru', or 'nbsvm' for the n-gram baseline. */
  kind: string;
  status: RunStatus;
  preset: string | null;
  hyperparameters: Record<string, unknown>;
  backend: string | null;
  snapshotHash: string;
  snapshotSize: number;
  parentRunId: number | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  test: EvaluationMetrics | null;
  bestEpoch: number | null;
  seconds: number | null;
  /** How the test score compares with the baseline on the same snapshot (null for a baseline, or without one). */
  baseline: BaselineComparison | null;
}

/** Token counts per labelled review (before truncation), from the studio's tokenizer. */
export interface DataProfile {
  labelled: number;
  /** Reviews measured: all of them, or a seeded sample of a large project. */
  sampled: number;
  stats: TokenLengthStats;
  /** `counts[i]` reviews have i·binWidth to (i+1)·binWidth − 1 tokens; the last bin also holds longer ones. */
  histogram: { binWidth: number; counts: number[] };
  /** The 0th to 100th percentile of the token count, for the share a given maxLen cuts. */
  quantiles: number[];
}

export interface TrainStatus {
  /** null when nothing is training. */
  run: RunSummary | null;
  /** The automatic baseline trained before it, when there is one. */
  baselineRun: RunSummary | null;
  epochs: EpochMetrics[];
  /** The latest progress, and a decimated history of batch losses for the chart. */
  progress: (BatchProgress & { runId: number }) | null;
  lossHistory: { runId: number; step: number; loss: number }[];
  evaluating: { runId: number; done: number; total: number } | null;
  /** The study the run belongs to, while one is in progress. */
  study: StudySummary | null;
}

/** A run as the Runs screen lists it. */
export interface RunHistoryEntry extends RunSummary {
  /** The run the analyst marked as the project's model. */
  current: boolean;
  hasModel: boolean;
  /** The highest validation accuracy over its epochs (null: no validation, or a baseline). */
  bestValAccuracy: number | null;
  /** The project's labelled snapshot (items, labels, splits) differs from the one this run trained on. */
  labelsChanged: boolean;
  /** The study this run is a trial of. */
  study: { id: number; kind: StudyKind; trial: number } | null;
}

/** An exported model bundle as the Predict and Train screens describe it. */
export interface BundleInfo {
  path: string;
  labels: string[];
  /** 'lstm' | 'gru', or 'nbsvm' for a baseline's bundle. */
  kind: string;
  hyperparameters: Record<string, unknown>;
  /** The run it was exported from, in the project named. */
  runId: number;
  projectName: string;
  createdAt: string;
  testAccuracy: number | null;
}
