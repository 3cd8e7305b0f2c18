/**
 * The report's three charts as inline SVG: training curves (loss and accuracy per epoch, with the
 * epoch whose weights were kept), the ROC curve of a two-label run, and the reliability diagram.
 */
import type { ReliabilityBin } from '../../../common/metrics';
import type { EpochMetrics } from '../../../common/trainer';
import type { Words } from './reportFormat';
import { chartColors, dot, legend, line, linearScale, niceTicks, plotFrame, polyline, rect, svg, text, textWidth, type Box, type LegendEntry, type Scale } from './svgPlot';

function epochScale(epochs: EpochMetrics[], box: Box, words: Words): Scale {
  const last = epochs.at(-1)!.epoch;
  const first = epochs[0]!.epoch;
  const domain: [number, number] = first === last ? [first - 0.5, last + 0.5] : [first, last];
  const step = Math.max(1, Math.ceil((last - first + 1) / 10));
  const ticks: number[] = [];
  for (let e = first; e <= last; e += step) ticks.push(e);
  return linearScale(domain, [box.left, box.left + box.width], ticks, (v) => words.count(v));
}

interface Panel {
  title: string;
  train: (e: EpochMetrics) => number | null;
  validation: (e: EpochMetrics) => number | null;
  format: (v: number) => string;
  /** Loss starts at 0 so its drop reads honestly; accuracy zooms to where the values are. */
  zeroBased: boolean;
  ceiling?: number;
}

function panel(epochs: EpochMetrics[], box: Box, spec: Panel, kept: number | null, words: Words): string {
  const values = epochs.flatMap((e) => [spec.train(e), spec.validation(e)]).filter((v): v is number => v !== null && Number.isFinite(v));
  // A diverged run can leave no finite value to scale by; an empty unit frame still reads as "no data".
  if (values.length === 0) values.push(0, 1);
  let low = spec.zeroBased ? 0 : Math.min(...values);
  let high = Math.max(...values);
  const pad = (high - low || Math.abs(high) || 1) * 0.08;
  if (!spec.zeroBased) low = Math.max(0, low - pad);
  high = spec.ceiling !== undefined ? Math.min(spec.ceiling, high + pad) : high + pad;
  const ticks = niceTicks(low, high, 4);
  const domain: [number, number] = [Math.min(low, ticks[0]!), Math.max(high, ticks.at(-1)!)];
  const y = linearScale(domain, [box.top + box.height, box.top], ticks, spec.format);
  const x = epochScale(epochs, box, words);
  const series = (pick: (e: EpochMetrics) => number | null) =>
    epochs.flatMap((e): [number, number][] => {
      const v = pick(e);
      return v === null || !Number.isFinite(v) ? [] : [[x.at(e.epoch), y.at(v)]];
    });
  const train = series(spec.train);
  const validation = series(spec.validation);
  const parts = [text(box.left, box.top - 10, spec.title, { color: chartColors.ink, weight: 600, size: 13 }), plotFrame(box, x, y, { x: words.t('chart.epoch'), y: spec.title })];
  const keptEpoch = kept === null ? undefined : epochs.find((e) => e.epoch === kept);
  if (keptEpoch) {
    const px = x.at(keptEpoch.epoch);
    parts.push(line(px, box.top, px, box.top + box.height, chartColors.warn, { dash: '3 3' }));
    parts.push(text(px + 4, box.top + 12, words.t('chart.kept'), { color: chartColors.warn, size: 11 }));
  }
  parts.push(polyline(train, chartColors.secondary, { dash: '5 3' }));
  parts.push(polyline(validation, chartColors.model, { width: 2.25 }));
  for (const [px, py] of train) parts.push(dot(px, py, chartColors.secondary, 2.5, true));
  for (const [px, py] of validation) parts.push(dot(px, py, chartColors.model, 3));
  if (keptEpoch) {
    const v = spec.validation(keptEpoch) ?? spec.train(keptEpoch);
    if (v !== null) parts.push(`<circle cx="${x.at(keptEpoch.epoch)}" cy="${y.at(v)}" r="6" fill="none" stroke="${chartColors.warn}" stroke-width="2"/>`);
  }
  return parts.join('');
}

/** Loss and accuracy side by side; null when the run has no epochs (a baseline). */
export function curvesChart(epochs: EpochMetrics[], keptEpoch: number | null, words: Words): string | null {
  if (epochs.length === 0) return null;
  const width = 820;
  const height = 300;
  const hasValidation = epochs.some((e) => e.valLoss !== null || e.valAccuracy !== null);
  const entries = [
    { label: words.t('chart.training'), color: chartColors.secondary, kind: 'dashed' as const },
    ...(hasValidation ? [{ label: words.t('chart.validation'), color: chartColors.model, kind: 'line' as const }] : []),
  ];
  const panelWidth = 318;
  const left: Box = { left: 64, top: 48, width: panelWidth, height: 196 };
  const right: Box = { left: 64 + panelWidth + 100, top: 48, width: panelWidth, height: 196 };
  const body = [
    legend(64, 14, entries),
    panel(epochs, left, { title: words.t('chart.loss'), train: (e) => e.loss, validation: (e) => e.valLoss, format: (v) => words.decimal(v, 2), zeroBased: true }, keptEpoch, words),
    panel(
      epochs,
      right,
      { title: words.t('chart.accuracy'), train: (e) => e.accuracy, validation: (e) => e.valAccuracy, format: (v) => words.percent(v, 0), zeroBased: false, ceiling: 1 },
      keptEpoch,
      words,
    ),
  ].join('');
  return svg(width, height, words.t('chart.curves.label'), body);
}

const unitTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];

function unitFrame(words: Words, titles: { x: string; y: string }): { box: Box; x: Scale; y: Scale; frame: string } {
  const box: Box = { left: 58, top: 16, width: 250, height: 250 };
  const fmt = (v: number) => words.decimal(v, 1);
  const x = linearScale([0, 1], [box.left, box.left + box.width], unitTicks, fmt);
  const y = linearScale([0, 1], [box.top + box.height, box.top], unitTicks, fmt);
  return { box, x, y, frame: plotFrame(box, x, y, titles) };
}

/**
 * Keeps a point when it moved visibly from the last one kept: a 25,000-review ROC curve has
 * 25,000 points, which would bloat the file without changing a pixel.
 */
export function thinCurve(xs: readonly number[], ys: readonly number[], resolution = 0.002): [number, number][] {
  const out: [number, number][] = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const point: [number, number] = [xs[i]!, ys[i]!];
    const last = out.at(-1);
    if (!last || i === n - 1 || Math.abs(point[0] - last[0]) >= resolution || Math.abs(point[1] - last[1]) >= resolution) out.push(point);
  }
  return out;
}

export function rocChart(roc: { fpr: number[]; tpr: number[]; auc: number }, runId: number, words: Words): string {
  const { box, x, y, frame } = unitFrame(words, { x: words.t('results.roc.fpr'), y: words.t('results.roc.tpr') });
  const points = thinCurve(roc.fpr, roc.tpr).map(([f, t]): [number, number] => [x.at(f), y.at(t)]);
  const bottom = box.top + box.height;
  const area = points.length > 0 ? `<polygon points="${[...points, [x.at(1), bottom], [x.at(0), bottom]].map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}" fill="${chartColors.modelFill}" fill-opacity="0.08"/>` : '';
  const model = words.t('results.roc.model', { run: runId, auc: words.decimal(roc.auc) });
  const body = [
    frame,
    area,
    line(x.at(0), y.at(0), x.at(1), y.at(1), chartColors.secondary, { dash: '4 4' }),
    polyline(points, chartColors.model, { width: 2.25 }),
    legendBox(box.left + box.width - 8, bottom - 8, 'bottom-right', [
      { label: model, color: chartColors.model, kind: 'line' },
      { label: words.t('results.roc.chance'), color: chartColors.secondary, kind: 'dashed' },
    ]),
  ].join('');
  return svg(320, 310, `${words.t('results.roc')}: ${model}`, body);
}

/** A legend stacked in a white box anchored at a corner of the plot, sized to its longest label. */
function legendBox(x: number, y: number, corner: 'top-left' | 'bottom-right', entries: LegendEntry[]): string {
  const width = 21 + Math.max(...entries.map((e) => textWidth(e.label))) + 14;
  const height = entries.length * 18 + 10;
  const left = corner === 'top-left' ? x : x - width;
  const top = corner === 'top-left' ? y : y - height;
  return rect(left, top, width, height, '#ffffff', { opacity: 0.92 }) + entries.map((entry, i) => legend(left + 7, top + 19 + i * 18, [entry])).join('');
}

export function reliabilityChart(bins: ReliabilityBin[], ece: number, words: Words): string {
  const { box, x, y, frame } = unitFrame(words, { x: words.t('results.calibration.confidence'), y: words.t('results.calibration.accuracy') });
  const bottom = box.top + box.height;
  const parts = [frame];
  for (const bin of bins) {
    if (bin.count === 0) continue;
    const left = x.at(bin.lower) + 1.5;
    const width = x.at(bin.upper) - x.at(bin.lower) - 3;
    const top = y.at(bin.accuracy);
    parts.push(rect(left, top, width, bottom - top, chartColors.model, { opacity: 0.8 }));
    // The gap between what the model claimed and what it achieved, above or below the bar.
    const claimed = y.at(bin.meanConfidence);
    if (Math.abs(claimed - top) >= 0.5) parts.push(rect(left, Math.min(claimed, top), width, Math.abs(claimed - top), chartColors.warn, { opacity: 0.3, stroke: chartColors.warn }));
  }
  parts.push(line(x.at(0), y.at(0), x.at(1), y.at(1), chartColors.secondary, { dash: '4 4', width: 1.25 }));
  parts.push(
    legendBox(box.left + 6, box.top + 6, 'top-left', [
      { label: words.t('results.calibration.bars'), color: chartColors.model, kind: 'box' },
      { label: words.t('results.calibration.gap'), color: chartColors.warn, kind: 'box' },
      { label: words.t('results.calibration.perfect'), color: chartColors.secondary, kind: 'dashed' },
    ]),
  );
  return svg(320, 310, `${words.t('results.calibration')}: ECE ${words.decimal(ece)}`, parts.join(''));
}
