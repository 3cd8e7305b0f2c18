/**
 * The Evaluate screen's pure parts: cutting a review into highlighted spans from an explanation
 * (the text must come back whole, whatever the aligner could or could not place), the colour
 * scale, and what a key press means in the error list.
 */
import { describe, expect, it } from 'vitest';
import { alignTokens, type TokenAttribution } from '@common/evaluation';
import { labelSetPresets } from '@common/labels';
import { segments, spanBackground, strongestTokens } from '../../../src-renderer/src/components/evaluate/saliency';
import { listKey } from '../../../src-renderer/src/components/evaluate/listKeys';

function attributions(text: string, tokens: string[], scores: (number | null)[]): TokenAttribution[] {
  return alignTokens(text, tokens).map((span, i) => ({ token: tokens[i]!, score: scores[i]!, ...span }));
}

describe('saliency segments', () => {
  it('covers the whole text, with each placed token as a span scaled to the strongest word', () => {
    const text = 'Not GOOD at all… really!';
    const tokens = attributions(text, ['not', 'good', 'at', 'all', '...', 'really', '!'], [-0.4, 0.8, 0, null, 0.1, -0.2, 0.05]);
    const parts = segments(text, tokens);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    const good = parts.find((p) => p.token?.token === 'good')!;
    expect(good.text).toBe('GOOD');
    expect(good.token!.weight).toBe(1);
    expect(parts.find((p) => p.token?.token === 'not')!.token!.weight).toBeCloseTo(-0.5, 9);
    // "..." was normalised from "…": not found in the text, so no span, and the text stays intact.
    expect(parts.some((p) => p.token?.token === '...')).toBe(false);
    // Cut off by maxLen: a span without a score.
    expect(parts.find((p) => p.token?.token === 'all')!.token!.score).toBeNull();
  });

  it('draws nothing for an all-zero explanation and keeps a text without tokens whole', () => {
    expect(segments('meh', attributions('meh', ['meh'], [0]))[0]!.token!.weight).toBe(0);
    expect(segments('just text', [])).toEqual([{ text: 'just text' }]);
  });

  it('shades toward and against on two scales, and leaves faint words plain', () => {
    expect(spanBackground(0.01)).toBeUndefined();
    expect(spanBackground(1)).toBe('color-mix(in srgb, var(--saliency-toward) 75%, transparent)');
    expect(spanBackground(-0.5)).toContain('var(--saliency-against)');
  });

  it('ranks the strongest words either way', () => {
    const tokens = attributions('a b c d', ['a', 'b', 'c', 'd'], [0.1, -0.9, null, 0.5]);
    expect(strongestTokens(tokens, 2).map((t) => t.token)).toEqual(['b', 'd']);
  });
});

describe('error list keys', () => {
  const press = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    listKey({ key, ctrlKey: false, metaKey: false, altKey: false, ...modifiers }, labelSetPresets.binary);

  it('moves, relabels, confirms, explains, opens and undoes', () => {
    expect(press('j')).toEqual({ kind: 'move', step: 1 });
    expect(press('ArrowUp')).toEqual({ kind: 'move', step: -1 });
    expect(press('2')).toEqual({ kind: 'label', label: 'negative' });
    expect(press('c')).toEqual({ kind: 'confirm' });
    expect(press('E')).toEqual({ kind: 'explain' });
    expect(press('Enter')).toEqual({ kind: 'details' });
    expect(press('z', { ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(press('c', { ctrlKey: true })).toBeNull();
    expect(press('9')).toBeNull();
  });

  it('lets a label that claims a list letter win', () => {
    const labels = [
      { name: 'complaint', key: 'c', color: '#d1453b' },
      { name: 'praise', key: 'p', color: '#2e9d57' },
    ];
    expect(listKey({ key: 'c', ctrlKey: false, metaKey: false, altKey: false }, labels)).toEqual({ kind: 'label', label: 'complaint' });
    expect(listKey({ key: '2', ctrlKey: false, metaKey: false, altKey: false }, labels)).toEqual({ kind: 'label', label: 'praise' });
  });
});
