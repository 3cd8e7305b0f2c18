import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../src-main/common/errors';
import { normalizationSchema, tokenizerDefaults, tokenizerJsonSchema } from '../../../src-main/common/tokenizer';
import type { TokenizerJson } from '../../../src-main/common/tokenizer';
import { Tokenizer } from '../../../src-main/node/text/tokenizer';

const train = ['Good film, good cast!', 'Bad film.', "It isn't good", 'good good bad'];

function errorOf(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('Tokenizer', () => {
  it('starts from the shared defaults', () => {
    const tokenizer = new Tokenizer();
    expect(tokenizer.options).toEqual(tokenizerDefaults);
    expect(tokenizer.options).toMatchObject({ vocabSize: 20_000, minCount: 2, maxLen: 200, padding: 'pre', truncating: 'pre', lowercase: true });
    expect(tokenizer.vocabulary.tokens).toEqual(['<pad>', '<oov>']);
  });

  it('takes every normalisation option of the shared schema, and only those, into tokenizer.json', () => {
    const names = Object.keys(normalizationSchema.shape) as Array<keyof typeof normalizationSchema.shape>;
    expect(Object.keys(new Tokenizer().toJSON().normalization).sort()).toEqual([...names].sort());
    for (const name of names) {
      const flipped = !tokenizerDefaults[name];
      expect(new Tokenizer({ [name]: flipped }).toJSON().normalization[name], name).toBe(flipped);
    }
  });

  it('keeps a word with a soft hyphen as one token', () => {
    const tokenizer = new Tokenizer();
    expect(tokenizer.tokenize('Great co\u00ADoperation, co&shy;operation!')).toEqual(['great', 'cooperation', ',', 'cooperation', '!']);
  });

  it('fits a vocabulary on texts and encodes them', () => {
    const tokenizer = new Tokenizer({ minCount: 2, maxLen: 4 }).fit(train);
    // good 5, film 2, bad 2; everything else once.
    expect(tokenizer.vocabulary.tokens).toEqual(['<pad>', '<oov>', 'good', 'bad', 'film']);
    const { ids, lengths } = tokenizer.encode(['Good film, good cast!', 'bad', '', 'unknown words only here']);
    expect(Array.from(ids)).toEqual([
      // 'good film , good cast !' is 6 tokens: truncating 'pre' keeps the last 4
      1, 2, 1, 1,
      // padding 'pre'
      0, 0, 0, 3,
      0, 0, 0, 0,
      1, 1, 1, 1,
    ]);
    expect(Array.from(lengths)).toEqual([4, 1, 0, 4]);
  });

  it('encodes token lists the same as texts, and builds from token lists', () => {
    const tokenizer = new Tokenizer({ minCount: 1, maxLen: 6, padding: 'post' });
    const lists = train.map((text) => tokenizer.tokenize(text));
    tokenizer.fitTokenLists(lists);
    expect(tokenizer.encodeTokenLists(lists)).toEqual(tokenizer.encode(train));
    expect(Tokenizer.fromTokenLists(lists, { minCount: 1 }).vocabulary.tokens).toEqual(tokenizer.vocabulary.tokens);
    expect(new Tokenizer({ minCount: 1 }).fit(train).vocabulary.tokens).toEqual(tokenizer.vocabulary.tokens);
  });

  it('limits the vocabulary to vocabSize entries including <pad> and <oov>', () => {
    const tokenizer = new Tokenizer({ vocabSize: 4, minCount: 1 }).fit(train);
    expect(tokenizer.vocabulary.tokens).toEqual(['<pad>', '<oov>', 'good', 'bad']);
  });

  it('reports token lengths against its maxLen', () => {
    const tokenizer = new Tokenizer({ maxLen: 3 });
    expect(Array.from(tokenizer.tokenCounts(['a b c d', 'a', '']))).toEqual([4, 1, 0]);
    expect(tokenizer.lengthStats(['a b c d', 'a', '', 'a b'])).toMatchObject({ count: 4, max: 4, p50: 1.5, truncatedShare: 0.25 });
  });

  it('rejects options out of range, naming the option', () => {
    expect(errorOf(() => new Tokenizer({ maxLen: 0 })).message).toMatch(/^tokenizer options: maxLen: /);
    expect(errorOf(() => new Tokenizer({ padding: 'middle' as 'pre' })).message).toMatch(/padding: expected 'pre' or 'post'/);
    expect(errorOf(() => new Tokenizer({ vocabSize: 2 })).message).toMatch(/vocabSize: .*<pad> and <oov>/);
  });
});

describe('tokenizer.json', () => {
  const probes = [
    "I didn't like it... at ALL!!! <br />Visit http://x.org &amp; @fan",
    '酒店位置不错，就是隔音太差了。',
    'ホテルの部屋は狭いけど、きれいでした',
    'อาหารอร่อยมาก 👍🏽 👨‍👩‍👧',
    '',
    'words never seen in training',
  ];
  const fitted = new Tokenizer({ minCount: 1, maxLen: 8, padding: 'post', truncating: 'post', lowercase: false }).fit([...train, ...probes.slice(0, 4)]);

  it('has the documented shape', () => {
    const json = fitted.toJSON();
    expect(json).toMatchObject({
      format: 'sentiment-studio-tokenizer',
      version: 1,
      normalization: { nfkc: true, lowercase: false, stripHtml: true, decodeEntities: true, foldUrls: true, foldMentions: true },
      maxLen: 8,
      padding: 'post',
      truncating: 'post',
      oovIndex: 1,
      padIndex: 0,
      segmenter: { scheme: 'sentiment-studio-words-1', locales: { han: 'zh', kana: 'ja', thai: 'th' }, punctuationRunMax: 3 },
    });
    expect(json.vocabulary.slice(0, 2)).toEqual(['<pad>', '<oov>']);
    expect(json.vocabulary).toContain('<url>');
    expect(json.vocabulary).toContain('<user>');
    expect(tokenizerJsonSchema.safeParse(json).success).toBe(true);
  });

  it('tokenizes and encodes exactly the same after a JSON round trip', () => {
    const restored = Tokenizer.fromJSON(JSON.parse(JSON.stringify(fitted)));
    for (const text of probes) expect(restored.tokenize(text)).toEqual(fitted.tokenize(text));
    expect(restored.encode(probes)).toEqual(fitted.encode(probes));
    expect(restored.toJSON()).toEqual(fitted.toJSON());
    expect(restored.options).toEqual(fitted.options);
  });

  function broken(change: (json: Record<string, unknown>) => void): Record<string, unknown> {
    const json = JSON.parse(JSON.stringify(fitted)) as Record<string, unknown>;
    change(json);
    return json;
  }

  it.each<[string, (json: Record<string, unknown>) => void, RegExp]>([
    ['a negative maxLen', (j) => (j.maxLen = -5), /maxLen: /],
    ['a missing padding', (j) => delete j.padding, /padding: /],
    ['a wrong truncating side', (j) => (j.truncating = 'end'), /truncating: expected 'pre' or 'post'/],
    ['another format', (j) => (j.format = 'keras-tokenizer'), /format: expected 'sentiment-studio-tokenizer'/],
    ['a newer version', (j) => (j.version = 2), /version: this app reads tokenizer.json version 1/],
    ['<oov> not at index 1', (j) => ((j.vocabulary as string[])[1] = 'x'), /vocabulary\[1\]: expected '<oov>'/],
    ['a duplicate token', (j) => (j.vocabulary as string[]).push('<oov>'), /vocabulary\[\d+\]: token '<oov>' appears twice/],
    ['a non-boolean normalisation flag', (j) => ((j.normalization as Record<string, unknown>).lowercase = 'yes'), /normalization\.lowercase: /],
    ['a malformed locale', (j) => ((j.segmenter as { locales: Record<string, unknown> }).locales.han = 'zh_!!'), /segmenter\.locales\.han: expected a locale tag/],
    ['an unknown word scheme', (j) => ((j.segmenter as Record<string, unknown>).scheme = 'v0'), /segmenter\.scheme: expected/],
  ])('rejects %s with a message naming the field', (_, change, message) => {
    const error = errorOf(() => Tokenizer.fromJSON(broken(change)));
    expect(error.code).toBe('bad-file');
    expect(error.message).toMatch(/^tokenizer\.json is not valid: /);
    expect(error.message).toMatch(message);
  });

  it('rejects something that is not an object', () => {
    expect(errorOf(() => Tokenizer.fromJSON(null)).message).toMatch(/^tokenizer\.json is not valid: .*object/);
  });

  it('reads a minimal file without the optional fields', () => {
    const minimal: TokenizerJson = {
      format: 'sentiment-studio-tokenizer',
      version: 1,
      normalization: { nfkc: true, lowercase: true, stripHtml: true, decodeEntities: true, foldUrls: true, foldMentions: true },
      maxLen: 3,
      padding: 'pre',
      truncating: 'pre',
      vocabulary: ['<pad>', '<oov>', 'good'],
      oovIndex: 1,
      padIndex: 0,
      segmenter: { scheme: 'sentiment-studio-words-1', locales: { han: 'zh', kana: 'ja', thai: 'th' }, kanaScope: 'text', punctuationRunMax: 3 },
    };
    const tokenizer = Tokenizer.fromJSON(minimal);
    expect(Array.from(tokenizer.encode(['Good, good']).ids)).toEqual([2, 1, 2]);
  });
});
