/**
 * Turns an explanation into what the screen draws: the original text cut into plain runs and
 * token spans (each with its score scaled to the review's strongest word), and the colour of a
 * span on a diverging scale.
 */
import type { TokenAttribution } from '@common/evaluation';

export interface Segment {
  text: string;
  /** Absent for the text between tokens and for tokens the aligner could not place. */
  token?: {
    index: number;
    token: string;
    score: number | null;
    /** score / the largest |score| of the review: −1 … 1. */
    weight: number;
  };
}

export function strongestScore(tokens: readonly TokenAttribution[]): number {
  let max = 0;
  for (const t of tokens) if (t.score !== null) max = Math.max(max, Math.abs(t.score));
  return max;
}

export function segments(text: string, tokens: readonly TokenAttribution[]): Segment[] {
  const max = strongestScore(tokens);
  const out: Segment[] = [];
  let cursor = 0;
  tokens.forEach((t, index) => {
    // alignTokens places tokens left to right without overlap; anything else is skipped defensively.
    if (t.start === null || t.end === null || t.start < cursor || t.end > text.length) return;
    if (t.start > cursor) out.push({ text: text.slice(cursor, t.start) });
    const weight = t.score === null || max === 0 ? 0 : t.score / max;
    out.push({ text: text.slice(t.start, t.end), token: { index, token: t.token, score: t.score, weight } });
    cursor = t.end;
  });
  if (cursor < text.length) out.push({ text: text.slice(cursor) });
  return out;
}

/**
 * A span's background: the toward or against colour, more opaque the stronger the word. Words
 * under 5% of the strongest stay plain so the few that matter stand out.
 */
export function spanBackground(weight: number): string | undefined {
  const strength = Math.abs(weight);
  if (strength < 0.05) return undefined;
  const colour = weight > 0 ? 'var(--saliency-toward)' : 'var(--saliency-against)';
  return `color-mix(in srgb, ${colour} ${Math.round(12 + 63 * strength)}%, transparent)`;
}

/** The words that pushed hardest either way, strongest first. */
export function strongestTokens(tokens: readonly TokenAttribution[], count: number): TokenAttribution[] {
  return tokens
    .filter((t) => t.score !== null && t.score !== 0)
    .sort((a, b) => Math.abs(b.score!) - Math.abs(a.score!))
    .slice(0, count);
}
