/**
 * The run report an analyst hands on: everything it shows, gathered by the main process
 * (node/export/report/gather.ts) and rendered to one self-contained HTML file
 * (node/export/report/html.ts) that a browser opens offline and prints to PDF.
 */
import { z } from 'zod';
import { filePathSchema } from './filePath';
import type { BaselineComparison } from './baselineComparison';
import type { SliceRow, TokenAttribution } from './evaluation';
import type { EvaluationMetrics } from './metrics';
import type { EpochMetrics } from './trainer';

export const reportFormats = ['html', 'pdf'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const reportRequestSchema = z.object({
  runId: z.number().int().positive(),
  path: filePathSchema,
  /** Default: from the extension (.pdf), else HTML. */
  format: z.enum(reportFormats).optional(),
  overwrite: z.boolean().default(false),
  /** The window's language for the report's words (en or zh-CN). */
  locale: z.enum(['en', 'zh-CN']).default('en'),
});

export interface ReportLabel {
  name: string;
  color: string;
  /** Labelled items now, in the project. */
  count: number;
}

export interface ReportMistake {
  itemId: number;
  text: string;
  gold: string;
  predicted: string;
  confidence: number;
  /** Token saliency toward the predicted label; null for a baseline run (or when it failed). */
  tokens: TokenAttribution[] | null;
}

export interface ReportData {
  generatedAt: string;
  appVersion: string;
  locale: 'en' | 'zh-CN';
  project: {
    name: string;
    items: number;
    labelled: number;
    labels: ReportLabel[];
    /** Label events by annotator and origin (manual, import, bulk, review, model-accepted, undo). */
    annotators: { annotator: string; events: number; byOrigin: Record<string, number> }[];
    labelEvents: number;
  };
  run: {
    id: number;
    kind: string;
    preset: string | null;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    seconds: number | null;
    backend: string | null;
    seed: number;
    snapshotHash: string;
    snapshotSize: number;
    /** Training / validation / test sizes the run used. */
    sizes: { train: number; validation: number; test: number } | null;
    hyperparameters: Record<string, unknown>;
    bestEpoch: number | null;
    stoppedEarly: boolean;
    parentRunId: number | null;
    /** Test items whose label changed since the run (its figures use the labels it saw). */
    labelsChangedSince: number;
  };
  epochs: EpochMetrics[];
  test: EvaluationMetrics;
  /** Two labels: the ROC curve of the second label's score (points from common/curves). */
  roc: { fpr: number[]; tpr: number[]; auc: number } | null;
  baseline: BaselineComparison | null;
  slices: SliceRow[];
  /** The most confident mistakes on the test split, with their saliency. */
  mistakes: ReportMistake[];
  /** The model card's free-text parts, worded by gather.ts from the figures above. */
  card: {
    intendedUse: string;
    data: string;
    limitations: string[];
  };
}
