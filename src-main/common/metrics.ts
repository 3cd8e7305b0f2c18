/**
 * How good a trained classifier is on held-out reviews: the figures runs are compared by
 * (accuracy, macro-F1, per-class precision/recall/F1, confusion matrix), how far its
 * probabilities can be trusted (log-loss, calibration), and the binary curves behind a threshold
 * slider. Definitions follow scikit-learn so every figure can be checked against a notebook.
 */
import { rankByScore, trapezoidAuc } from './curves';
import { formatCount } from './format';
import { f1Score, invalid, logLossClip, ratio, requireIndex, requireRows } from './metricChecks';

export { binaryAtThreshold, precisionRecallCurve, rocCurve, type PrecisionRecallCurve, type RocCurve, type ThresholdMetrics } from './curves';

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
