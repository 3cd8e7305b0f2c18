/**
 * Sections 3 and 4 of the report: the test figures (per label, confusion matrix, ROC, calibration,
 * the baseline) and where the model errs (slices; the mistakes are in mistakes.ts).
 */
import type { SliceRow } from '../../../common/evaluation';
import { chapter, shareBar, swatch, type ReportContext } from './reportParts';
import { html, Markup } from './markup';
import { mistakesBlock } from './mistakes';
import type { Words } from './reportFormat';
import { isBaselineRun } from './reportSettings';
import { reliabilityChart, rocChart } from './svgCharts';

/** Slices this far (2 points) under the run's accuracy are flagged, as on the Evaluate screen. */
export const weakSliceMargin = 0.02;

function perClassTable({ data, words, color }: ReportContext): Markup {
  const { perClass, n } = data.test;
  const mean = (pick: (c: (typeof perClass)[number]) => number) => perClass.reduce((s, c) => s + pick(c), 0) / Math.max(1, perClass.length);
  const support = perClass.reduce((s, c) => s + c.support, 0);
  const weighted = (pick: (c: (typeof perClass)[number]) => number) => (support > 0 ? perClass.reduce((s, c) => s + pick(c) * c.support, 0) / support : 0);
  const row = (name: Markup | string, p: number, r: number, f1: number, count: number, head = false) =>
    html`<tr${head ? html` class="summary"` : null}><th scope="row">${name}</th><td class="num">${words.decimal(p)}</td><td class="num">${words.decimal(r)}</td><td class="num strong">${words.decimal(f1)}</td><td class="num">${words.count(count)}</td></tr>`;
  return html`<table class="per-class">
<thead><tr><th scope="col">${words.t('results.label')}</th><th scope="col" class="num">${words.t('results.precision')}</th><th scope="col" class="num">${words.t('results.recall')}</th><th scope="col" class="num">${words.t('results.f1')}</th><th scope="col" class="num">${words.t('results.support')}</th></tr></thead>
<tbody>${perClass.map((c) => row(html`${swatch(color(c.label))}${c.label}`, c.precision, c.recall, c.f1, c.support))}</tbody>
<tfoot>
${row(words.t('results.macro'), mean((c) => c.precision), mean((c) => c.recall), data.test.macroF1, n, true)}
${row(words.t('results.weighted'), weighted((c) => c.precision), weighted((c) => c.recall), data.test.weightedF1, n, true)}
</tfoot>
</table>`;
}

/** Correct cells in blue, confusions in orange, deeper the larger their share of the row. */
function cellColor(share: number, correct: boolean): string {
  if (share <= 0) return 'transparent';
  const alpha = correct ? 0.1 + 0.55 * share : Math.min(0.65, 0.1 + 1.1 * share);
  return correct ? `rgba(47, 95, 196, ${alpha.toFixed(3)})` : `rgba(217, 102, 31, ${alpha.toFixed(3)})`;
}

function confusionTable({ data, words, color }: ReportContext): Markup {
  const { labels, confusion } = data.test;
  return html`<table class="confusion">
<thead>
<tr><td class="corner" rowspan="2"><span class="axis-name">${words.t('results.confusion.gold')} ↓</span></td><th scope="colgroup" colspan="${labels.length}" class="axis-name">${words.t('results.confusion.predicted')} →</th></tr>
<tr>${labels.map((l) => html`<th scope="col" class="num">${swatch(color(l))}${l}</th>`)}</tr>
</thead>
<tbody>${labels.map((gold, t) => {
    const row = confusion[t] ?? [];
    const total = row.reduce((s, v) => s + v, 0);
    return html`<tr><th scope="row">${swatch(color(gold))}${gold}</th>${labels.map((_, p) => {
      const count = row[p] ?? 0;
      const share = total > 0 ? count / total : 0;
      return html`<td class="cell${t === p ? ' diagonal' : ''}" style="background-color: ${cellColor(share, t === p)}"><span class="count">${words.count(count)}</span><span class="share">${words.percent(share)}</span></td>`;
    })}</tr>`;
  })}</tbody>
</table>`;
}

function baselineBlock({ data, words }: ReportContext): Markup {
  const comparison = data.baseline;
  if (!comparison) return html`<p class="note">${words.t('results.baseline.none')}</p>`;
  const metric = words.t(comparison.metric === 'accuracy' ? 'metric.accuracy' : 'metric.macroF1');
  const show = (points: number) => (comparison.metric === 'accuracy' ? words.percent(points / 100) : words.decimal(points / 100));
  const bar = (name: string, value: number, className: string) =>
    html`<div class="compare-row"><span class="compare-name">${name}</span>${shareBar(value / 100, { color: className === 'run' ? '#2f5fc4' : '#8b95a3' })}<span class="num strong">${show(value)}</span></div>`;
  const tone = comparison.points > 0 ? 'good' : comparison.points < 0 ? 'bad' : 'neutral';
  return html`<p>${words.t('results.baseline.text', { baselineRun: comparison.baselineRunId, baseline: show(comparison.baseline), metric, run: show(comparison.run) })}
<span class="pill ${tone}">${words.points(comparison.points, true)}</span></p>
<div class="compare">
${bar(words.t('results.baseline.thisRun', { run: data.run.id }), comparison.run, 'run')}
${bar(words.t('results.baseline.baselineRun', { run: comparison.baselineRunId }), comparison.baseline, 'baseline')}
</div>`;
}

export function resultsSection(context: ReportContext): Markup {
  const { data, words } = context;
  const { test } = data;
  const wide = test.labels.length > 4;
  const calibration = html`<figure class="block figure"><h3>${words.t('results.calibration')}</h3>
${new Markup(reliabilityChart(test.reliability, test.ece, words))}
<figcaption>${words.m('results.calibration.hint', { ece: html`<strong>${words.decimal(test.ece)}</strong>`, points: words.points(test.ece * 100) })}</figcaption></figure>`;
  const positive = test.labels[1] ?? '';
  const baseline = html`<div class="block"><h3>${words.t('results.baseline')}</h3>${baselineBlock(context)}</div>`;
  const roc = data.roc
    ? html`<figure class="block figure"><h3>${words.t('results.roc')}</h3>
${new Markup(rocChart(data.roc, data.run.id, words))}
<figcaption>${words.t('results.roc.hint', { label: positive })}</figcaption></figure>`
    : null;
  return chapter(
    'results',
    3,
    words.t('section.results'),
    html`<p class="lede">${words.t('results.lede', { n: words.count(test.n) })}</p>
<div class="grid ${wide ? 'one' : 'two'}">
<div class="block"><h3>${words.t('results.perClass')}</h3>${perClassTable(context)}<p class="note">${words.t('results.perClass.hint')} ${words.t('results.logLoss', { value: words.decimal(test.logLoss) })}</p></div>
<div class="block"><h3>${words.t('results.confusion')}</h3>${confusionTable(context)}<p class="note">${words.t('results.confusion.hint')}</p></div>
</div>
${
      roc
        ? html`<div class="grid two charts">${roc}${calibration}</div>${baseline}`
        : // Without a ROC curve the calibration chart shares its row with the baseline comparison.
          html`<div class="grid two charts">${calibration}${baseline}</div>`
    }`,
  );
}

function dimensionName(dimension: string, words: Words): string {
  if (dimension === 'length') return words.t('slice.length');
  if (dimension === 'negation') return words.t('slice.negation');
  return words.t('slice.metadata', { column: dimension.replace(/^metadata:/, '') });
}

function sliceName(slice: SliceRow, words: Words): string {
  if (slice.dimension === 'length' && slice.tokens) {
    const range = { min: words.count(slice.tokens.min), max: words.count(slice.tokens.max) };
    return slice.value.endsWith('+') ? words.t('slice.tokensOpen', range) : words.t('slice.tokens', range);
  }
  if (slice.dimension === 'negation' && (slice.value === 'with' || slice.value === 'without')) return words.t(`slice.${slice.value}`);
  return slice.value;
}

function slicesTable({ data, words }: ReportContext): Markup {
  if (data.slices.length === 0) return html`<p class="note">${words.t('errors.slices.none')}</p>`;
  const overall = data.test.accuracy;
  const groups = new Map<string, SliceRow[]>();
  for (const slice of data.slices) groups.set(slice.dimension, [...(groups.get(slice.dimension) ?? []), slice]);
  return html`<table class="slices">
<thead><tr><th scope="col">${words.t('errors.slice')}</th><th scope="col" class="num">${words.t('errors.reviews')}</th><th scope="col" class="num">${words.t('errors.correct')}</th><th scope="col" class="num">${words.t('errors.accuracy')}</th><th scope="col" class="bar-cell"><span class="marker-key" aria-hidden="true"></span>${words.t('errors.overall')} ${words.percent(overall)}</th><th scope="col"></th></tr></thead>
${[...groups].map(
    ([dimension, rows]) => html`<tbody>
<tr class="group"><th scope="colgroup" colspan="6">${dimensionName(dimension, words)}</th></tr>
${rows.map((slice) => {
      const weak = slice.accuracy < overall - weakSliceMargin;
      return html`<tr${weak ? html` class="weak"` : null}><th scope="row">${sliceName(slice, words)}</th><td class="num">${words.count(slice.n)}</td><td class="num">${words.count(slice.correct)}</td><td class="num strong">${words.percent(slice.accuracy)}</td><td class="bar-cell">${shareBar(slice.accuracy, { weak, marker: overall })}</td><td>${weak ? html`<span class="pill bad">${words.t('errors.weak')}</span>` : null}</td></tr>`;
    })}
</tbody>`,
  )}
</table>`;
}

export function errorsSection(context: ReportContext): Markup {
  const { data, words } = context;
  return chapter(
    'errors',
    4,
    words.t('section.errors'),
    html`<div class="block"><h3>${words.t('errors.slices')}</h3><p class="hint">${words.t('errors.slices.hint', { overall: words.percent(data.test.accuracy) })}</p>${slicesTable(context)}</div>
<div class="block"><h3>${words.t('errors.mistakes')}</h3><p class="hint">${words.t('errors.mistakes.hint')}</p>${mistakesBlock(data.mistakes, words, context.color, isBaselineRun(data.run.kind))}</div>`,
  );
}
