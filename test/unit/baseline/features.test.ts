import { describe, expect, it } from 'vitest';
import { normalizationDefaults, segmenterDefaults } from '../../../src-main/common/tokenizer';
import { NgramTable, collectGrams } from '../../../src-main/node/baseline/ngrams';
import type { GramLists } from '../../../src-main/node/baseline/ngrams';
import { binaryCsr, documentFrequencies, selectFeatures } from '../../../src-main/node/baseline/sparse';
import { detectUnits, splitGram, unitSeparator, unitSplitter } from '../../../src-main/node/baseline/units';
import type { BaselineUnits } from '../../../src-main/common/baseline';

const settings = { normalization: normalizationDefaults, segmenter: segmenterDefaults };

function gramsOf(texts: string[], units: BaselineUnits, range: [number, number]): { table: NgramTable; lists: GramLists; rows: string[][] } {
  const table = new NgramTable();
  const lists = collectGrams(table, texts, unitSplitter(units, settings), range, true);
  const rows = texts.map((_, i) => Array.from(lists.grams.subarray(lists.offsets[i], lists.offsets[i + 1]), (g) => table.gramText(g, unitSeparator(units))));
  return { table, lists, rows };
}

describe('baseline features', () => {
  it('takes word 1- and 2-grams from the project tokenizer, each once per text (binarised)', () => {
    const { rows } = gramsOf(['Good movie, GOOD movie!', 'Not good.'], 'words', [1, 2]);
    expect(rows[0]).toEqual(['good', 'movie', ',', '!', 'good movie', 'movie ,', ', good', 'movie !']);
    expect(rows[1]).toEqual(['not', 'good', '.', 'not good', 'good .']);
  });

  it('takes character 1- to 3-grams of Chinese text, whitespace folded to one space', () => {
    const { rows } = gramsOf(['很好很好', '不  好'], 'characters', [1, 3]);
    expect(rows[0]).toEqual(['很', '好', '很好', '好很', '很好很', '好很好']);
    expect(rows[1]).toEqual(['不', ' ', '好', '不 ', ' 好', '不 好']);
    // Full-width letters are folded by NFKC, as the tokenizer does.
    expect(unitSplitter('characters', settings)('ＡＢ 好')).toEqual(['a', 'b', ' ', '好']);
  });

  it('splits a vocabulary entry back into its units', () => {
    expect(splitGram('good movie', 'words')).toEqual(['good', 'movie']);
    expect(splitGram('不 好', 'characters')).toEqual(['不', ' ', '好']);
    expect(splitGram('😀好', 'characters')).toEqual(['😀', '好']);
  });

  it('keeps n-grams found in at least minCount training texts, counting each text once', () => {
    const { table, lists } = gramsOf(['bad bad bad', 'bad film', 'good film'], 'words', [1, 2]);
    const df = documentFrequencies(lists, null, table.size);
    const text = (g: number) => table.gramText(g, ' ');
    const counts = Object.fromEntries(Array.from(df, (count, g) => [text(g), count]));
    expect(counts).toEqual({ bad: 2, 'bad bad': 1, film: 2, 'bad film': 1, good: 1, 'good film': 1 });
    const { gramOf, columnOf } = selectFeatures(df, 2);
    expect(Array.from(gramOf, text)).toEqual(['bad', 'film']);
    const matrix = binaryCsr(lists, null, columnOf, gramOf.length);
    expect(Array.from(matrix.indptr)).toEqual([0, 1, 3, 4]);
    expect(Array.from(matrix.indices)).toEqual([0, 0, 1, 1]);
    // Only the listed rows (a held-out split) count.
    const heldIn = documentFrequencies(lists, Int32Array.of(2), table.size);
    expect(Array.from(heldIn, (count, g) => (count > 0 ? text(g) : null)).filter(Boolean)).toEqual(['film', 'good', 'good film']);
  });

  it('looks up texts without adding their unseen units or n-grams', () => {
    const table = new NgramTable();
    const split = unitSplitter('words', settings);
    collectGrams(table, ['good film'], split, [1, 2], true);
    const size = table.size;
    const lists = collectGrams(table, ['good new film', 'film good'], split, [1, 2], false);
    expect(table.size).toBe(size);
    expect(Array.from(lists.grams, (g) => table.gramText(g, ' '))).toEqual(['good', 'film', 'film', 'good']);
  });

  it('keeps n-gram ids stable while the table grows', () => {
    const table = new NgramTable();
    const units = new Int32Array(3);
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) {
      units.set([i % 97, i % 89, i % 83]);
      ids.push(table.gramId(units, 0, 1 + (i % 3), true));
    }
    for (let i = 0; i < 5000; i++) {
      units.set([i % 97, i % 89, i % 83]);
      expect(table.gramId(units, 0, 1 + (i % 3), false)).toBe(ids[i]);
    }
    units.set([1, 2, 3]);
    expect(table.gramId(units, 0, 3, false)).toBe(-1);
  });

  it('uses characters for Chinese and Japanese, words for space-separated and Thai text', () => {
    expect(detectUnits(['这家酒店很好，服务周到。', '房间太小了'])).toBe('characters');
    expect(detectUnits(['このホテルはとても良かった'])).toBe('characters');
    expect(detectUnits(['The room was great', 'Das Zimmer war gut'])).toBe('words');
    expect(detectUnits(['ห้องพักดีมาก'])).toBe('words');
    expect(detectUnits([''])).toBe('words');
  });
});
