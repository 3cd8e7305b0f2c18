/**
 * What every section of the report is built from: the data with its words and label colours, the
 * numbered chapter frame, label swatches, share bars and label/value lists.
 */
import type { ReportData } from '../../../common/report';
import { html, type Markup } from './markup';
import type { Words } from './reportFormat';

export interface ReportContext {
  data: ReportData;
  words: Words;
  /** A label's swatch colour, validated (markup.safeColor) or from the fallback palette. */
  color(label: string): string;
}

export function chapter(id: string, number: number, title: string, body: Markup): Markup {
  return html`<section class="chapter" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title"><span class="num">${number}</span>${title}</h2>
${body}
</section>`;
}

export function swatch(color: string): Markup {
  return html`<span class="swatch" style="background-color: ${color}" aria-hidden="true"></span>`;
}

/** A horizontal bar for a share (0–1); `marker` draws a thin line at a reference share. */
export function shareBar(share: number, options: { weak?: boolean; color?: string; marker?: number } = {}): Markup {
  const width = `${(Math.max(0, Math.min(1, share)) * 100).toFixed(1)}%`;
  const fill = options.color ? `; background-color: ${options.color}` : '';
  const marker = options.marker === undefined ? null : html`<span class="marker" style="left: ${(options.marker * 100).toFixed(1)}%"></span>`;
  return html`<span class="bar${options.weak ? ' weak' : ''}" aria-hidden="true"><span style="width: ${width}${fill}"></span>${marker}</span>`;
}

export function factList(rows: [string, string | Markup][]): Markup {
  return html`<dl class="facts">${rows.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>`;
}
