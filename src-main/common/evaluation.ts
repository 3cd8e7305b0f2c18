/**
 * The evaluation panel's contract: a run's test predictions as the error list pages through
 * them, and the slices that show where a model is weak.
 */
import { z } from 'zod';
import type { EvaluationMetrics } from './metrics';

const runId = z.number().int().positive();

export const predictionSorts = ['confidence-desc', 'confidence-asc', 'length-desc', 'length-asc'] as const;
export type PredictionSort = (typeof predictionSorts)[number];
export const predictionOutcomes = ['wrong', 'right', 'all'] as const;

export const predictionQuerySchema = z.object({
  runId,
  /** Gold label (the confusion matrix's row) and predicted label (its column). */
  truth: z.string().optional(),
  predicted: z.string().optional(),
  outcome: z.enum(predictionOutcomes).default('wrong'),
  search: z.string().max(1000).default(''),
  /** Review length in tokens, both ends included. */
  minTokens: z.number().int().min(0).optional(),
  maxTokens: z.number().int().min(0).optional(),
  /** Most confident mistakes first by default: the ones that most need a look. */
  sort: z.enum(predictionSorts).default('confidence-desc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});
export type PredictionQuery = z.input<typeof predictionQuerySchema>;

export interface PredictionRow {
  itemId: number;
  text: string;
  /** The label the run was trained and scored against (its snapshot). */
  gold: string;
  predicted: string;
  /** In label order. */
  probabilities: number[];
  /** The predicted label's probability. */
  confidence: number;
  tokens: number;
  /** The item's label now: differs from `gold` after a relabel. */
  currentLabel: string | null;
  /** Reviewed from the error list: relabelled, or confirmed ("the model is wrong, the label is right"). */
  review: 'relabelled' | 'confirmed' | null;
}

export interface PredictionPage {
  total: number;
  rows: PredictionRow[];
}

/** What the panel draws: metrics, and the scores the curves and the threshold slider need. */
export interface RunEvaluation {
  runId: number;
  labels: string[];
  metrics: EvaluationMetrics;
  /** Test items in a fixed order: the gold label's index, and the probabilities row-major (items × labels). */
  gold: number[];
  probabilities: number[];
  /** Test items whose current label differs from the one the run was scored against. */
  labelsChangedSince: number;
  /** Test items confirmed from the error list (the model was wrong, the label is right). */
  confirmed: number;
}

export interface SliceRow {
  /** 'length', 'negation', or `metadata:<column>`. */
  dimension: string;
  value: string;
  n: number;
  correct: number;
  accuracy: number;
  /** Tokens range of a length bucket, for filtering the error list to it. */
  tokens?: { min: number; max: number };
}

/**
 * Words that flip or soften sentiment. Negation is the classic weakness of bag-of-words models
 * and a known one of small RNNs, so the slice shows whether this model handles it.
 */
export const negationWords: readonly string[] = [
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'without', 'hardly', 'barely', 'cannot',
  "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't", "couldn't",
  "shouldn't", "haven't", "hasn't", "hadn't", 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'cant', 'wont',
];
/** Chinese negators are characters inside words, so they are matched as substrings. */
export const negationCharacters: readonly string[] = ['不', '没', '無', '无', '别', '非', '未', '莫'];

export interface TokenAttribution {
  token: string;
  /** Toward the explained label (positive) or away from it; null when maxLen cut the token off. */
  score: number | null;
  /** Where the token sits in the original text (UTF-16 offsets); null when it cannot be found there. */
  start: number | null;
  end: number | null;
}

export interface Explanation {
  runId: number;
  method: 'integrated-gradients';
  /** The label explained: the predicted one unless another was asked for. */
  label: string;
  labels: string[];
  probabilities: number[];
  tokens: TokenAttribution[];
  /** What the scores add up to (about): the label's probability minus that of an all-zero input. */
  delta: number;
  steps: number;
  /** Time in the explainer process, model load excluded when it was already loaded. */
  milliseconds: number;
  backend: string;
}

/**
 * Finds each token in the original text, left to right, ignoring case. Tokens are normalised
 * (lowercased, entities decoded, punctuation runs shortened), so a token that no longer appears
 * as written gets no span and the text around it is still highlighted correctly.
 */
export function alignTokens(text: string, tokens: readonly string[]): { start: number | null; end: number | null }[] {
  const lower = text.toLowerCase();
  // Lowercasing can change lengths (İ): offsets are only trusted when it does not.
  const sameLength = lower.length === text.length;
  let cursor = 0;
  return tokens.map((token) => {
    const at = sameLength ? lower.indexOf(token.toLowerCase(), cursor) : -1;
    if (at < 0) return { start: null, end: null };
    cursor = at + token.length;
    return { start: at, end: cursor };
  });
}

export const evaluationRequestSchemas = {
  'runs:evaluation': z.object({ runId }),
  /** Token saliency for a test item of the run, or for any text. */
  'runs:explain': z.object({ runId, itemId: z.number().int().positive().optional(), text: z.string().max(1_000_000).optional(), target: z.string().optional() }),
  'runs:predictions': predictionQuerySchema,
  'runs:slices': z.object({ runId }),
} as const;
