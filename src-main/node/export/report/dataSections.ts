/**
 * Sections 1 and 2 of the report: the data the run learned from (labels, annotators, snapshot,
 * splits) and how the model was built and trained (settings, run details, curves).
 */
import type { ReportData } from '../../../common/report';
import { html, Markup } from './markup';
import type { Words } from './reportFormat';
import { chapter, factList, shareBar, swatch, type ReportContext } from './reportParts';
import { architectureSentence, hyperparameterRows, isBaselineRun } from './reportSettings';
import { curvesChart } from './svgCharts';

/** A zero reads as a dash, so the few origins each annotator used stand out. */
function countCell(count: number, words: Words): Markup {
  return count === 0 ? html`<td class="num muted">–</td>` : html`<td class="num">${words.count(count)}</td>`;
}

/** Origins in the order an analyst meets them, then any the app adds later. */
const originOrder = ['manual', 'import', 'bulk', 'review', 'model-accepted', 'undo'];

function annotatorTable({ data, words }: ReportContext): Markup {
  const annotators = data.project.annotators;
  if (annotators.length === 0) return html`<p class="note">${words.t('data.annotators.none')}</p>`;
  const seen = new Set(annotators.flatMap((a) => Object.keys(a.byOrigin)));
  const origins = [...originOrder.filter((o) => seen.has(o)), ...[...seen].filter((o) => !originOrder.includes(o)).sort()];
  const originName = (o: string) => (originOrder.includes(o) ? words.t(`origin.${o}` as Parameters<Words['t']>[0]) : o);
  const total = (origin: string) => annotators.reduce((sum, a) => sum + (a.byOrigin[origin] ?? 0), 0);
  return html`<table class="annotators">
<thead><tr><th scope="col">${words.t('data.annotators.name')}</th>${origins.map((o) => html`<th scope="col" class="num">${originName(o)}</th>`)}<th scope="col" class="num">${words.t('data.annotators.events')}</th></tr></thead>
<tbody>${annotators.map(
    (a) => html`<tr><th scope="row">${a.annotator}</th>${origins.map((o) => countCell(a.byOrigin[o] ?? 0, words))}<td class="num strong">${words.count(a.events)}</td></tr>`,
  )}</tbody>
${annotators.length > 1 ? html`<tfoot><tr><th scope="row">${words.t('data.annotators.total')}</th>${origins.map((o) => html`<td class="num">${words.count(total(o))}</td>`)}<td class="num">${words.count(data.project.labelEvents)}</td></tr></tfoot>` : null}
</table>`;
}

function labelTable({ data, words, color }: ReportContext): Markup {
  const labels = data.project.labels;
  const total = labels.reduce((sum, l) => sum + l.count, 0);
  return html`<table class="labels">
<thead><tr><th scope="col">${words.t('data.labels.label')}</th><th scope="col" class="num">${words.t('data.labels.count')}</th><th scope="col" class="num">${words.t('data.labels.share')}</th><th scope="col" class="bar-cell"></th></tr></thead>
<tbody>${labels.map((l) => {
    const share = total > 0 ? l.count / total : 0;
    return html`<tr><th scope="row">${swatch(color(l.name))}${l.name}</th><td class="num">${words.count(l.count)}</td><td class="num">${words.percent(share)}</td><td class="bar-cell">${shareBar(share, { color: color(l.name) })}</td></tr>`;
  })}</tbody>
</table>`;
}

function snapshotBlock({ data, words }: ReportContext): Markup {
  const { run } = data;
  const sizes = run.sizes;
  const splitTotal = sizes ? sizes.train + sizes.validation + sizes.test : 0;
  const split = (key: 'train' | 'validation' | 'test', className: string) =>
    sizes
      ? html`<div class="split-row"><span class="split-dot ${className}" aria-hidden="true"></span><span>${words.t(`data.split.${key}`)}</span><span class="num">${words.count(sizes[key])}</span><span class="num muted">${words.percent(splitTotal > 0 ? sizes[key] / splitTotal : 0, 0)}</span></div>`
      : null;
  const stacked = sizes && splitTotal > 0
    ? html`<div class="split-bar" aria-hidden="true">${(['train', 'validation', 'test'] as const).map((k) => html`<span class="${k}" style="width: ${((sizes[k] / splitTotal) * 100).toFixed(2)}%"></span>`)}</div>`
    : null;
  return html`${factList([
    [words.t('data.snapshot.hash'), html`<code class="hash">${run.snapshotHash}</code>`],
    [words.t('data.snapshot.size'), words.count(run.snapshotSize)],
  ])}
${sizes ? html`${stacked}<div class="splits">${split('train', 'train')}${split('validation', 'validation')}${split('test', 'test')}</div>` : html`<p class="note">${words.t('data.split.none')}</p>`}
<p class="note">${words.t('data.snapshot.note')}</p>`;
}

export function dataSection(context: ReportContext): Markup {
  const { data, words } = context;
  const { project, run } = data;
  const lede = words.t('data.lede', {
    labelled: words.count(project.labelled),
    items: words.count(project.items),
    share: words.percent(project.items > 0 ? project.labelled / project.items : 0),
    events: words.count(project.labelEvents),
    annotators: words.plural('data.annotatorCount', project.annotators.length),
  });
  const changed =
    run.labelsChangedSince > 0
      ? html`<p class="callout warn" role="note"><strong>${words.plural('data.changed', run.labelsChangedSince)}</strong> ${words.t('data.changed.hint')}</p>`
      : null;
  return chapter(
    'data',
    1,
    words.t('section.data'),
    html`<p class="lede">${lede}</p>
${changed}
<div class="grid two">
<div class="block"><h3>${words.t('data.labels.title')}</h3>${labelTable(context)}</div>
<div class="block"><h3>${words.t('data.snapshot.title')}</h3>${snapshotBlock(context)}</div>
</div>
<div class="block"><h3>${words.t('data.annotators.title')}</h3>${annotatorTable(context)}</div>`,
  );
}

function stoppingSentence(data: ReportData, words: Words): string | null {
  const last = data.epochs.at(-1)?.epoch;
  const best = data.run.bestEpoch;
  if (last === undefined || best === null) return null;
  const params = { last: words.count(last), best: words.count(best) };
  if (data.run.stoppedEarly) return words.t('training.stoppedEarly', params);
  return best !== last ? words.t('training.restored', params) : words.t('training.ranAll', params);
}

export function trainingSection({ data, words }: ReportContext): Markup {
  const { run } = data;
  const hp = run.hyperparameters;
  const maxEpochs = typeof hp['epochs'] === 'number' ? hp['epochs'] : null;
  const lastEpoch = data.epochs.at(-1)?.epoch ?? null;
  const preset = run.preset === 'fast' || run.preset === 'textbook' || run.preset === 'accurate' ? words.t(`preset.${run.preset}`) : (run.preset ?? words.t('training.preset.none'));
  const facts: [string, string | Markup][] = [
    [words.t('training.preset'), preset],
    [words.t('training.backend'), run.backend ?? words.t('value.none')],
    [words.t('training.seed'), String(run.seed)],
    [words.t('training.started'), words.dateTime(run.startedAt)],
    [words.t('training.duration'), words.duration(run.seconds)],
  ];
  if (lastEpoch !== null) {
    facts.push([words.t('training.epochs'), maxEpochs !== null ? words.t('training.epochs.value', { done: words.count(data.epochs.length), max: words.count(maxEpochs) }) : words.count(data.epochs.length)]);
  }
  if (run.bestEpoch !== null && lastEpoch !== null) facts.push([words.t('training.kept'), words.t('training.kept.value', { epoch: words.count(run.bestEpoch) })]);
  if (run.parentRunId !== null) facts.push([words.t('training.parent'), words.t('training.parent.value', { run: run.parentRunId })]);

  const rows = hyperparameterRows(run, words);
  const chart = curvesChart(data.epochs, run.bestEpoch, words);
  const stopping = stoppingSentence(data, words);
  const curves = chart
    ? html`<figure class="block figure"><h3>${words.t('training.curves')}</h3><p class="hint">${words.t('training.curves.hint')}</p>${new Markup(chart)}${stopping ? html`<figcaption>${stopping}</figcaption>` : null}</figure>`
    : isBaselineRun(run.kind) || data.epochs.length === 0
      ? html`<p class="note">${words.t('training.curves.none')}</p>`
      : null;
  return chapter(
    'training',
    2,
    words.t('section.training'),
    html`<p class="lede">${architectureSentence(run, data.test.labels.length, words)}</p>
<div class="grid settings">
<div class="block"><h3>${words.t('training.facts')}</h3>${factList(facts)}</div>
<div class="block"><h3>${words.t('training.hyperparameters')}</h3>
<dl class="facts columns">${rows.map((r) => html`<div><dt title="${r.key}">${r.name}</dt><dd>${r.value}</dd></div>`)}</dl></div>
</div>
${curves}`,
  );
}
