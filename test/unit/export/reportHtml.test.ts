/**
 * The run report's HTML as a string: its sections in order, nothing that could run or fetch,
 * every value from the project escaped, the charts a run of its kind should have, and the words
 * in the report's language.
 */
import { describe, expect, it } from 'vitest';
import { renderReportHtml, reportContentSecurityPolicy } from '../../../src-main/node/export/report/html';
import { saliencySegments } from '../../../src-main/node/export/report/mistakes';
import { thinCurve } from '../../../src-main/node/export/report/svgCharts';
import { reportFixture, scriptReview, threeLabelFixture } from '../../fixtures/reportData';

const headings = (markup: string) => [...markup.matchAll(/<h2[^>]*>(.*?)<\/h2>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
const visibleText = (markup: string) => markup.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, '');
/** Event-handler attributes of real tags: escaped text and quoted values may mention "onerror=" harmlessly. */
const handlerAttributes = (markup: string) =>
  (markup.match(/<[a-z][^>]*>/gi) ?? []).filter((tag) => /\son\w+\s*=/i.test(tag.replace(/"[^"]*"|'[^']*'/g, '""')));
const svgCount = (markup: string) => markup.match(/<svg\b/g)?.length ?? 0;
const percent = (value: number) => new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);

describe('renderReportHtml', () => {
  const data = reportFixture();
  const markup = renderReportHtml(data);

  it('has the five numbered sections in order, after the title and key figures', () => {
    expect(headings(markup)).toEqual(['1Data', '2Model and training', '3Test results', '4Where it errs', '5Model card']);
    const order = ['class="title"', 'class="kpis"', 'id="data"', 'id="training"', 'id="results"', 'id="errors"', 'id="card"', '<footer>'].map((s) => markup.indexOf(s));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(markup).toContain('<h1>Cinema reviews Q2 &amp; Q3</h1>');
  });

  it('opens with a one-sentence verdict built from the test figures and the baseline', () => {
    const sentence = visibleText(markup.match(/<p class="verdict">([\s\S]*?)<\/p>/)![1]!);
    expect(sentence).toBe(
      `GRU run #12 classifies ${percent(data.test.accuracy)} of 4,962 held-out reviews correctly (macro-F1 ${data.test.macroF1.toFixed(3)}) ` +
        `and beats the n-gram baseline by ${data.baseline!.points.toFixed(1)} points of accuracy.`,
    );
  });

  it('carries its strict CSP and contains nothing that runs or fetches', () => {
    expect(markup).toContain(`<meta http-equiv="Content-Security-Policy" content="${reportContentSecurityPolicy}">`);
    expect(reportContentSecurityPolicy).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(markup).not.toMatch(/<script/i);
    expect(markup).not.toMatch(/https?:\/\//i);
    expect(markup).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(markup).not.toMatch(/url\(/i);
    expect(markup).not.toMatch(/@import|@font-face/i);
    expect(handlerAttributes(markup)).toEqual([]);
  });

  it('escapes the review text: a <script> in a review is text, and & stays an ampersand', () => {
    expect(visibleText(markup)).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Not great &amp; not terrible');
    const segments = saliencySegments(scriptReview, data.mistakes[0]!.tokens!);
    expect(segments.map((s) => s.text).join('')).toBe(scriptReview);
  });

  it('draws the training curves, the ROC curve and the reliability diagram as inline SVG', () => {
    expect(svgCount(markup)).toBe(3);
    expect(markup).toContain('aria-label="Loss and accuracy per epoch, training and validation"');
    expect(markup).toMatch(/aria-label="ROC curve: Run #12, AUC 0\.\d{3}"/);
    expect(markup).toMatch(/aria-label="Calibration: ECE 0\.\d{3}"/);
    // Axis titles, and the kept epoch marked on the curves.
    for (const title of ['Epoch', 'Loss', 'Accuracy', 'False positive rate', 'True positive rate', 'Confidence']) expect(markup).toContain(`>${title}</text>`);
    expect(markup).toContain('>kept</text>');
  });

  it('shows the data, the training facts, the confusion matrix, slices and mistakes with saliency', () => {
    expect(markup).toContain('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
    expect(visibleText(markup)).toContain('4 test labels changed since this run.');
    expect(markup.match(/<td class="cell/g)).toHaveLength(4);
    expect(markup).toContain('Training stopped early after epoch 3');
    expect(markup.match(/<article class="mistake">/g)).toHaveLength(3);
    expect(markup).toMatch(/<mark class="toward" style="background-color: rgba\(35, 104, 217, [\d.]+\)"/);
    expect(markup).toMatch(/<mark class="against"/);
    expect(markup).toContain('integrated gradients');
    // 313+ tokens (79.1%) and call centre (81.3%) are over 2 points under the overall accuracy.
    expect(markup.match(/<tr class="weak">/g)).toHaveLength(2);
    expect(visibleText(markup)).toContain('313+ tokens');
    expect(markup).toContain('sentiment-studio predict --model &lt;bundle folder&gt; reviews.csv --out scored.csv');
  });

  it('leaves out the changed-labels note when no label changed', () => {
    const clean = renderReportHtml(reportFixture({ run: { ...data.run, labelsChangedSince: 0 } }));
    expect(clean).not.toContain('changed since this run');
  });

  it('never turns project data into markup', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'';
    const report = renderReportHtml(
      reportFixture({
        project: { ...data.project, name: hostile, annotators: [{ annotator: hostile, events: 1, byOrigin: { [hostile]: 1 } }] },
        card: { intendedUse: hostile, data: hostile, limitations: [hostile] },
        slices: [{ dimension: `metadata:${hostile}`, value: hostile, n: 1, correct: 0, accuracy: 0 }],
        appVersion: hostile,
      }),
    );
    expect(report).not.toContain('<img');
    expect(handlerAttributes(report)).toEqual([]);
    expect(report).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;');
  });

  it('keeps a crafted label colour out of the style attribute', () => {
    const report = renderReportHtml(threeLabelFixture());
    expect(report).not.toContain('not-a-colour');
    expect(report).not.toContain('"><b>');
  });

  it('renders three labels without a ROC curve, comparing macro-F1 with the baseline', () => {
    const three = threeLabelFixture();
    const report = renderReportHtml(three);
    expect(svgCount(report)).toBe(2);
    expect(report).not.toContain('ROC curve');
    expect(report).toContain('Weighted F1');
    expect(report.match(/<td class="cell/g)).toHaveLength(9);
    expect(visibleText(report)).toContain('falls 1.4 points of macro-F1 short of the n-gram baseline');
    expect(report).toContain('Word highlights could not be computed for this review.');
  });

  it('renders a baseline run without training curves or saliency', () => {
    const report = renderReportHtml(
      reportFixture({
        run: { ...data.run, kind: 'nbsvm', preset: null, hyperparameters: { units: 'words', minCount: 2, classWeights: 'none', seed: 42 }, bestEpoch: null, stoppedEarly: false },
        epochs: [],
        baseline: null,
        mistakes: data.mistakes.map((m) => ({ ...m, tokens: null })),
      }),
    );
    expect(svgCount(report)).toBe(2);
    expect(report).toContain('This model is fitted in one pass: it has no training curves.');
    expect(report).toContain('A baseline run has no word highlights.');
    expect(report).toContain('N-gram units');
    expect(visibleText(report)).toMatch(/^NBSVM baseline run #12 classifies .* \(macro-F1 0\.\d{3}\)\.$/m);
    expect(report).not.toContain('tf.loadLayersModel');
  });

  it('speaks Simplified Chinese when the report locale is zh-CN', () => {
    const report = renderReportHtml(reportFixture({ locale: 'zh-CN' }));
    expect(report).toContain('<html lang="zh-CN">');
    expect(headings(report)).toEqual(['1数据', '2模型与训练', '3测试结果', '4模型错在哪里', '5模型卡']);
    expect(report).toContain('情感模型报告');
    expect(report).toContain('2025年6月14日');
    for (const english of ['Where it errs', 'Model card', 'Confusion matrix', 'Hyperparameters', 'Most confident mistakes']) expect(report).not.toContain(english);
  });
});

describe('thinCurve', () => {
  it('keeps both ends and drops points that would not move a pixel', () => {
    const n = 20_000;
    const xs = Array.from({ length: n }, (_, i) => i / (n - 1));
    const ys = xs.map((x) => Math.sqrt(x));
    const thin = thinCurve(xs, ys);
    expect(thin.length).toBeLessThan(1_000);
    expect(thin[0]).toEqual([0, 0]);
    expect(thin.at(-1)).toEqual([1, 1]);
  });
});
