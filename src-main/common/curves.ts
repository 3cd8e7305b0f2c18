/**
 * Binary curves behind the evaluation panel: ROC, precision-recall, and the figures at one
 * decision threshold (the slider). Ties and areas follow scikit-learn.
 */
import { formatCount } from './format';
import { f1Score, invalid, ratio, requireRows, requireSameLength } from './metricChecks';

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

/** Cumulative counts at each distinct score, highest score first: predicting positive iff score >= thresholds[i]. */
export interface RankedScores {
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
export function rankByScore(truth: ArrayLike<number>, scores: ArrayLike<number>, positiveIndex: number): RankedScores {
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
export function trapezoidAuc(ranked: RankedScores): number {
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
