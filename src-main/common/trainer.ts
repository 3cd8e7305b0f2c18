/**
 * Messages between the main process and the training process (see ARCHITECTURE.md), and the
 * per-batch and per-epoch figures they carry. Typed arrays travel as structured clones
 * (Electron's utilityProcess, or child_process.fork with serialization 'advanced').
 */
import { z } from 'zod';
import type { BaselineFeatureSettings, BaselineSearchPoint } from './baseline';
import type { EvaluationMetrics } from './metrics';
import type { Explanation } from './evaluation';
import { readOptionsSchema } from './ingest';
import { predictionFormats, type PredictionProgress, type PredictionSummary } from './prediction';

/** What a run trains: an LSTM/GRU (the hyperparameter schema) or the NBSVM baseline (its settings). */
/** 'crossval': the label check's k out-of-fold models (no model is kept). */
export const trainerJobKinds = ['recurrent', 'baseline', 'crossval'] as const;
export type TrainerJobKind = (typeof trainerJobKinds)[number];

export const trainerRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    projectPath: z.string().min(1),
    runId: z.number().int().positive(),
    kind: z.enum(trainerJobKinds).default('recurrent'),
    /**
     * Validated by the parent before the run was created, against the hyperparameter schema or,
     * for a baseline, the baseline settings.
     */
    hyperparameters: z.record(z.string(), z.unknown()),
    /** Fine-tuning: continue from this run's model (same project)… */
    fromRunId: z.number().int().positive().optional(),
    /** …or from an exported model bundle folder. */
    fromBundle: z.string().min(1).optional(),
    /** 'crossval' only: how many folds. */
    folds: z.number().int().min(2).max(10).optional(),
    /** 'crossval' only: each fold's model, an LSTM/GRU of the hyperparameters or the n-gram baseline. */
    foldModel: z.enum(['recurrent', 'baseline']).optional(),
  }),
  z.object({ type: z.literal('cancel') }),
  /** Scores the project's unlabelled items with a run's model, for their pre-labels (read-only project). */
  z.object({ type: z.literal('score'), requestId: z.number().int(), projectPath: z.string().min(1), runId: z.number().int().positive() }),
  /** Scores a file with a run's model (read-only project) or an exported bundle, writing the results file. */
  z.object({
    type: z.literal('predict'),
    requestId: z.number().int(),
    model: z.union([z.object({ projectPath: z.string().min(1), runId: z.number().int().positive() }), z.object({ bundle: z.string().min(1) })]),
    options: z.object({
      input: z.string().min(1),
      read: readOptionsSchema.optional(),
      textColumn: z.string().optional(),
      output: z.string().min(1),
      format: z.enum(predictionFormats),
      overwrite: z.boolean(),
      previewRows: z.number().int().min(0),
    }),
  }),
  /** Token saliency for one text with a run's model (an explainer process, kept warm between requests). */
  z.object({
    type: z.literal('explain'),
    requestId: z.number().int(),
    projectPath: z.string().min(1),
    runId: z.number().int().positive(),
    text: z.string().max(1_000_000),
    /** Label index to explain; default the predicted one. */
    target: z.number().int().min(0).optional(),
  }),
]);
export type TrainerRequest = z.infer<typeof trainerRequestSchema>;

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  /** Running mean over the epoch so far. */
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
  etaSeconds: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
  samplesPerSecond: number;
  /** The epoch was cut short by a cancel. */
  partial: boolean;
}

export interface TrainedModel {
  /** 'tfjs-layers', or BASELINE_MODEL_FORMAT for the NBSVM baseline. */
  format: string;
  /** model.json as written by tfjs (topology + weightsManifest pointing at weights.bin); baseline.json for a baseline. */
  modelJson: string;
  /** Empty for a baseline: its weights live in baseline.json. */
  weights: ArrayBuffer;
  /** tokenizer.json; for a baseline its tokenizer settings (also inside baseline.json). */
  tokenizerJson: string;
}

/** How a baseline run chose its model: the regularisation search on the validation split. */
export interface BaselineRunDetails {
  chosenC: number;
  search: BaselineSearchPoint[];
  features: BaselineFeatureSettings;
  vocabularySize: number;
}

export interface TrainOutcome {
  status: 'done' | 'cancelled';
  backend: string;
  epochs: EpochMetrics[];
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
  samplesPerSecond: number;
  /** Items per split the run used (validation may be held out of train). */
  sizes: { train: number; validation: number; test: number };
  test: EvaluationMetrics | null;
  /** Every test item's class probabilities, row-major (items × labels). */
  predictions: { itemIds: Int32Array; probabilities: Float32Array };
  /** null: a label check, which keeps no model. */
  model: TrainedModel | null;
  /** Baseline runs only. */
  baseline?: BaselineRunDetails;
}

export type TrainerEvent =
  | { type: 'ready'; runId: number; backend: string }
  | ({ type: 'progress'; runId: number } & BatchProgress)
  | ({ type: 'epoch'; runId: number } & EpochMetrics)
  /** Scoring the test split after training: rows done of total. */
  | { type: 'evaluating'; runId: number; done: number; total: number }
  | { type: 'done'; runId: number; outcome: TrainOutcome }
  | { type: 'explanation'; requestId: number; explanation: Omit<Explanation, 'runId'> }
  | ({ type: 'predict-progress'; requestId: number } & PredictionProgress)
  | { type: 'predicted'; requestId: number; summary: PredictionSummary }
  | { type: 'scored'; requestId: number; itemIds: Int32Array; probabilities: Float32Array; labels: string[] }
  | { type: 'error'; runId?: number; requestId?: number; message: string };
