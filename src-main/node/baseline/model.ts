/**
 * A trained baseline: scoring texts, and its JSON file (`baseline.json`).
 *
 * Scores are linear in binary features, so the naive-Bayes ratio is folded into the weights when
 * training ends: score_c(text) = bias_c + Σ weights_c[j] over the distinct n-grams j of the text.
 * That is all a reader of the file needs (see readme.ts for the 10-line scorer).
 */
import { BASELINE_FORMAT, BASELINE_VERSION, baselineJsonHeaderSchema } from '../../common/baseline';
import type { BaselineFeatureSettings, BaselineJson, BaselineTokenizerSettings } from '../../common/baseline';
import { StudioError } from '../../common/errors';
import { NgramTable, collectGrams } from './ngrams';
import { addProducts, binaryCsr } from './sparse';
import type { Csr } from './sparse';
import { splitGram, unitSplitter } from './units';

export interface BaselineModel {
  labels: string[];
  features: BaselineFeatureSettings;
  tokenizer: BaselineTokenizerSettings;
  /** N-gram of each feature column; see BaselineJson. */
  vocabulary: string[];
  /** One row for two labels (the score of labels[1]), one per label for more; NB ratio folded in. */
  weights: Float32Array[];
  bias: Float64Array;
  training: { C: number; alpha: number; trainingTexts: number };
}

/** Rows of scores (one per weight row) -> row-major n×k probabilities. */
export function probabilitiesFromScores(scores: Float64Array[], k: number): Float32Array {
  const n = scores[0].length;
  const out = new Float32Array(n * k);
  if (scores.length === 1) {
    // Two labels: a sigmoid. Each side computed from its own exp keeps tiny probabilities exact.
    for (let i = 0; i < n; i++) {
      out[2 * i] = 1 / (1 + Math.exp(scores[0][i]));
      out[2 * i + 1] = 1 / (1 + Math.exp(-scores[0][i]));
    }
    return out;
  }
  // One-vs-rest: each label's sigmoid, normalised to sum to 1 (scikit-learn's OvR predict_proba).
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += 1 / (1 + Math.exp(-scores[c][i]));
    for (let c = 0; c < k; c++) out[i * k + c] = 1 / (1 + Math.exp(-scores[c][i])) / total;
  }
  return out;
}

/** Linear scores of each row of a binary feature matrix, one array per weight row. */
export function scoreRows(matrix: Csr, weights: readonly ArrayLike<number>[], bias: ArrayLike<number>): Float64Array[] {
  return weights.map((row, c) => {
    const scores = new Float64Array(matrix.rows).fill(bias[c]);
    addProducts(matrix, row, scores);
    return scores;
  });
}

interface FeatureLookup {
  table: NgramTable;
  columnOf: Int32Array;
}

// Built on first use from the vocabulary; a model is not changed after training or loading.
const lookups = new WeakMap<BaselineModel, FeatureLookup>();

function featureLookup(model: BaselineModel): FeatureLookup {
  let lookup = lookups.get(model);
  if (lookup !== undefined) return lookup;
  const table = new NgramTable();
  const ids = new Int32Array(3);
  const gramOfColumn = new Int32Array(model.vocabulary.length);
  for (let j = 0; j < model.vocabulary.length; j++) {
    const units = splitGram(model.vocabulary[j], model.features.units);
    for (let u = 0; u < units.length; u++) ids[u] = table.unitId(units[u], true);
    gramOfColumn[j] = table.gramId(ids, 0, units.length, true);
  }
  const columnOf = new Int32Array(table.size).fill(-1);
  for (let j = 0; j < gramOfColumn.length; j++) columnOf[gramOfColumn[j]] = j;
  lookup = { table, columnOf };
  lookups.set(model, lookup);
  return lookup;
}

/** The binary feature matrix of texts under the model's vocabulary. */
export function featureMatrix(model: BaselineModel, texts: readonly string[]): Csr {
  const { table, columnOf } = featureLookup(model);
  const split = unitSplitter(model.features.units, model.tokenizer);
  const lists = collectGrams(table, texts, split, model.features.ngramRange, false);
  return binaryCsr(lists, null, columnOf, model.vocabulary.length);
}

/** Row-major n×k probabilities (k = model.labels.length), rows summing to 1. */
export function predictBaseline(model: BaselineModel, texts: readonly string[]): Float32Array {
  if (texts.length === 0) return new Float32Array(0);
  const scores = scoreRows(featureMatrix(model, texts), model.weights, model.bias);
  return probabilitiesFromScores(scores, model.labels.length);
}

/** Float32 weights written with 9 significant digits: enough to read back the same float32. */
function float32Numbers(values: Float32Array): number[] {
  return Array.from(values, (v) => Number(v.toPrecision(9)));
}

export function serializeBaseline(model: BaselineModel): BaselineJson {
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    labels: [...model.labels],
    features: { ...model.features, ngramRange: [...model.features.ngramRange] },
    tokenizer: {
      normalization: { ...model.tokenizer.normalization },
      segmenter: { ...model.tokenizer.segmenter, locales: { ...model.tokenizer.segmenter.locales } },
    },
    vocabulary: [...model.vocabulary],
    weights: model.weights.map(float32Numbers),
    bias: Array.from(model.bias),
    training: { ...model.training },
  };
}

function badFile(problem: string): StudioError {
  return new StudioError('bad-file', `the baseline model file is not valid: ${problem}`);
}

function finiteNumbers(values: unknown[], where: string, expectedLength: number): number[] {
  if (values.length !== expectedLength) throw badFile(`${where} has ${values.length} numbers, expected ${expectedLength}`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw badFile(`${where}[${i}] is ${JSON.stringify(v) ?? String(v)}, not a finite number`);
  }
  return values as number[];
}

/** Reads `baseline.json` (text or parsed); every problem names the field, e.g. `weights[0][17]`. */
export function deserializeBaseline(json: unknown): BaselineModel {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw badFile(`it is not JSON (${(error as Error).message})`);
    }
  }
  const parsed = baselineJsonHeaderSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '');
    throw badFile(where ? `${where}: ${issue.message}` : issue.message);
  }
  const header = parsed.data;
  const vocabulary = header.vocabulary;
  const [lo, hi] = header.features.ngramRange;
  const seen = new Set<string>();
  for (let j = 0; j < vocabulary.length; j++) {
    const gram = vocabulary[j];
    if (typeof gram !== 'string' || gram === '') throw badFile(`vocabulary[${j}] is ${JSON.stringify(gram)}, not a non-empty string`);
    if (seen.has(gram)) throw badFile(`vocabulary[${j}] '${gram}' appears twice`);
    seen.add(gram);
    const units = splitGram(gram, header.features.units);
    if (units.length < lo || units.length > hi || units.includes('')) {
      throw badFile(`vocabulary[${j}] '${gram}' is not a ${header.features.units} n-gram of length ${lo} to ${hi}`);
    }
  }
  const rows = header.labels.length === 2 ? 1 : header.labels.length;
  if (header.weights.length !== rows) {
    throw badFile(`weights has ${header.weights.length} rows, expected ${rows} for ${header.labels.length} labels`);
  }
  const weights = header.weights.map((row, c) => Float32Array.from(finiteNumbers(row, `weights[${c}]`, vocabulary.length)));
  const bias = Float64Array.from(finiteNumbers(header.bias, 'bias', rows));
  return {
    labels: header.labels,
    features: header.features,
    tokenizer: header.tokenizer,
    vocabulary: vocabulary as string[],
    weights,
    bias,
    training: header.training,
  };
}

/** The words (or characters) of a text as the model sees them, before n-grams. */
export function baselineUnits(model: BaselineModel, text: string): string[] {
  return unitSplitter(model.features.units, model.tokenizer)(text);
}
