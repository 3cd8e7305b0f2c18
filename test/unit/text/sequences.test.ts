import { describe, expect, it } from 'vitest';
import type { SequenceSide } from '../../../src-main/common/tokenizer';
import { encodeTokenLists, padSequences } from '../../../src-main/node/text/sequences';
import { Vocabulary } from '../../../src-main/node/text/vocabulary';

const sequences = [[1, 2, 3, 4, 5], [7, 8], [], [9, 9, 9]];

describe('padSequences (Keras pad_sequences semantics)', () => {
  const cases: [SequenceSide, SequenceSide, number[]][] = [
    // padding, truncating, rows of maxLen 3
    ['pre', 'pre', [3, 4, 5, 0, 7, 8, 0, 0, 0, 9, 9, 9]],
    ['pre', 'post', [1, 2, 3, 0, 7, 8, 0, 0, 0, 9, 9, 9]],
    ['post', 'pre', [3, 4, 5, 7, 8, 0, 0, 0, 0, 9, 9, 9]],
    ['post', 'post', [1, 2, 3, 7, 8, 0, 0, 0, 0, 9, 9, 9]],
  ];
  it.each(cases)('padding %s, truncating %s', (padding, truncating, expected) => {
    const { ids, lengths } = padSequences(sequences, { maxLen: 3, padding, truncating });
    expect(ids).toBeInstanceOf(Int32Array);
    expect(Array.from(ids)).toEqual(expected);
    expect(Array.from(lengths)).toEqual([3, 2, 0, 3]);
  });

  it('handles no sequences and rejects a maxLen below 1', () => {
    const { ids, lengths } = padSequences([], { maxLen: 4, padding: 'pre', truncating: 'pre' });
    expect(ids.length).toBe(0);
    expect(lengths.length).toBe(0);
    expect(() => padSequences(sequences, { maxLen: 0, padding: 'pre', truncating: 'pre' })).toThrow(/maxLen/);
  });
});

describe('encodeTokenLists', () => {
  it('maps tokens to ids (unknown to 1) and pads in one pass', () => {
    const vocab = new Vocabulary(['<pad>', '<oov>', 'good', 'film']);
    const { ids, lengths } = encodeTokenLists([['good', 'film', 'indeed'], [], ['film']], vocab, {
      maxLen: 4,
      padding: 'post',
      truncating: 'pre',
    });
    expect(Array.from(ids)).toEqual([2, 3, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0]);
    expect(Array.from(lengths)).toEqual([3, 0, 1]);
  });
});
