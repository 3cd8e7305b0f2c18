/**
 * Training the NBSVM baseline (Wang & Manning 2012): binarised n-grams of the training texts,
 * scaled by the naive-Bayes log-count ratio, then L2 logistic regression; C is the one of a small
 * grid that scores best on the validation split. Two labels are one problem; three or more are one
 * problem per label (one-vs-rest), each with its own ratio.
 *
 *   const { model, chosenC } = trainBaseline(train, validation, ['negative', 'positive']);
 *   const probabilities = predictBaseline(model, texts);
 */
import { performance } from 'node:perf_hooks';
import type { BaselineFeatureSettings, BaselineSearchPoint, BaselineTokenizerSettings, BaselineUnits } from '../../common/baseline';
import { StudioError } from '../../common/errors';
import { formatCount } from '../../common/format';
import { balancedClassWeights, evaluate } from '../../common/metrics';
import type { EvaluationMetrics } from '../../common/metrics';
import { normalizationDefaults, segmenterDefaults } from '../../common/tokenizer';
import type { NormalizationOptions } from '../../common/tokenizer';
import { permutation, seededRandom } from '../train/random';
import { fitLogisticDual } from './logisticDual';
import type { BaselineModel } from './model';
import { probabilitiesFromScores, scoreRows } from './model';
import { logCountRatio } from './naiveBayes';
import { NgramTable, checkNgramRange, collectGrams } from './ngrams';
import type { GramLists } from './ngrams';
import { binaryCsr, documentFrequencies, scaleColumns, selectFeatures } from './sparse';
import type { Csr, FeatureMap } from './sparse';
import { detectUnits, unitSeparator, unitSplitter } from './units';

export interface BaselineData {
  texts: readonly string[];
  /** Index into the label names, one per text. */
  labels: Int32Array;
}

export interface BaselineOptions {
  /** 'auto' (default): characters when most letters are Han or kana, words otherwise. */
  units?: 'auto' | BaselineUnits;
  /** Default [1, 2] for words, [1, 3] for characters. */
  ngramRange?: [number, number];
  /** N-grams in fewer training texts are left out. Default 2. */
  minCount?: number;
  /** The C values tried on the validation split. */
  cGrid?: number[];
  /** A fixed C: no search, no validation split needed. */
  C?: number;
  /** Share of the training texts held out to choose C when no validation split is given. Default 0.1. */
  validationSplit?: number;
  /** For the held-out split and the solver's row order. Default 42. */
  seed?: number;
  /** Naive-Bayes smoothing. Default 1. */
  alpha?: number;
  /** 'balanced' weighs each label's texts by n / (k · count), as scikit-learn does. Default none. */
  classWeight?: 'balanced' | null;
  /** Solver stopping rule (largest dual sub-problem gradient) and pass limit. */
  tolerance?: number;
  maxEpochs?: number;
  normalization?: Partial<NormalizationOptions>;
  /**
   * Called after each C of the search, and before the final fit when one is needed. Training is
   * synchronous: a callback that throws (on cancel) stops it there.
   */
  onProgress?: (progress: BaselineProgress) => void;
}

export type BaselineProgress =
  | { stage: 'search'; C: number; step: number; steps: number; validation: EvaluationMetrics }
  | { stage: 'final'; C: number };

export interface BaselineTrainResult {
  model: BaselineModel;
  chosenC: number;
  /** Wall time of the whole call: features, search and final fit. */
  seconds: number;
  /** One point per C tried (empty when C was fixed). */
  search: BaselineSearchPoint[];
  /** The chosen C's figures on the validation split (null without a search). */
  validation: EvaluationMetrics | null;
}

/**
 * Validation macro-F1 rose up to C = 1 and then levelled off or fell on IMDB, airline tweets and
 * ChnSentiCorp (figures in bench/baselineBench.ts); larger C also takes many more solver passes.
 */
export const defaultCGrid: readonly number[] = [0.03, 0.1, 0.3, 1];
const MIN_TEXTS_FOR_SEARCH = 20;

function invalid(message: string): StudioError {
  return new StudioError('invalid-input', message);
}

function checkData(data: BaselineData, k: number, name: string): void {
  if (data.texts.length !== data.labels.length) {
    throw invalid(`the ${name} split has ${formatCount(data.texts.length)} texts but ${formatCount(data.labels.length)} labels`);
  }
  for (let i = 0; i < data.labels.length; i++) {
    const label = data.labels[i];
    if (!(label >= 0 && label < k)) throw invalid(`${name} row ${formatCount(i + 1)}: label index ${label} is not one of 0–${k - 1}`);
  }
}

function checkPositive(name: string, value: number): void {
  if (!(value > 0 && Number.isFinite(value))) throw invalid(`${name} must be a positive number, got ${value}`);
}

/** One binary problem per weight row: its ratio, its scaled matrix and its ±1 targets. */
interface Problem {
  features: FeatureMap;
  /** Binary matrix of the fitting rows. */
  matrix: Csr;
  ratios: Float64Array[];
  scaled: Csr[];
  targets: Int8Array[];
  rowCost: Float64Array | null;
}

interface ProblemOptions {
  minCount: number;
  alpha: number;
  classWeight: 'balanced' | null;
}

function buildProblem(
  lists: GramLists,
  rows: Int32Array | null,
  labels: Int32Array,
  gramCount: number,
  k: number,
  options: ProblemOptions,
): Problem {
  const features = selectFeatures(documentFrequencies(lists, rows, gramCount), options.minCount);
  const matrix = binaryCsr(lists, rows, features.columnOf, features.gramOf.length);
  const y = rows === null ? labels : Int32Array.from(rows, (row) => labels[row]);
  const positives = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  const ratios: Float64Array[] = [];
  const scaled: Csr[] = [];
  const targets: Int8Array[] = [];
  for (const c of positives) {
    const positive = Uint8Array.from(y, (label) => (label === c ? 1 : 0));
    const r = logCountRatio(matrix, positive, options.alpha);
    ratios.push(r);
    scaled.push(scaleColumns(matrix, r));
    targets.push(Int8Array.from(positive, (p) => (p ? 1 : -1)));
  }
  let rowCost: Float64Array | null = null;
  if (options.classWeight === 'balanced') {
    const counts = new Array<number>(k).fill(0);
    for (const label of y) counts[label]++;
    const weights = balancedClassWeights(counts);
    rowCost = Float64Array.from(y, (label) => weights[label]);
  }
  return { features, matrix, ratios, scaled, targets, rowCost };
}

interface Fitted {
  /** NB ratio folded in: the weights of the binary features. */
  weights: Float32Array[];
  bias: Float64Array;
  /** Dual variables per weight row, to warm-start the next C of the search. */
  alpha: Float64Array[];
}

function fitProblem(problem: Problem, C: number, seed: number, solver: SolverOptions, warm: Fitted | null): Fitted {
  const weights: Float32Array[] = [];
  const alpha: Float64Array[] = [];
  const bias = new Float64Array(problem.scaled.length);
  for (let c = 0; c < problem.scaled.length; c++) {
    const random = seededRandom(seed + c);
    const fit = fitLogisticDual(problem.scaled[c], problem.targets[c], C, {
      random,
      ...solver,
      rowCost: problem.rowCost,
      initialAlpha: warm?.alpha[c] ?? null,
    });
    alpha.push(fit.alpha);
    const r = problem.ratios[c];
    weights.push(Float32Array.from(fit.weights, (w, j) => w * r[j]));
    bias[c] = fit.bias;
  }
  return { weights, bias, alpha };
}

interface SolverOptions {
  tolerance?: number;
  maxEpochs?: number;
}

function validationMetrics(fitted: Fitted, matrix: Csr, truth: Int32Array, labelNames: string[]): EvaluationMetrics {
  const probabilities = probabilitiesFromScores(scoreRows(matrix, fitted.weights, fitted.bias), labelNames.length);
  return evaluate(truth, probabilities, labelNames);
}

/** Defaults filled in, every value checked. */
function resolveSettings(train: BaselineData, options: BaselineOptions) {
  const alpha = options.alpha ?? 1;
  checkPositive('the smoothing alpha', alpha);
  const cGrid = [...(options.cGrid ?? defaultCGrid)].sort((a, b) => a - b);
  for (const C of cGrid) checkPositive('every C of the grid', C);
  if (options.C !== undefined) checkPositive('C', options.C);
  const minCount = options.minCount ?? 2;
  if (!Number.isInteger(minCount) || minCount < 1) throw invalid(`the minimum count must be a whole number >= 1, got ${minCount}`);
  const units = !options.units || options.units === 'auto' ? detectUnits(train.texts) : options.units;
  const ngramRange = options.ngramRange ?? (units === 'words' ? [1, 2] : [1, 3]);
  try {
    checkNgramRange(ngramRange);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const features: BaselineFeatureSettings = { units, ngramRange, minCount };
  const tokenizer: BaselineTokenizerSettings = {
    normalization: { ...normalizationDefaults, ...options.normalization },
    segmenter: { ...segmenterDefaults, locales: { ...segmenterDefaults.locales }, icuVersion: process.versions.icu ?? null },
  };
  const problem: ProblemOptions = { minCount, alpha, classWeight: options.classWeight ?? null };
  const solver: SolverOptions = { tolerance: options.tolerance, maxEpochs: options.maxEpochs };
  return { alpha, cGrid, features, tokenizer, problem, solver, seed: options.seed ?? 42 };
}

/** The rows the search models are fitted on (null: all) and the rows that judge them. */
interface SearchSplit {
  fitRows: Int32Array | null;
  judge: { lists: GramLists; rows: Int32Array | null; truth: Int32Array };
  /** True when the judging rows were taken from the training texts (they rejoin for the final fit). */
  heldOut: boolean;
}

function searchSplit(
  trainLists: GramLists,
  train: BaselineData,
  validation: { lists: GramLists; truth: Int32Array } | null,
  options: BaselineOptions,
  seed: number,
): SearchSplit | null {
  if (validation !== null) return { fitRows: null, judge: { lists: validation.lists, rows: null, truth: validation.truth }, heldOut: false };
  if (train.texts.length < MIN_TEXTS_FOR_SEARCH) return null;
  const share = options.validationSplit ?? 0.1;
  if (!(share > 0 && share < 1)) throw invalid(`the validation split must be between 0 and 1, got ${share}`);
  const order = permutation(train.texts.length, seededRandom(seed));
  const held = Math.max(1, Math.round(train.texts.length * share));
  const rows = order.slice(0, held).sort();
  return { fitRows: order.slice(held).sort(), judge: { lists: trainLists, rows, truth: Int32Array.from(rows, (row) => train.labels[row]) }, heldOut: true };
}

export function trainBaseline(
  train: BaselineData,
  validation: BaselineData | null,
  labelNames: string[],
  options: BaselineOptions = {},
): BaselineTrainResult {
  const started = performance.now();
  const k = labelNames.length;
  if (k < 2) throw invalid(`a classifier needs at least two labels, got ${k}`);
  if (train.texts.length === 0) throw invalid('there are no training texts');
  checkData(train, k, 'training');
  if (validation !== null) checkData(validation, k, 'validation');
  const settings = resolveSettings(train, options);
  const { features, seed } = settings;

  const split = unitSplitter(features.units, settings.tokenizer);
  const table = new NgramTable();
  const trainLists = collectGrams(table, train.texts, split, features.ngramRange, true);
  const searching = options.C === undefined && settings.cGrid.length > 0;
  const given = validation !== null && validation.texts.length > 0 && searching;
  const judged = given ? { lists: collectGrams(table, validation.texts, split, features.ngramRange, false), truth: validation.labels } : null;
  const plan = searching ? searchSplit(trainLists, train, judged, options, seed) : null;

  const search: BaselineSearchPoint[] = [];
  let chosenC = options.C ?? settings.cGrid[Math.floor((settings.cGrid.length - 1) / 2)] ?? 0.1;
  let best: { C: number; fitted: Fitted; problem: Problem; metrics: EvaluationMetrics } | null = null;
  if (plan !== null) {
    const problem = buildProblem(trainLists, plan.fitRows, train.labels, table.size, k, settings.problem);
    const judgeMatrix = binaryCsr(plan.judge.lists, plan.judge.rows, problem.features.columnOf, problem.features.gramOf.length);
    // Each fit starts from the previous C's α (still feasible: α < smaller C). On IMDB the C = 1
    // fit took 7 passes warm against 10 cold.
    let previous: Fitted | null = null;
    for (const [step, C] of settings.cGrid.entries()) {
      const fitted = fitProblem(problem, C, seed, settings.solver, previous);
      previous = fitted;
      const metrics = validationMetrics(fitted, judgeMatrix, plan.judge.truth, labelNames);
      search.push({ C, validationMacroF1: metrics.macroF1, validationAccuracy: metrics.accuracy });
      options.onProgress?.({ stage: 'search', C, step: step + 1, steps: settings.cGrid.length, validation: metrics });
      // The grid is ascending: a larger C must win by more than half a validation text's worth,
      // so float noise between equal scores does not pick the less regularised model.
      if (best === null || metrics.macroF1 > best.metrics.macroF1 + 0.5 / metrics.n) best = { C, fitted, problem, metrics };
    }
    chosenC = best!.C;
  }

  let final: { fitted: Fitted; problem: Problem };
  if (best !== null && !plan!.heldOut) final = best;
  else {
    // Held-out texts rejoin the training set for the final model (its vocabulary and ratios too).
    options.onProgress?.({ stage: 'final', C: chosenC });
    const problem = buildProblem(trainLists, null, train.labels, table.size, k, settings.problem);
    final = { fitted: fitProblem(problem, chosenC, seed, settings.solver, null), problem };
  }

  const separator = unitSeparator(features.units);
  const model: BaselineModel = {
    labels: [...labelNames],
    features,
    tokenizer: settings.tokenizer,
    vocabulary: Array.from(final.problem.features.gramOf, (g) => table.gramText(g, separator)),
    weights: final.fitted.weights,
    bias: final.fitted.bias,
    training: { C: chosenC, alpha: settings.alpha, trainingTexts: final.problem.matrix.rows },
  };
  return { model, chosenC, seconds: (performance.now() - started) / 1000, search, validation: best?.metrics ?? null };
}
