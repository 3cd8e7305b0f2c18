/**
 * The run report as one self-contained HTML file: inline CSS, charts as inline SVG, no script and
 * no URL, so it opens offline in any browser, prints to A4 and passes the strict CSP it carries.
 * Pure: ReportData in, a string out (gather.ts collects the data, the export service writes it).
 */
import type { ReportData } from '../../../common/report';
import { dataSection, trainingSection } from './dataSections';
import { chapter, swatch, type ReportContext } from './reportParts';
import { escapeHtml, html, Markup, safeColor } from './markup';
import { errorsSection, resultsSection } from './resultSections';
import { reportWords, type Words } from './reportFormat';
import { isBaselineRun, modelName } from './reportSettings';
import { reportStyle } from './reportStyle';

/** Proof that the report needs nothing from outside: a browser blocks any fetch it would make. */
export const reportContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** For labels without a usable colour of their own (or no longer in the project). */
const palette = ['#2f5fc4', '#8b95a3', '#1e7b45', '#8e44ad', '#d9661f', '#b3261e', '#00838f', '#9a6700'];

function labelColors(data: ReportData): (label: string) => string {
  const colors = new Map<string, string>();
  for (const label of data.project.labels) {
    const own = safeColor(label.color, '');
    if (own) colors.set(label.name, own);
  }
  // Fallbacks skip the colours already taken, so two labels never share a swatch.
  const free = palette.filter((c) => ![...colors.values()].some((used) => used.toLowerCase() === c));
  for (const name of [...data.project.labels.map((l) => l.name), ...data.test.labels]) {
    if (!colors.has(name)) colors.set(name, free.shift() ?? palette[colors.size % palette.length]!);
  }
  return (label) => colors.get(label) ?? palette[0]!;
}

function verdict({ data, words }: ReportContext): Markup {
  const { test, baseline } = data;
  const params = {
    model: modelName(data.run.kind, words),
    run: data.run.id,
    accuracy: html`<strong>${words.percent(test.accuracy)}</strong>`,
    n: words.count(test.n),
    macroF1: words.decimal(test.macroF1),
  };
  if (!baseline) return words.m('verdict.alone', params);
  const metric = words.t(baseline.metric === 'accuracy' ? 'metric.accuracy' : 'metric.macroF1');
  const points = html`<strong>${words.points(baseline.points)}</strong>`;
  const key = baseline.points > 0 ? 'verdict.beats' : baseline.points < 0 ? 'verdict.trails' : 'verdict.ties';
  return words.m(key, { ...params, metric, points });
}

function keyFigures({ data, words }: ReportContext): Markup {
  const { test, baseline } = data;
  const tile = (label: string, value: Markup | string, note: string, tone = '') =>
    html`<div class="kpi${tone ? ` ${tone}` : ''}"><div class="kpi-label">${label}</div><div class="kpi-value">${value}</div><div class="kpi-note">${note}</div></div>`;
  const tiles = [
    tile(words.t('kpi.accuracy'), words.percent(test.accuracy), words.t('kpi.accuracy.note', { n: words.count(test.n) })),
    tile(words.t('kpi.macroF1'), words.decimal(test.macroF1), words.t('kpi.macroF1.note', { count: test.labels.length })),
    test.rocAuc !== null
      ? tile(words.t('kpi.rocAuc'), words.decimal(test.rocAuc), words.t('kpi.rocAuc.note'))
      : tile(words.t('kpi.weightedF1'), words.decimal(test.weightedF1), words.t('kpi.weightedF1.note')),
    tile(words.t('kpi.ece'), words.decimal(test.ece), words.t('kpi.ece.note')),
  ];
  if (baseline) {
    const metric = words.t(baseline.metric === 'accuracy' ? 'metric.accuracy' : 'metric.macroF1');
    const value = baseline.metric === 'accuracy' ? words.percent(baseline.baseline / 100) : words.decimal(baseline.baseline / 100);
    const tone = baseline.points > 0 ? 'good' : baseline.points < 0 ? 'bad' : '';
    const signed = words.signedPoints(baseline.points);
    tiles.push(tile(words.t('kpi.baseline'), html`${signed}<span class="kpi-unit">${words.t('kpi.baseline.unit')}</span>`, words.t('kpi.baseline.note', { run: baseline.baselineRunId, value, metric }), tone));
  } else {
    tiles.push(tile(words.t('kpi.logLoss'), words.decimal(test.logLoss), words.t('kpi.logLoss.note')));
  }
  return html`<section class="kpis" aria-label="${words.t('kpi.label')}">${tiles}</section>`;
}

function titleBlock(context: ReportContext): Markup {
  const { data, words } = context;
  const status = data.run.status === 'done' ? null : words.t('doc.status', { status: statusName(data.run.status, words) });
  return html`<header class="title">
<p class="kicker">${words.t('doc.kicker')}</p>
<h1>${data.project.name}</h1>
<p class="meta">${words.t('doc.meta', { run: data.run.id, model: modelName(data.run.kind, words), date: words.date(data.generatedAt) })}</p>
<p class="verdict">${verdict(context)}</p>
${status ? html`<p class="callout warn" role="note">${status}</p>` : null}
</header>`;
}

function statusName(status: string, words: Words): string {
  return ['queued', 'running', 'done', 'failed', 'cancelled'].includes(status) ? words.t(`status.${status}` as Parameters<Words['t']>[0]) : status;
}

function modelCard(context: ReportContext): Markup {
  const { data, words, color } = context;
  const { run, card } = data;
  const details: [string, Markup | string][] = [
    [words.t('card.model'), words.t('card.model.value', { model: modelName(run.kind, words), run: run.id })],
    [words.t('card.labels'), html`${data.test.labels.map((l) => html`<span class="label-chip">${swatch(color(l))}${l}</span>`)}`],
    [words.t('card.date'), words.date(data.generatedAt)],
    [words.t('card.appVersion'), data.appVersion],
    [words.t('card.backend'), run.backend ?? words.t('value.none')],
    [words.t('card.snapshot'), html`<code class="hash short">${run.snapshotHash.slice(0, 12)}</code>`],
  ];
  return chapter(
    'card',
    5,
    words.t('section.card'),
    html`<div class="grid card">
<div>
<div class="block"><h3>${words.t('card.intendedUse')}</h3><p>${card.intendedUse}</p></div>
<div class="block"><h3>${words.t('card.data')}</h3><p>${card.data}</p></div>
<div class="block"><h3>${words.t('card.limitations')}</h3><ul class="limitations">${card.limitations.map((l) => html`<li>${l}</li>`)}</ul></div>
</div>
<aside class="block details"><h3>${words.t('card.details')}</h3><dl class="facts">${details.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl></aside>
</div>
<div class="block load"><h3>${words.t('card.load')}</h3><p>${words.t('card.load.hint')}</p>
<pre><code>${words.t('card.load.command')}</code></pre>
${isBaselineRun(run.kind) ? null : html`<p class="note">${words.t('card.load.tfjs')}</p>`}</div>`,
  );
}

export function renderReportHtml(data: ReportData): string {
  const words = reportWords(data.locale === 'zh-CN' ? 'zh-CN' : 'en');
  const context: ReportContext = { data, words, color: labelColors(data) };
  const title = `${data.project.name} · ${words.t('doc.meta', { run: data.run.id, model: modelName(data.run.kind, words), date: words.date(data.generatedAt) })}`;
  const body = html`<main class="report">
${titleBlock(context)}
${keyFigures(context)}
${dataSection(context)}
${trainingSection(context)}
${resultsSection(context)}
${errorsSection(context)}
${modelCard(context)}
<footer>${words.t('doc.footer', { version: data.appVersion, date: words.dateTime(data.generatedAt), hash: data.run.snapshotHash.slice(0, 12) })}</footer>
</main>`;
  return `<!doctype html>
<html lang="${words.locale === 'zh-CN' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportContentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Sentiment Studio ${escapeHtml(data.appVersion)}">
<title>${escapeHtml(title)}</title>
<style>${reportStyle}</style>
</head>
<body>
${body.html}
</body>
</html>
`;
}
