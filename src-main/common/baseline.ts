/**
 * The n-gram NBSVM baseline's settings and its JSON file (`baseline.json`): the shapes the trainer,
 * the run history and the renderer share. Pure data; the model itself lives in src-main/node/baseline.
 *
 * The file is deliberately plain so a text can be scored in a few lines of JavaScript: the weights
 * are already multiplied by the naive-Bayes ratio and the features are binary, so a class's score is
 * its bias plus the sum of its weights over the distinct n-grams of the text.
 */
import { z } from 'zod';
import { normalizationSchema, segmenterSchema } from './tokenizer';
import type { NormalizationOptions, SegmenterConfig } from './tokenizer';

export const BASELINE_FORMAT = 'sentiment-studio-nbsvm';
export const BASELINE_VERSION = 1;

/**
 * What an n-gram is made of: the tokenizer's words (space-separated scripts) or the characters of
 * the normalised text (Chinese, Japanese: no spaces between words). 'auto' picks characters when
 * most letters of the training texts are Han or kana.
 */
export const baselineUnitKinds = ['words', 'characters'] as const;
export type BaselineUnits = (typeof baselineUnitKinds)[number];

export interface BaselineFeatureSettings {
  units: BaselineUnits;
  /** Inclusive n-gram lengths, as scikit-learn's `ngram_range`: [1, 2] is words and word pairs. */
  ngramRange: [number, number];
  /** N-grams found in fewer training texts than this are left out. */
  minCount: number;
}

export interface BaselineTokenizerSettings {
  normalization: NormalizationOptions;
  /** Word splitting rules (words only; characters need no segmenter). */
  segmenter: SegmenterConfig;
}

const ngramLengthSchema = z.number().int('an n-gram length is a whole number').min(1, 'n-grams are at least 1 long').max(3, 'n-grams are at most 3 long');

export const baselineFeatureSchema = z.object({
  units: z.enum(baselineUnitKinds, { error: "expected 'words' or 'characters'" }),
  ngramRange: z
    .tuple([ngramLengthSchema, ngramLengthSchema])
    .refine(([lo, hi]) => lo <= hi, 'the shortest n-gram length comes first: [1, 2], not [2, 1]'),
  minCount: z.number().int('the minimum count is a whole number').min(1, 'the minimum count is at least 1'),
});

/** One C of the regularisation search and how the model fitted with it scored on the validation split. */
export interface BaselineSearchPoint {
  C: number;
  validationMacroF1: number;
  validationAccuracy: number;
}

/**
 * The file's shape; the elements of `vocabulary`, `weights` and `bias` are checked by the reader
 * (a schema per element of a 500,000-entry array is slow and reports every bad element).
 */
export const baselineJsonHeaderSchema = z.object({
  format: z.literal(BASELINE_FORMAT, { error: `expected '${BASELINE_FORMAT}'` }),
  version: z.literal(BASELINE_VERSION, { error: `this app reads baseline model version ${BASELINE_VERSION}` }),
  labels: z
    .array(z.string().min(1, 'label names are never empty'))
    .min(2, 'a classifier needs at least two labels')
    .refine((labels) => new Set(labels).size === labels.length, 'label names must be distinct'),
  features: baselineFeatureSchema,
  tokenizer: z.object({ normalization: normalizationSchema, segmenter: segmenterSchema }),
  vocabulary: z.array(z.unknown()),
  /** One row for two labels (the score of labels[1]); one row per label for three or more. */
  weights: z.array(z.array(z.unknown())),
  bias: z.array(z.unknown()),
  /** How the model was trained: the chosen C, the NB smoothing, the number of training texts. */
  training: z.object({
    C: z.number().positive(),
    alpha: z.number().positive(),
    trainingTexts: z.number().int().nonnegative(),
  }),
});

/** `baseline.json`: what serializeBaseline writes and deserializeBaseline reads. */
export interface BaselineJson {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  labels: string[];
  features: BaselineFeatureSettings;
  tokenizer: BaselineTokenizerSettings;
  /** N-grams by feature index; a word n-gram joins its words with one space, a character n-gram its characters with nothing. */
  vocabulary: string[];
  weights: number[][];
  bias: number[];
  training: { C: number; alpha: number; trainingTexts: number };
}

/** The run kind (runs.kind) of a baseline run; recurrent runs use their cell name. */
export const BASELINE_RUN_KIND = 'nbsvm';
/** models.format of a baseline run's saved model: `modelJson` holds baseline.json. */
export const BASELINE_MODEL_FORMAT = 'nbsvm-json';

/**
 * What an analyst (or the automatic baseline beside an LSTM run) may set; everything else is
 * chosen on the data (n-gram range by units, C on the validation split).
 */
export const baselineSettingsSchema = z
  .object({
    units: z.enum(['auto', ...baselineUnitKinds], { error: "expected 'auto', 'words' or 'characters'" }).default('auto'),
    minCount: z.number().int('the minimum count is a whole number').min(1, 'the minimum count is at least 1').max(1000, 'the minimum count is at most 1,000').default(2),
    classWeights: z.enum(['none', 'auto'], { error: "expected 'none' or 'auto'" }).default('none'),
    seed: z.number().int('the seed is a whole number').min(0, 'the seed is at least 0').max(2 ** 31 - 1, 'the seed is at most 2,147,483,647').default(42),
  })
  .strict();
export type BaselineSettings = z.infer<typeof baselineSettingsSchema>;
