import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../../../src-main/common/baselineComparison';
import { evaluate } from '../../../src-main/common/metrics';

/** Metrics of `right` correct predictions out of `n`, with confident probabilities. */
function metrics(right: number, n: number, labels: string[]) {
  const k = labels.length;
  const truth = Array.from({ length: n }, (_, i) => i % k);
  const probabilities = truth.flatMap((y, i) => {
    const predicted = i < right ? y : (y + 1) % k;
    return labels.map((_, c) => (c === predicted ? 0.9 : 0.1 / (k - 1)));
  });
  return evaluate(truth, probabilities, labels);
}

describe('baseline comparison', () => {
  it('compares accuracy for two labels, in rounded points with the matching word', () => {
    const c = compareWithBaseline(metrics(883, 1000, ['positive', 'negative']), metrics(862, 1000, ['positive', 'negative']), 7);
    expect(c).toMatchObject({ baselineRunId: 7, metric: 'accuracy', points: 2.1 });
    expect(c.run).toBeCloseTo(88.3, 6);
    expect(c.text).toBe('beats the baseline by +2.1 points of accuracy (88.3% against 86.2%)');
  });

  it('says "falls short" below, "ties" when equal to the printed digit, and uses macro-F1 for three labels', () => {
    const labels = ['positive', 'neutral', 'negative'];
    const short = compareWithBaseline(metrics(700, 900, labels), metrics(790, 900, labels), 3);
    expect(short.metric).toBe('macroF1');
    expect(short.points).toBeLessThan(0);
    expect(short.text).toMatch(/^falls short of the baseline by \d+\.\d points of macro-F1 \(/);
    const tie = compareWithBaseline(metrics(9000, 10000, ['a', 'b']), metrics(9004, 10000, ['a', 'b']), 1);
    expect(tie.points).toBe(0);
    expect(tie.text).toBe('ties with the baseline on accuracy (90.0% against 90.0%)');
    expect(compareWithBaseline(metrics(910, 1000, ['a', 'b']), metrics(900, 1000, ['a', 'b']), 1).text).toMatch(/by \+1\.0 point of/);
  });
});
