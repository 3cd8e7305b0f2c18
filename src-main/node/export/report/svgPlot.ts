/**
 * The few pieces every report chart is made of: linear scales with round ticks, a plot frame
 * with grid, axes and axis titles, polylines and a legend. Plain SVG strings with presentation
 * attributes (no style attributes, no scripts), so a chart survives printing and a strict CSP.
 */
import { escapeHtml } from './markup';

export const chartColors = {
  ink: '#1d232b',
  muted: '#5b6572',
  grid: '#e4e7ec',
  axis: '#9aa3b1',
  /** The model's own series: validation curve, ROC curve, accuracy bars. */
  model: '#2f5fc4',
  modelFill: '#2f5fc4',
  /** Secondary series (training curve) and reference lines. */
  secondary: '#8b95a3',
  /** Where the model falls short: the calibration gap, weak slices, words against a prediction. */
  warn: '#d9661f',
} as const;

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Scale {
  domain: [number, number];
  ticks: number[];
  format(value: number): string;
  /** Domain value to pixel. */
  at(value: number): number;
}

/** Round tick values (1, 2, 2.5 or 5 times a power of ten) covering [min, max]. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  // Rounded to the step's precision so 0.30000000000000004 prints as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toFixed(digits)));
  return ticks;
}

export function linearScale(domain: [number, number], range: [number, number], ticks: number[], format: (v: number) => string): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return { domain, ticks, format, at: (v) => r0 + ((v - d0) / span) * (r1 - r0) };
}

const round = (v: number) => Math.round(v * 10) / 10;

export function text(x: number, y: number, content: string, options: { anchor?: 'start' | 'middle' | 'end'; size?: number; color?: string; weight?: number; rotate?: boolean } = {}): string {
  const { anchor = 'start', size = 12, color = chartColors.muted, weight, rotate } = options;
  const transform = rotate ? ` transform="rotate(-90 ${round(x)} ${round(y)})"` : '';
  const bold = weight ? ` font-weight="${weight}"` : '';
  return `<text x="${round(x)}" y="${round(y)}" font-size="${size}" fill="${color}" text-anchor="${anchor}"${bold}${transform}>${escapeHtml(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, color: string, options: { width?: number; dash?: string } = {}): string {
  const dash = options.dash ? ` stroke-dasharray="${options.dash}"` : '';
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${color}" stroke-width="${options.width ?? 1}"${dash}/>`;
}

export function polyline(points: [number, number][], color: string, options: { width?: number; dash?: string } = {}): string {
  if (points.length === 0) return '';
  const dash = options.dash ? ` stroke-dasharray="${options.dash}"` : '';
  const d = points.map(([x, y]) => `${round(x)},${round(y)}`).join(' ');
  return `<polyline points="${d}" fill="none" stroke="${color}" stroke-width="${options.width ?? 2}" stroke-linejoin="round" stroke-linecap="round"${dash}/>`;
}

export function dot(x: number, y: number, color: string, radius = 3, hollow = false): string {
  const fill = hollow ? '#ffffff' : color;
  return `<circle cx="${round(x)}" cy="${round(y)}" r="${radius}" fill="${fill}" stroke="${color}" stroke-width="1.5"/>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, options: { opacity?: number; stroke?: string } = {}): string {
  const opacity = options.opacity !== undefined ? ` fill-opacity="${options.opacity}"` : '';
  const stroke = options.stroke ? ` stroke="${options.stroke}" stroke-width="1"` : '';
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(0, width))}" height="${round(Math.max(0, height))}" fill="${fill}"${opacity}${stroke}/>`;
}

/**
 * Grid lines at the ticks, the two axes, tick labels and the axis titles. The y title runs up the
 * left edge, outside the tick labels.
 */
export function plotFrame(box: Box, x: Scale, y: Scale, titles: { x: string; y: string }): string {
  const parts: string[] = [];
  const bottom = box.top + box.height;
  const right = box.left + box.width;
  for (const tick of y.ticks) {
    const py = y.at(tick);
    parts.push(line(box.left, py, right, py, chartColors.grid));
    parts.push(text(box.left - 6, py + 3.5, y.format(tick), { anchor: 'end', size: 11 }));
  }
  for (const tick of x.ticks) {
    const px = x.at(tick);
    parts.push(line(px, box.top, px, bottom, chartColors.grid));
    parts.push(text(px, bottom + 15, x.format(tick), { anchor: 'middle', size: 11 }));
  }
  parts.push(line(box.left, bottom, right, bottom, chartColors.axis));
  parts.push(line(box.left, box.top, box.left, bottom, chartColors.axis));
  parts.push(text(box.left + box.width / 2, bottom + 34, titles.x, { anchor: 'middle', color: chartColors.ink }));
  parts.push(text(box.left - 42, box.top + box.height / 2, titles.y, { anchor: 'middle', color: chartColors.ink, rotate: true }));
  return parts.join('');
}

export interface LegendEntry {
  label: string;
  color: string;
  kind: 'line' | 'dashed' | 'box' | 'dot';
}

/** A row of swatches and labels starting at (x, y); `width` estimates text for the spacing. */
export function legend(x: number, y: number, entries: LegendEntry[], charWidth = 6.8): string {
  const parts: string[] = [];
  let cursor = x;
  for (const entry of entries) {
    if (entry.kind === 'box') parts.push(rect(cursor, y - 8, 14, 10, entry.color, { opacity: 0.85 }));
    else if (entry.kind === 'dot') parts.push(dot(cursor + 7, y - 3, entry.color, 3.5));
    else parts.push(line(cursor, y - 3, cursor + 16, y - 3, entry.color, { width: 2, dash: entry.kind === 'dashed' ? '4 3' : undefined }));
    parts.push(text(cursor + 21, y + 1, entry.label, { color: chartColors.ink }));
    cursor += 21 + textWidth(entry.label, charWidth) + 18;
  }
  return parts.join('');
}

/** Han characters are about twice as wide as Latin letters at the same size. */
export function textWidth(value: string, charWidth = 6.8): number {
  let width = 0;
  for (const c of value) width += /[\u2e80-\u9fff\uff00-\uffef]/.test(c) ? charWidth * 1.8 : charWidth;
  return width;
}

/**
 * An inline SVG that scales to its container; `label` is what a screen reader announces. Inline
 * SVG in HTML needs no xmlns, which keeps the file free of any URL.
 */
export function svg(width: number, height: number, label: string, body: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(label)}">` +
    `<title>${escapeHtml(label)}</title>${body}</svg>`
  );
}
