/**
 * Batch prediction: a file of reviews scored with a run's model or an exported bundle, the
 * results written as CSV, JSON Lines or XLSX. The work runs in a training-type process, so the
 * window stays responsive on a 100,000-row file.
 */
import { z } from 'zod';
import { filePathSchema } from './filePath';
import { readOptionsSchema } from './ingest';

export const predictionFormats = ['csv', 'jsonl', 'xlsx'] as const;
export type PredictionFormat = (typeof predictionFormats)[number];

const path = filePathSchema;

export const predictionModelSchema = z.union([
  z.strictObject({ runId: z.number().int().positive() }),
  z.strictObject({ bundle: path }),
]);
export type PredictionModel = z.infer<typeof predictionModelSchema>;

export const predictRequestSchema = z.object({
  model: predictionModelSchema,
  input: path,
  read: readOptionsSchema.optional(),
  /** Default: a column named `text`, else the first column. */
  textColumn: z.string().min(1).optional(),
  /** Ignored with `addToProject`. */
  output: path.optional(),
  /**
   * Instead of a file: add the texts to the open project as unlabelled items, each with the
   * model's suggestion as a pre-label (accepted with Enter in the Annotate view).
   */
  addToProject: z.boolean().default(false),
  /** Default: from the output's extension (.jsonl, .xlsx), else CSV. */
  format: z.enum(predictionFormats).optional(),
  overwrite: z.boolean().default(false),
  previewRows: z.number().int().min(0).max(200).default(20),
});

export function formatFromPath(output: string): PredictionFormat {
  const lower = output.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return 'csv';
}

export interface PredictionPreviewRow {
  /** The row's line (or spreadsheet row) in the input file. */
  line: number;
  text: string;
  label: string;
  /** In label order. */
  probabilities: number[];
}

export interface PredictionSummary {
  /** The results file; the project's file with `addToProject`. */
  path: string;
  /** With `addToProject`: what went into the project. */
  added?: { imported: number; duplicates: number; prelabelled: number; alreadyLabelled: number };
  format: PredictionFormat;
  /** The column whose texts were scored. */
  textColumn: string;
  rows: number;
  /** Rows with an empty text: skipped, not scored. */
  emptyRows: number;
  counts: Record<string, number>;
  labels: string[];
  preview: PredictionPreviewRow[];
  seconds: number;
  backend: string;
  /** XLSX: texts cut to Excel's 32,767-character cell limit. */
  truncatedCells: number;
}

export interface PredictionProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number | null;
}
