/**
 * How good a trained classifier is on held-out reviews: the figures runs are compared by
 * (accuracy, macro-F1, per-class precision/recall/F1, confusion matrix), how far its
 * probabilities can be trusted (log-loss, calibration), and the binary curves behind a threshold
 * slider. Definitions follow scikit-learn so every figure can be checked against a notebook.
 */
import { StudioError } from './errors';
import { formatCount } from './format';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One bin of the reliability diagram. Empty bins have count 0 and report 0 for both means. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface EvaluationMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  /** In label order. */
  perClass: ClassMetrics[];
  /** confusion[true][predicted]. */
  confusion: number[][];
  /** Natural log, probabilities clipped to [1e-7, 1 - 1e-7]. */
  logLoss: number;
  /** Binary only; null for more than two labels or when the set lacks one of the two classes. */
  rocAuc: number | null;
  /** Expected calibration error of the top-class confidence. */
  ece: number;
  reliability: ReliabilityBin[];
  labels: string[];
}

export interface EvaluateOptions {
  /** Which label counts as positive for ROC-AUC (binary only). Default 1, as in scikit-learn. */
  positiveIndex?: number;
  /** Equal-width calibration bins over [0, 1]. Default 10. */
  bins?: number;
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
  auc: number;
}

export interface PrecisionRecallCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
  averagePrecision: number;
}

export interface ThresholdMetrics {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

const logLossClip = 1e-7;

function invalid(message: string): StudioError {
  return new StudioError('invalid-input', message);
}

/** 0 rather than NaN when nothing was predicted or nothing was there (scikit-learn's zero_division=0). */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** 2tp / (2tp + fp + fn): equal to the harmonic mean of P and R, and defined (as 0) when they are not. */
function f1Score(tp: number, fp: number, fn: number): number {
  return ratio(2 * tp, 2 * tp + fp + fn);
}

function requireRows(n: number): void {
  if (n === 0) throw invalid('there are no reviews to evaluate: the evaluation set is empty');
}

function requireSameLength(truth: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (truth.length !== scores.length) {
    throw invalid(`there are ${formatCount(truth.length)} true labels but ${formatCount(scores.length)} scores`);
  }
}

function requireIndex(name: string, value: number, k: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= k) {
    throw invalid(`${name} ${value} is not a label index between 0 and ${k - 1}`);
  }
}

/** Index of the largest value in each row of a row-major n×k matrix; ties go to the lowest index. */
export function argmaxRows(probabilities: ArrayLike<number>, k: number): Int32Array {
  if (!Number.isInteger(k) || k < 1) throw invalid(`the number of labels must be a positive whole number, not ${k}`);
  if (probabilities.length % k !== 0) {
    throw invalid(`${formatCount(probabilities.length)} probabilities do not split into rows of ${k} labels`);
  }
  const n = probabilities.length / k;
  const best = new Int32Array(n);
  for (let i = 0, base = 0; i < n; i++, base += k) {
    let top = 0;
    let topValue = probabilities[base];
    for (let j = 1; j < k; j++) {
      const value = probabilities[base + j];
      if (value > topValue) {
        top = j;
        topValue = value;
      }
    }
    best[i] = top;
  }
  return best;
}

/**
 * Bins are (lower, upper] as in Guo et al. 2017, with a confidence of exactly 0 in the first bin.
 * confidence × bins can round across an edge (0.7 × 10 = 7.000000000000001), so the guess is
 * checked against the edges the diagram reports.
 */
function calibrationBin(confidence: number, bins: number): number {
  let bin = Math.ceil(confidence * bins) - 1;
  if (bin > 0 && confidence <= bin / bins) bin--;
  else if (bin < bins - 1 && confidence > (bin + 1) / bins) bin++;
  return Math.min(Math.max(bin, 0), bins - 1);
}

/** probabilities: row-major n×k (k = labels.length), rows sum to 1. truth: class indices. */
export function evaluate(
  truth: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  labels: string[],
  options: EvaluateOptions = {},
): EvaluationMetrics {
  const k = labels.length;
  if (k < 2) throw invalid(`metrics need at least two labels, but the label set has ${k}`);
  const n = truth.length;
  requireRows(n);
  if (probabilities.length !== n * k) {
    throw invalid(
      `there are ${formatCount(n)} true labels, so ${formatCount(n * k)} probabilities (${k} per review) were expected, ` +
        `but there are ${formatCount(probabilities.length)}`,
    );
  }
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1) throw invalid(`the number of calibration bins must be a positive whole number, not ${bins}`);
  const positiveIndex = options.positiveIndex ?? 1;
  requireIndex('the positive class', positiveIndex, k);

  const predicted = argmaxRows(probabilities, k);
  const counts = new Float64Array(k * k);
  const binCount = new Float64Array(bins);
  const binConfidence = new Float64Array(bins);
  const binCorrect = new Float64Array(bins);
  let logLossSum = 0;
  for (let i = 0, base = 0; i < n; i++, base += k) {
    const actual = truth[i];
    if (!Number.isInteger(actual) || actual < 0 || actual >= k) {
      throw invalid(`row ${formatCount(i + 1)}: the true class ${actual} is not one of 0–${k - 1} (${labels.join(', ')})`);
    }
    for (let j = 0; j < k; j++) {
      const p = probabilities[base + j];
      // Also rejects NaN, which would otherwise poison every average silently.
      if (!(p >= 0 && p <= 1)) {
        throw invalid(`row ${formatCount(i + 1)}: the probability of '${labels[j]}' is ${p}, not a number between 0 and 1`);
      }
    }
    const guess = predicted[i];
    counts[actual * k + guess]++;
    const pTrue = Math.min(Math.max(probabilities[base + actual], logLossClip), 1 - logLossClip);
    logLossSum -= Math.log(pTrue);
    const confidence = probabilities[base + guess];
    const bin = calibrationBin(confidence, bins);
    binCount[bin]++;
    binConfidence[bin] += confidence;
    if (guess === actual) binCorrect[bin]++;
  }

  const confusion: number[][] = [];
  for (let t = 0; t < k; t++) confusion.push(Array.from(counts.subarray(t * k, (t + 1) * k)));
  const perClass: ClassMetrics[] = [];
  let correct = 0;
  let macroF1 = 0;
  let weightedF1 = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c][c];
    let support = 0;
    let predictedAs = 0;
    for (let j = 0; j < k; j++) {
      support += confusion[c][j];
      predictedAs += confusion[j][c];
    }
    const f1 = f1Score(tp, predictedAs - tp, support - tp);
    perClass.push({ label: labels[c], precision: ratio(tp, predictedAs), recall: ratio(tp, support), f1, support });
    correct += tp;
    macroF1 += f1 / k;
    weightedF1 += (f1 * support) / n;
  }

  const reliability: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const count = binCount[b];
    const meanConfidence = ratio(binConfidence[b], count);
    const accuracy = ratio(binCorrect[b], count);
    reliability.push({ lower: b / bins, upper: (b + 1) / bins, count, meanConfidence, accuracy });
    ece += (count / n) * Math.abs(accuracy - meanConfidence);
  }

  let rocAuc: number | null = null;
  if (k === 2) {
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = probabilities[i * 2 + positiveIndex];
    const ranked = rankByScore(truth, scores, positiveIndex);
    if (ranked.positives > 0 && ranked.negatives > 0) rocAuc = trapezoidAuc(ranked);
  }

  return { n, accuracy: correct / n, macroF1, weightedF1, perClass, confusion, logLoss: logLossSum / n, rocAuc, ece, reliability, labels: [...labels] };
}

/** Cumulative counts at each distinct score, highest score first: predicting positive iff score >= thresholds[i]. */
interface RankedScores {
  thresholds: Float64Array;
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * Sorts the positives' and the negatives' scores separately (native typed-array sorts, several
 * times faster than sorting indices with a comparator at 100k rows) and merges them from the top,
 * one step per distinct score, so tied scores move both counts at once.
 */
function rankByScore(truth: ArrayLike<number>, scores: ArrayLike<number>, positiveIndex: number): RankedScores {
  requireSameLength(truth, scores);
  const n = truth.length;
  requireRows(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) throw invalid(`row ${formatCount(i + 1)}: the score ${scores[i]} is not a number`);
    if (truth[i] === positiveIndex) positives++;
  }
  const negatives = n - positives;
  const positiveScores = new Float64Array(positives);
  const negativeScores = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (truth[i] === positiveIndex) positiveScores[p++] = scores[i];
    else negativeScores[q++] = scores[i];
  }
  positiveScores.sort();
  negativeScores.sort();

  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let p = positives - 1;
  let q = negatives - 1;
  let tp = 0;
  let fp = 0;
  let distinct = 0;
  while (p >= 0 || q >= 0) {
    const threshold = p < 0 ? negativeScores[q] : q < 0 ? positiveScores[p] : Math.max(positiveScores[p], negativeScores[q]);
    while (p >= 0 && positiveScores[p] === threshold) {
      tp++;
      p--;
    }
    while (q >= 0 && negativeScores[q] === threshold) {
      fp++;
      q--;
    }
    thresholds[distinct] = threshold;
    tps[distinct] = tp;
    fps[distinct] = fp;
    distinct++;
  }
  return {
    thresholds: thresholds.subarray(0, distinct),
    tps: tps.subarray(0, distinct),
    fps: fps.subarray(0, distinct),
    positives,
    negatives,
  };
}

/** Area in counts first, divided once: equals the Mann-Whitney U / (P·N) with ties counted half. */
function trapezoidAuc(ranked: RankedScores): number {
  let area = 0;
  let previousTp = 0;
  let previousFp = 0;
  for (let i = 0; i < ranked.thresholds.length; i++) {
    area += (ranked.fps[i] - previousFp) * (ranked.tps[i] + previousTp);
    previousTp = ranked.tps[i];
    previousFp = ranked.fps[i];
  }
  return area / (2 * ranked.positives * ranked.negatives);
}

/**
 * Binary ROC, as scikit-learn's roc_curve with drop_intermediate=False: a first point (0, 0) at
 * threshold Infinity, then one point per distinct score, highest first. `scores` is the
 * probability of the positive class; truth equal to positiveIndex (default 1) is positive,
 * anything else negative.
 */
export function rocCurve(truth: ArrayLike<number>, scores: ArrayLike<number>, positiveIndex = 1): RocCurve {
  const ranked = rankByScore(truth, scores, positiveIndex);
  if (ranked.positives === 0 || ranked.negatives === 0) {
    const only = ranked.positives === 0 ? 'negative' : 'positive';
    throw invalid(`a ROC curve needs both positive and negative reviews, but all ${formatCount(truth.length)} are ${only}`);
  }
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  for (let i = 0; i < ranked.thresholds.length; i++) {
    fpr.push(ranked.fps[i] / ranked.negatives);
    tpr.push(ranked.tps[i] / ranked.positives);
    thresholds.push(ranked.thresholds[i]);
  }
  return { fpr, tpr, thresholds, auc: trapezoidAuc(ranked) };
}

/**
 * Binary precision-recall, as scikit-learn's precision_recall_curve: thresholds ascending (the
 * distinct scores), precision[i] and recall[i] when predicting positive iff score >= thresholds[i],
 * then a final point (precision 1, recall 0) with no threshold. averagePrecision is scikit-learn's
 * average_precision_score: Σ (R_i − R_{i−1}) · P_i, no interpolation.
 */
export function precisionRecallCurve(truth: ArrayLike<number>, scores: ArrayLike<number>, positiveIndex = 1): PrecisionRecallCurve {
  const ranked = rankByScore(truth, scores, positiveIndex);
  if (ranked.positives === 0) {
    throw invalid(`a precision-recall curve needs at least one positive review, but all ${formatCount(truth.length)} are negative`);
  }
  const d = ranked.thresholds.length;
  const precision: number[] = new Array<number>(d + 1);
  const recall: number[] = new Array<number>(d + 1);
  const thresholds: number[] = new Array<number>(d);
  let averagePrecision = 0;
  let previousRecall = 0;
  for (let i = 0; i < d; i++) {
    const tp = ranked.tps[i];
    const p = tp / (tp + ranked.fps[i]);
    const r = tp / ranked.positives;
    averagePrecision += (r - previousRecall) * p;
    previousRecall = r;
    precision[d - 1 - i] = p;
    recall[d - 1 - i] = r;
    thresholds[d - 1 - i] = ranked.thresholds[i];
  }
  precision[d] = 1;
  recall[d] = 0;
  return { precision, recall, thresholds, averagePrecision };
}

/** Binary: metrics when predicting positive iff score >= threshold (for a threshold slider). */
export function binaryAtThreshold(
  truth: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
  positiveIndex = 1,
): ThresholdMetrics {
  requireSameLength(truth, scores);
  const n = truth.length;
  requireRows(n);
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const positive = truth[i] === positiveIndex;
    if (positive) positives++;
    if (scores[i] >= threshold) {
      if (positive) tp++;
      else fp++;
    }
  }
  const fn = positives - tp;
  const tn = n - positives - fp;
  return {
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, positives),
    f1: f1Score(tp, fp, fn),
    accuracy: (tp + tn) / n,
    tp,
    fp,
    tn,
    fn,
  };
}

/** Balanced class weights as scikit-learn's compute_class_weight('balanced'): n / (k · count_c); classes with count 0 get 0. */
export function balancedClassWeights(counts: number[]): number[] {
  let n = 0;
  for (const [c, count] of counts.entries()) {
    if (!(count >= 0 && Number.isFinite(count))) throw invalid(`class ${c} has ${count} reviews; a count must be 0 or more`);
    n += count;
  }
  const k = counts.length;
  return counts.map((count) => (count === 0 ? 0 : n / (k * count)));
}
