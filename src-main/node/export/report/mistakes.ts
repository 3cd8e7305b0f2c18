/**
 * The most confident mistakes, each review with its words shaded by integrated-gradients saliency
 * toward the predicted label: blue pushed toward it, orange against it (blue/orange rather than
 * green/red, so it reads for red-green colour blindness, as SaliencyText.svelte does on screen).
 */
import type { TokenAttribution } from '../../../common/evaluation';
import type { ReportMistake } from '../../../common/report';
import { swatch } from './reportParts';
import { html, join, type Markup } from './markup';
import type { Words } from './reportFormat';

const toward = [35, 104, 217];
const against = [224, 98, 26];

interface Segment {
  text: string;
  token?: { token: string; score: number | null; weight: number };
}

/** The text cut into plain runs and token spans, each token's score scaled to the review's strongest. */
export function saliencySegments(text: string, tokens: readonly TokenAttribution[]): Segment[] {
  let strongest = 0;
  for (const t of tokens) if (t.score !== null && Number.isFinite(t.score)) strongest = Math.max(strongest, Math.abs(t.score));
  const out: Segment[] = [];
  let cursor = 0;
  for (const t of tokens) {
    // Tokens come left to right without overlap (alignTokens); anything else is skipped, not drawn twice.
    if (t.start === null || t.end === null || t.start < cursor || t.end > text.length || t.end <= t.start) continue;
    if (t.start > cursor) out.push({ text: text.slice(cursor, t.start) });
    const weight = t.score === null || strongest === 0 ? 0 : t.score / strongest;
    out.push({ text: text.slice(t.start, t.end), token: { token: t.token, score: t.score, weight } });
    cursor = t.end;
  }
  if (cursor < text.length) out.push({ text: text.slice(cursor) });
  return out;
}

/** Words under 5% of the strongest stay plain, so the few that matter stand out. */
function background(weight: number): string | null {
  const strength = Math.abs(weight);
  if (strength < 0.05) return null;
  const [r, g, b] = weight > 0 ? toward : against;
  // Capped so dark text stays readable on the deepest shade, on screen and on paper.
  return `rgba(${r}, ${g}, ${b}, ${(0.1 + 0.5 * strength).toFixed(3)})`;
}

/** "+0.042", "−0.0013": two significant digits, since an undertrained model's scores are all tiny. */
export function signedScore(value: number, words: Words): string {
  const text = new Intl.NumberFormat(words.locale, { minimumSignificantDigits: 2, maximumSignificantDigits: 2 }).format(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

function highlighted(text: string, tokens: readonly TokenAttribution[], words: Words): Markup {
  return join(
    saliencySegments(text, tokens).map((segment) => {
      const token = segment.token;
      if (!token) return segment.text;
      if (token.score === null) return html`<span class="cut">${segment.text}</span>`;
      const shade = background(token.weight);
      if (!shade) return segment.text;
      const direction = words.t(token.weight > 0 ? 'errors.toward' : 'errors.against');
      return html`<mark class="${token.weight > 0 ? 'toward' : 'against'}" style="background-color: ${shade}" title="${token.token}: ${signedScore(token.score, words)} (${direction})">${segment.text}</mark>`;
    }),
  );
}

/** The words that pushed hardest either way, strongest first, each word once (its strongest occurrence). */
export function strongestTokens(tokens: readonly TokenAttribution[], count: number): (TokenAttribution & { score: number })[] {
  const seen = new Set<string>();
  return tokens
    .filter((t): t is TokenAttribution & { score: number } => t.score !== null && Number.isFinite(t.score) && t.score !== 0)
    .sort((a, b) => Math.abs(b.score) - Math.abs(a.score))
    .filter((t) => !seen.has(t.token) && Boolean(seen.add(t.token)))
    .slice(0, count);
}

function strongestWords(tokens: readonly TokenAttribution[], words: Words): Markup | null {
  const top = strongestTokens(tokens, 6);
  if (top.length === 0) return null;
  return html`<p class="strongest"><span class="strongest-title">${words.t('errors.strongest')}</span>${top.map(
    (t) => html`<span class="chip ${t.score > 0 ? 'toward' : 'against'}"><span class="word">${t.token}</span><span class="score">${signedScore(t.score, words)}</span></span>`,
  )}</p>`;
}

function mistakeCard(mistake: ReportMistake, words: Words, color: (label: string) => string, baselineRun: boolean): Markup {
  const tokens = mistake.tokens;
  const cut = tokens?.some((t) => t.score === null && t.start !== null) ?? false;
  return html`<article class="mistake">
<header><span class="mistake-id">${words.t('errors.review', { id: mistake.itemId })}</span>
<span class="outcome"><span class="tag">${words.t('errors.gold')}</span> ${swatch(color(mistake.gold))}<strong>${mistake.gold}</strong></span>
<span class="outcome"><span class="tag">${words.t('errors.predicted')}</span> ${swatch(color(mistake.predicted))}<strong>${mistake.predicted}</strong> ${words.t('errors.confidence', { confidence: words.percent(mistake.confidence) })}</span></header>
<p class="review">${tokens ? highlighted(mistake.text, tokens, words) : mistake.text}</p>
${tokens ? strongestWords(tokens, words) : html`<p class="note">${words.t(baselineRun ? 'errors.saliency.baseline' : 'errors.saliency.none')}</p>`}
${cut ? html`<p class="note">${words.t('errors.saliency.cut')}</p>` : null}
</article>`;
}

export function mistakesBlock(mistakes: readonly ReportMistake[], words: Words, color: (label: string) => string, baselineRun: boolean): Markup {
  if (mistakes.length === 0) return html`<p class="note">${words.t('errors.mistakes.none')}</p>`;
  const anySaliency = mistakes.some((m) => m.tokens !== null);
  const legend = anySaliency
    ? html`<div class="saliency-legend" role="group" aria-label="${words.t('errors.legend')}">
<span>${words.t('errors.against')}</span><span class="scale" aria-hidden="true"></span><span>${words.t('errors.toward')}</span></div>
<p class="note">${words.t('errors.saliency.note')}</p>`
    : null;
  return html`${legend}<div class="mistakes">${mistakes.map((m) => mistakeCard(m, words, color, baselineRun))}</div>`;
}
