/**
 * "Beats the baseline by +2.1 points": how a run's test score compares with the NBSVM baseline
 * trained on the same snapshot. Two labels compare accuracy; three or more compare macro-F1,
 * because accuracy hides a model that never predicts the small class (the airline tweets are
 * 63% negative).
 */
import type { EvaluationMetrics } from './metrics';

export interface BaselineComparison {
  baselineRunId: number;
  metric: 'accuracy' | 'macroF1';
  /** Both in percentage points (accuracy × 100, macro-F1 × 100). */
  run: number;
  baseline: number;
  /** run − baseline, rounded to the printed 0.1 point. */
  points: number;
  /** "beats the baseline by +2.1 points of accuracy (88.3% against 86.2%)". */
  text: string;
}

export function comparisonMetric(labelCount: number): 'accuracy' | 'macroF1' {
  return labelCount === 2 ? 'accuracy' : 'macroF1';
}

export function compareWithBaseline(run: EvaluationMetrics, baseline: EvaluationMetrics, baselineRunId: number): BaselineComparison {
  const metric = comparisonMetric(run.labels.length);
  const score = (m: EvaluationMetrics) => 100 * (metric === 'accuracy' ? m.accuracy : m.macroF1);
  const a = score(run);
  const b = score(baseline);
  // Rounded once, so the sign, the word and the number always agree with what is printed.
  // `+ 0` turns a rounded -0 into 0.
  const points = Math.round((a - b) * 10) / 10 + 0;
  const name = metric === 'accuracy' ? 'accuracy' : 'macro-F1';
  const figures = `(${a.toFixed(1)}% against ${b.toFixed(1)}%)`;
  const unit = Math.abs(points) === 1 ? 'point' : 'points';
  const text =
    points > 0
      ? `beats the baseline by +${points.toFixed(1)} ${unit} of ${name} ${figures}`
      : points < 0
        ? `falls short of the baseline by ${Math.abs(points).toFixed(1)} ${unit} of ${name} ${figures}`
        : `ties with the baseline on ${name} ${figures}`;
  return { baselineRunId, metric, run: a, baseline: b, points, text };
}
