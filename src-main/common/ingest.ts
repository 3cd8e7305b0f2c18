/**
 * Shared vocabulary of importing: formats, encodings, the preview the wizard shows and the
 * options an import runs with. Runtime schemas live beside the types because these values cross
 * the IPC boundary.
 */
import { z } from 'zod';
import { filePathSchema } from './filePath';

export const fileFormats = ['csv', 'tsv', 'jsonl', 'json', 'text', 'xlsx'] as const;
export type FileFormat = (typeof fileFormats)[number];

/** Encodings we detect and decode; names are the WHATWG/iconv-lite labels. */
export const textEncodings = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'gb18030',
  'big5',
  'shift_jis',
  'windows-1252',
] as const;
export type TextEncoding = (typeof textEncodings)[number];

export const delimiters = [',', '\t', ';', '|'] as const;
export type Delimiter = (typeof delimiters)[number];

/** One row of an input file, before mapping. `line` is 1-based: where the record starts. */
export interface SourceRecord {
  line: number;
  fields: Record<string, string>;
}

export interface ReadOptions {
  /** Override detection. */
  format?: FileFormat;
  encoding?: TextEncoding;
  /** CSV/TSV only; detected when absent. */
  delimiter?: Delimiter;
  /** CSV/TSV/XLSX: whether the first row names the columns (default true). */
  hasHeader?: boolean;
}

export interface DetectedSource {
  format: FileFormat;
  /** `null` for xlsx, which carries its own encoding. */
  encoding: TextEncoding | null;
  /** How sure the detector was, 0..1; 1 when a BOM, magic bytes or strict UTF-8 decided it. */
  encodingConfidence: number;
  delimiter: Delimiter | null;
  gzip: boolean;
  totalBytes: number;
}

/**
 * How label values found in the file become project labels. `values` is an explicit map from the
 * raw value (trimmed) to a label, or `null` to import the row unlabelled. `stars` maps numeric
 * ratings: <= negativeMax is negative, >= positiveMin is positive, anything between is neutral
 * when the label set has it and unlabelled otherwise.
 */
export const labelMappingSchema = z.object({
  values: z.record(z.string(), z.string().nullable()),
  stars: z
    .object({ negativeMax: z.number(), positiveMin: z.number() })
    .refine((s) => s.negativeMax < s.positiveMin, 'negativeMax must be below positiveMin')
    .optional(),
});
export type LabelMapping = z.infer<typeof labelMappingSchema>;

export const readOptionsSchema = z.object({
  format: z.enum(fileFormats).optional(),
  encoding: z.enum(textEncodings).optional(),
  delimiter: z.enum(delimiters).optional(),
  hasHeader: z.boolean().optional(),
});

export const columnMappingSchema = z.object({
  textColumn: z.string().min(1),
  labelColumn: z.string().min(1).optional(),
  idColumn: z.string().min(1).optional(),
  /** A column whose values are train/validation/test (dev and val accepted) to keep a given split. */
  splitColumn: z.string().min(1).optional(),
  metadataColumns: z.array(z.string()).default([]),
});
export type ColumnMapping = z.input<typeof columnMappingSchema>;

export const unknownLabelPolicies = ['error', 'unlabelled', 'skip'] as const;
export type UnknownLabelPolicy = (typeof unknownLabelPolicies)[number];

export const importOptionsSchema = z.object({
  path: filePathSchema,
  read: readOptionsSchema.default({}),
  columns: columnMappingSchema,
  labelMapping: labelMappingSchema.optional(),
  /** What to do with a label value the mapping does not cover: stop (default), import the text unlabelled, or skip the row. */
  unknownLabels: z.enum(unknownLabelPolicies).default('error'),
  annotator: z.string().min(1).default('import'),
  /** Put every row of this file in one split (e.g. "this file is my test set"); items that already have a split keep it. */
  split: z.enum(['train', 'validation', 'test']).optional(),
});
export type ImportOptions = z.input<typeof importOptionsSchema>;

export interface ImportPreview {
  source: DetectedSource;
  columns: string[];
  rows: SourceRecord[];
  /** Counts of each distinct value in each column over the sampled rows (first `sampledRows`). */
  valueCounts: Record<string, Record<string, number>>;
  sampledRows: number;
  /** Best guesses the wizard pre-fills; never applied without the analyst seeing them. */
  suggested: { textColumn: string | null; labelColumn: string | null; idColumn: string | null };
}

export interface ImportProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
  /** Estimated milliseconds left, from bytes read so far; null until there is a rate. */
  etaMs: number | null;
}

export interface ImportSummary {
  file: string;
  format: FileFormat;
  encoding: TextEncoding | null;
  /** Rows read from the file (records, not counting a header). */
  read: number;
  /** New items stored. */
  imported: number;
  /** Rows whose text was already in the project or earlier in the same file. */
  duplicates: number;
  /** Rows skipped: empty text, or an unknown label under the `skip` policy. */
  skipped: number;
  skippedEmpty: number;
  skippedUnknownLabel: number;
  /** Label events written, per project label. */
  labels: Record<string, number>;
  /** Raw label value -> project label (or null = unlabelled) as applied, with counts. */
  labelValuesMapped: Record<string, { label: string | null; count: number }>;
  /** Items that already had a different label: the existing label is kept and reported here. */
  labelConflicts: number;
  /** New items whose id (id column) an earlier item already has with a different text; both are kept. */
  duplicateIds: number;
  elapsedMs: number;
}
