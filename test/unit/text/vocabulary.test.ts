import { describe, expect, it } from 'vitest';
import { Vocabulary, countTokens } from '../../../src-main/node/text/vocabulary';

const lists = [
  ['good', 'film', 'good', 'b'],
  ['bad', 'film', 'a', 'good'],
  ['B', 'a', 'b', 'rare'],
];

describe('Vocabulary.build', () => {
  it('puts <pad> at 0, <oov> at 1, then tokens by falling count with ties in code-unit order', () => {
    const vocab = Vocabulary.build(lists, { maxSize: 100, minCount: 1 });
    // good 3; film, a, b 2 each (a < b < film); B, bad, rare 1 each ('B' sorts before 'b' by code unit).
    expect(vocab.tokens).toEqual(['<pad>', '<oov>', 'good', 'a', 'b', 'film', 'B', 'bad', 'rare']);
    expect(vocab.size).toBe(9);
  });

  it('orders ties by code unit, not by locale', () => {
    const vocab = Vocabulary.build([['é', 'z', 'Z', 'a']], { maxSize: 10, minCount: 1 });
    expect(vocab.tokens.slice(2)).toEqual(['Z', 'a', 'z', 'é']);
  });

  it('drops tokens seen fewer than minCount times', () => {
    const vocab = Vocabulary.build(lists, { maxSize: 100, minCount: 2 });
    expect(vocab.tokens).toEqual(['<pad>', '<oov>', 'good', 'a', 'b', 'film']);
    expect(vocab.has('rare')).toBe(false);
  });

  it('counts <pad> and <oov> in maxSize', () => {
    expect(Vocabulary.build(lists, { maxSize: 4, minCount: 1 }).tokens).toEqual(['<pad>', '<oov>', 'good', 'a']);
    expect(Vocabulary.build(lists, { maxSize: 2, minCount: 1 }).tokens).toEqual(['<pad>', '<oov>']);
    expect(() => Vocabulary.build(lists, { maxSize: 1, minCount: 1 })).toThrow(/at least 2/);
  });

  it('only knows tokens from the lists it was given; unknown tokens map to <oov>', () => {
    const vocab = Vocabulary.build([['train', 'only']], { maxSize: 10, minCount: 1 });
    expect(vocab.idOf('train')).toBe(vocab.tokens.indexOf('train'));
    expect(vocab.idOf('test')).toBe(1);
    expect(vocab.idOf('<pad>')).toBe(0);
  });

  it('never counts the reserved tokens as real ones', () => {
    const vocab = Vocabulary.build([['<pad>', '<oov>', '<oov>', 'x']], { maxSize: 10, minCount: 1 });
    expect(vocab.tokens).toEqual(['<pad>', '<oov>', 'x']);
  });

  it('is the same whatever the order of the lists', () => {
    const a = Vocabulary.build(lists, { maxSize: 100, minCount: 1 });
    const b = Vocabulary.build([...lists].reverse().map((l) => [...l].reverse()), { maxSize: 100, minCount: 1 });
    expect(b.tokens).toEqual(a.tokens);
  });
});

describe('Vocabulary', () => {
  it('rejects a token table without the reserved entries or with duplicates', () => {
    expect(() => new Vocabulary(['a', '<oov>'])).toThrow(/starts with '<pad>'/);
    expect(() => new Vocabulary(['<pad>', '<oov>', 'x', 'x'])).toThrow(/'x' appears twice/);
  });

  it('counts tokens into an existing map', () => {
    const counts = countTokens([['a', 'b']]);
    countTokens([['a']], counts);
    expect([...counts]).toEqual([['a', 2], ['b', 1]]);
  });
});
