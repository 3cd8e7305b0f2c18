import { describe, expect, it } from 'vitest';
import {
  argmaxRows,
  balancedClassWeights,
  binaryAtThreshold,
  evaluate,
  precisionRecallCurve,
  rocCurve,
} from '../../../src-main/common/metrics';

/** A probability row that predicts `predicted` with 0.8 and spreads the rest evenly. */
function confident(predicted: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => (j === predicted ? 0.8 : 0.2 / (k - 1)));
}

function rowsFor(pairs: [truth: number, predicted: number][], k: number): { truth: number[]; probabilities: number[] } {
  return { truth: pairs.map(([t]) => t), probabilities: pairs.flatMap(([, p]) => confident(p, k)) };
}

describe('evaluate: classification figures', () => {
  // Confusion matrix (rows = truth, columns = predicted), 10 reviews:
  //              neg neu pos   support
  //   negative [  3,  1,  0 ]   4
  //   neutral  [  0,  2,  2 ]   4
  //   positive [  1,  0,  1 ]   2
  //   predicted   4   3   3
  // negative: P = 3/4, R = 3/4, F1 = 2·3/(6+1+1) = 3/4
  // neutral:  P = 2/3, R = 2/4, F1 = 2·2/(4+1+2) = 4/7
  // positive: P = 1/3, R = 1/2, F1 = 2·1/(2+2+1) = 2/5
  // accuracy = 6/10; macro-F1 = (3/4 + 4/7 + 2/5)/3 = (105 + 80 + 56)/140/3 = 241/420
  // weighted-F1 = (3/4·4 + 4/7·4 + 2/5·2)/10 = (105 + 80 + 28)/35/10 = 213/350
  // (sklearn's classification_report on the same labels gives these numbers.)
  const labels = ['negative', 'neutral', 'positive'];
  const { truth, probabilities } = rowsFor(
    [
      [0, 0], [0, 0], [0, 0], [0, 1],
      [1, 1], [1, 1], [1, 2], [1, 2],
      [2, 0], [2, 2],
    ],
    3,
  );
  const metrics = evaluate(truth, probabilities, labels);

  it('counts the confusion matrix as confusion[true][predicted]', () => {
    expect(metrics.confusion).toEqual([
      [3, 1, 0],
      [0, 2, 2],
      [1, 0, 1],
    ]);
    expect(metrics.n).toBe(10);
    expect(metrics.labels).toEqual(labels);
  });

  it('computes per-class precision, recall, F1 and support in label order', () => {
    const expected = [
      { label: 'negative', precision: 3 / 4, recall: 3 / 4, f1: 3 / 4, support: 4 },
      { label: 'neutral', precision: 2 / 3, recall: 1 / 2, f1: 4 / 7, support: 4 },
      { label: 'positive', precision: 1 / 3, recall: 1 / 2, f1: 2 / 5, support: 2 },
    ];
    expect(metrics.perClass.map((c) => c.label)).toEqual(labels);
    for (const [i, want] of expected.entries()) {
      const got = metrics.perClass[i];
      expect(got.support).toBe(want.support);
      expect(got.precision).toBeCloseTo(want.precision, 12);
      expect(got.recall).toBeCloseTo(want.recall, 12);
      expect(got.f1).toBeCloseTo(want.f1, 12);
    }
  });

  it('computes accuracy, macro-F1 and weighted-F1', () => {
    expect(metrics.accuracy).toBeCloseTo(0.6, 12);
    expect(metrics.macroF1).toBeCloseTo(241 / 420, 12);
    expect(metrics.weightedF1).toBeCloseTo(213 / 350, 12);
    expect(metrics.rocAuc).toBeNull(); // three labels
  });

  it('accepts typed arrays', () => {
    const typed = evaluate(Int32Array.from(truth), Float32Array.from(probabilities), labels);
    expect(typed.confusion).toEqual(metrics.confusion);
    expect(typed.macroF1).toBeCloseTo(241 / 420, 12);
  });
});

describe('evaluate: probability figures', () => {
  it('computes log-loss with the natural log', () => {
    // truth [1, 0]; p(true class) = 0.8 and 0.6 → −(ln 0.8 + ln 0.6)/2 ≈ 0.366985
    const m = evaluate([1, 0], [0.2, 0.8, 0.6, 0.4], ['negative', 'positive']);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(m.logLoss).toBeCloseTo(0.366985, 6);
  });

  it('clips probabilities to [1e-7, 1 − 1e-7] so a confident mistake costs 7·ln 10, not Infinity', () => {
    // Row 1: p(true) = 0 → −ln(1e-7) = 16.1180956509583. Row 2: p(true) = 1 → −ln(1 − 1e-7) ≈ 1.00000005e-7.
    const m = evaluate([0, 1], [0, 1, 0, 1], ['negative', 'positive']);
    expect(m.logLoss).toBeCloseTo((7 * Math.LN10 - Math.log(1 - 1e-7)) / 2, 12);
    expect(m.logLoss).toBeCloseTo(8.05904787, 7);
  });

  it('computes ECE over 10 equal-width (lower, upper] bins of the top-class confidence', () => {
    // row  probabilities  truth  top class  confidence  correct  bin
    //  1   [0.9, 0.1]      0      0          0.9         yes      (0.8, 0.9]
    //  2   [0.9, 0.1]      1      0          0.9         no       (0.8, 0.9]
    //  3   [0.3, 0.7]      1      1          0.7         yes      (0.6, 0.7]
    //  4   [0.4, 0.6]      1      1          0.6         yes      (0.5, 0.6]
    // ECE = 2/4·|0.5 − 0.9| + 1/4·|1 − 0.7| + 1/4·|1 − 0.6| = 0.2 + 0.075 + 0.1 = 0.375
    const m = evaluate([0, 1, 1, 1], [0.9, 0.1, 0.9, 0.1, 0.3, 0.7, 0.4, 0.6], ['negative', 'positive']);
    expect(m.ece).toBeCloseTo(0.375, 12);
    expect(m.reliability).toHaveLength(10);
    expect(m.reliability.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 2, 0]);
    const top = m.reliability[8];
    expect(top.lower).toBeCloseTo(0.8, 12);
    expect(top.upper).toBeCloseTo(0.9, 12);
    expect(top.meanConfidence).toBeCloseTo(0.9, 12);
    expect(top.accuracy).toBe(0.5);
    expect(m.reliability[0]).toEqual({ lower: 0, upper: 0.1, count: 0, meanConfidence: 0, accuracy: 0 });
  });

  it('honours a different number of bins', () => {
    // Two bins: (0, 0.5] and (0.5, 1]. All four confidences land in the second: mean 0.775, accuracy 3/4.
    const m = evaluate([0, 1, 1, 1], [0.9, 0.1, 0.9, 0.1, 0.3, 0.7, 0.4, 0.6], ['negative', 'positive'], { bins: 2 });
    expect(m.reliability.map((b) => b.count)).toEqual([0, 4]);
    expect(m.ece).toBeCloseTo(0.025, 12);
  });

  it('reports ROC-AUC for two labels, with the positive class chosen by index', () => {
    // sklearn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
    const scores = [0.1, 0.4, 0.35, 0.8];
    const probabilities = scores.flatMap((s) => [1 - s, s]);
    expect(evaluate([0, 0, 1, 1], probabilities, ['negative', 'positive']).rocAuc).toBeCloseTo(0.75, 12);
    // Swapping which class is positive mirrors the ranking: the AUC stays 0.75.
    expect(evaluate([0, 0, 1, 1], probabilities, ['negative', 'positive'], { positiveIndex: 0 }).rocAuc).toBeCloseTo(0.75, 12);
  });
});

describe('evaluate: edge cases', () => {
  it('handles a set with only one true class: zero metrics for the absent class and no ROC-AUC', () => {
    // truth [0, 0, 0], predicted [0, 0, 1]
    // negative: tp 2, fp 0, fn 1 → P = 1, R = 2/3, F1 = 4/5. positive: no support, tp 0 → 0, 0, 0.
    // macro-F1 = (4/5 + 0)/2 = 0.4; weighted-F1 = (4/5·3 + 0·0)/3 = 0.8
    const m = evaluate([0, 0, 0], [0.9, 0.1, 0.7, 0.3, 0.2, 0.8], ['negative', 'positive']);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[0].precision).toBe(1);
    expect(m.perClass[0].recall).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[0].f1).toBeCloseTo(0.8, 12);
    expect(m.perClass[1]).toEqual({ label: 'positive', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macroF1).toBeCloseTo(0.4, 12);
    expect(m.weightedF1).toBeCloseTo(0.8, 12);
    expect(m.rocAuc).toBeNull();
  });

  it('gives 0 precision to a class that is never predicted', () => {
    // truth [0, 1], both predicted 0 → positive: tp 0, nothing predicted → P = 0 (not NaN), R = 0, F1 = 0
    const m = evaluate([0, 1], [0.6, 0.4, 0.7, 0.3], ['negative', 'positive']);
    expect(m.perClass[1]).toEqual({ label: 'positive', precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.perClass[0].precision).toBe(0.5);
  });

  it('rejects empty and malformed input with a message that says what is wrong', () => {
    const labels = ['negative', 'positive'];
    expect(() => evaluate([], [], labels)).toThrow(/no reviews to evaluate: the evaluation set is empty/);
    expect(() => evaluate([0, 1], [0.5, 0.5, 0.5], labels)).toThrow(/4 probabilities \(2 per review\) were expected, but there are 3/);
    expect(() => evaluate([0, 2], [0.5, 0.5, 0.5, 0.5], labels)).toThrow(/row 2: the true class 2 is not one of 0–1 \(negative, positive\)/);
    expect(() => evaluate([0, 1], [0.5, 0.5, Number.NaN, 0.5], labels)).toThrow(/row 2: the probability of 'negative' is NaN/);
    expect(() => evaluate([0], [1], ['only'])).toThrow(/at least two labels/);
    expect(() => evaluate([0], [0.5, 0.5], labels, { bins: 0 })).toThrow(/calibration bins/);
    expect(() => evaluate([0], [0.5, 0.5], labels, { positiveIndex: 2 })).toThrow(/positive class 2 is not a label index/);
  });
});

describe('argmaxRows', () => {
  it('breaks ties towards the lowest index', () => {
    const rows = [0.4, 0.4, 0.2, 0.2, 0.4, 0.4, 1 / 3, 1 / 3, 1 / 3, 0.1, 0.2, 0.7];
    expect(Array.from(argmaxRows(rows, 3))).toEqual([0, 1, 0, 2]);
    expect(argmaxRows(new Float32Array(0), 3)).toEqual(new Int32Array(0));
  });

  it('rejects a length that is not a whole number of rows', () => {
    expect(() => argmaxRows([0.5, 0.5, 1], 2)).toThrow(/3 probabilities do not split into rows of 2 labels/);
  });
});

describe('rocCurve', () => {
  it('matches sklearn roc_curve(drop_intermediate=False) on its documentation example', () => {
    // y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]
    // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [inf, 0.8, 0.4, 0.35, 0.1], AUC 0.75
    const roc = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(roc.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(roc.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(roc.auc).toBe(0.75);
  });

  it('gives one point per distinct score and an AUC equal to Mann-Whitney with ties counted half', () => {
    // positives score {0.4, 0.8, 0.9}, negatives {0.1, 0.4, 0.8}; 3·3 = 9 pairs
    //   pos 0.4: beats 0.1, ties 0.4, loses to 0.8 → 1.5
    //   pos 0.8: beats 0.1 and 0.4, ties 0.8       → 2.5
    //   pos 0.9: beats all three                    → 3
    // U = 7 → AUC = 7/9
    // Curve: threshold 0.9 → (0, 1/3); 0.8 → (1/3, 2/3); 0.4 → (2/3, 1); 0.1 → (1, 1)
    // Trapezoids: 0 + 1/3·(1/3+2/3)/2 + 1/3·(2/3+1)/2 + 1/3·1 = 3/18 + 5/18 + 6/18 = 7/9
    const roc = rocCurve([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.4, 0.8, 0.8, 0.9]);
    expect(roc.thresholds).toEqual([Infinity, 0.9, 0.8, 0.4, 0.1]);
    expect(roc.fpr.map((x) => x * 3)).toEqual([0, 0, 1, 2, 3]);
    expect(roc.tpr.map((x) => x * 3)).toEqual([0, 1, 2, 3, 3]);
    expect(roc.auc).toBeCloseTo(7 / 9, 15);
  });

  it('agrees with a brute-force Mann-Whitney count on many tied scores', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const truth: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 400; i++) {
      const positive = random() < 0.4;
      truth.push(positive ? 1 : 0);
      // Ten score levels, shifted up for positives: plenty of ties across the classes.
      scores.push(Math.min(9, Math.floor(random() * 8) + (positive ? 2 : 0)) / 10);
    }
    let u = 0;
    let pairs = 0;
    for (let i = 0; i < truth.length; i++) {
      if (truth[i] !== 1) continue;
      for (let j = 0; j < truth.length; j++) {
        if (truth[j] !== 0) continue;
        pairs++;
        u += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
    const roc = rocCurve(truth, scores);
    expect(roc.auc).toBeCloseTo(u / pairs, 12);
    expect(roc.thresholds).toHaveLength(new Set(scores).size + 1);
  });

  it('treats every class other than positiveIndex as negative', () => {
    // Positive = class 0: positives score {0.9, 0.2}, negatives (classes 1 and 2) {0.5, 0.1} → U = 2 + 1 = 3 of 4
    expect(rocCurve([0, 1, 2, 0], [0.9, 0.5, 0.1, 0.2], 0).auc).toBe(0.75);
  });

  it('refuses a set that lacks one of the two classes', () => {
    expect(() => rocCurve([1, 1], [0.2, 0.9])).toThrow(/needs both positive and negative reviews, but all 2 are positive/);
    expect(() => rocCurve([], [])).toThrow(/empty/);
    expect(() => rocCurve([0, 1], [0.5])).toThrow(/2 true labels but 1 scores/);
    expect(() => rocCurve([0, 1], [0.5, Number.NaN])).toThrow(/row 2: the score NaN is not a number/);
  });
});

describe('precisionRecallCurve', () => {
  it('matches sklearn precision_recall_curve and average_precision_score on their documentation example', () => {
    // y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]
    // threshold 0.1: tp 2 fp 2 → P 1/2, R 1;  0.35: tp 2 fp 1 → P 2/3, R 1
    // threshold 0.4: tp 1 fp 1 → P 1/2, R 1/2; 0.8: tp 1 fp 0 → P 1, R 1/2; then (1, 0)
    // AP = Σ (R_i − R_{i−1})·P_i from the top = 1/2·1 + 0·1/2 + 1/2·2/3 + 0·1/2 = 5/6
    const pr = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(pr.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(pr.precision).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect(pr.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(pr.averagePrecision).toBeCloseTo(5 / 6, 15);
  });

  it('needs at least one positive review', () => {
    expect(() => precisionRecallCurve([0, 0], [0.2, 0.9])).toThrow(/at least one positive review, but all 2 are negative/);
    // No negatives is fine: precision is 1 everywhere.
    expect(precisionRecallCurve([1, 1], [0.2, 0.9]).averagePrecision).toBe(1);
  });
});

describe('binaryAtThreshold', () => {
  // y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]
  const truth = [0, 0, 1, 1];
  const scores = [0.1, 0.4, 0.35, 0.8];

  it('predicts positive iff score >= threshold', () => {
    // >= 0.35: 0.4 (neg), 0.35 (pos), 0.8 (pos) → tp 2, fp 1, tn 1, fn 0
    // P = 2/3, R = 1, F1 = 2·2/(4+1+0) = 4/5, accuracy = 3/4
    const m = binaryAtThreshold(truth, scores, 0.35);
    expect({ tp: m.tp, fp: m.fp, tn: m.tn, fn: m.fn }).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
    expect(m.precision).toBeCloseTo(2 / 3, 15);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(0.8, 15);
    expect(m.accuracy).toBe(0.75);
  });

  it('reports 0, not NaN, when nothing is predicted positive', () => {
    expect(binaryAtThreshold(truth, scores, 0.9)).toEqual({ precision: 0, recall: 0, f1: 0, accuracy: 0.5, tp: 0, fp: 0, tn: 2, fn: 2 });
  });

  it('honours positiveIndex and rejects empty input', () => {
    // Positive = class 0, predicted positive iff score >= 0.3: 0.4 (class 0) ✓, 0.35 and 0.8 (class 1) ✗ → tp 1, fp 2, tn 0, fn 1
    const m = binaryAtThreshold(truth, scores, 0.3, 0);
    expect({ tp: m.tp, fp: m.fp, tn: m.tn, fn: m.fn }).toEqual({ tp: 1, fp: 2, tn: 0, fn: 1 });
    expect(() => binaryAtThreshold([], [], 0.5)).toThrow(/empty/);
  });
});

describe('balancedClassWeights', () => {
  it('matches sklearn compute_class_weight("balanced"): n / (k · count)', () => {
    // y = [0, 0, 0, 1] → 4/(2·3) = 2/3 and 4/(2·1) = 2
    const [a, b] = balancedClassWeights([3, 1]);
    expect(a).toBeCloseTo(2 / 3, 15);
    expect(b).toBe(2);
    // counts [6, 3, 1]: n = 10, k = 3 → 10/18, 10/9, 10/3
    const weights = balancedClassWeights([6, 3, 1]);
    [10 / 18, 10 / 9, 10 / 3].forEach((w, i) => expect(weights[i]).toBeCloseTo(w, 15));
  });

  it('gives 0 to a class with no reviews, still counting it in k', () => {
    // counts [4, 0, 4]: n = 8, k = 3 → 8/12, 0, 8/12
    const weights = balancedClassWeights([4, 0, 4]);
    expect(weights[1]).toBe(0);
    expect(weights[0]).toBeCloseTo(2 / 3, 15);
    expect(weights[2]).toBeCloseTo(2 / 3, 15);
    expect(balancedClassWeights([])).toEqual([]);
    expect(() => balancedClassWeights([3, -1])).toThrow(/class 1 has -1 reviews/);
  });
});
