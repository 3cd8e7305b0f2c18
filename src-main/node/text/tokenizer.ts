/**
 * Text -> tokens -> fixed-length ids, and its tokenizer.json. Keras-style progressive disclosure:
 *
 *   const tokenizer = new Tokenizer({ maxLen: 300 }).fit(trainTexts);
 *   const { ids, lengths } = tokenizer.encode(texts);
 *
 * To tokenize once for both steps: `lists = texts.map(t => tokenizer.tokenize(t))`, then
 * `fitTokenLists(lists)` and `encodeTokenLists(lists)`.
 */
import { z } from 'zod';
import { StudioError } from '../../common/errors';
import {
  OOV_INDEX,
  PAD_INDEX,
  TOKENIZER_FORMAT,
  TOKENIZER_VERSION,
  maxLenSchema,
  minCountSchema,
  normalizationSchema,
  segmenterDefaults,
  segmenterSchema,
  sequenceSideSchema,
  tokenizerDefaults,
  tokenizerJsonSchema,
  vocabSizeSchema,
} from '../../common/tokenizer';
import type { NormalizationOptions, SegmenterConfig, TokenLengthStats, TokenizerJson, TokenizerOptions } from '../../common/tokenizer';
import { tokenLengthStats } from './lengths';
import { normalizeText } from './normalize';
import { encodeTokenLists, writeRow } from './sequences';
import type { EncodedBatch } from './sequences';
import { Vocabulary, countTokens } from './vocabulary';
import type { VocabularyOptions } from './vocabulary';
import { splitWords } from './words';

const tokenizerOptionsSchema = normalizationSchema.extend({
  vocabSize: vocabSizeSchema,
  minCount: minCountSchema,
  maxLen: maxLenSchema,
  padding: sequenceSideSchema,
  truncating: sequenceSideSchema,
});

/** `vocabulary[1]: expected '<oov>'; maxLen: ...` — each problem named by its field. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
        '',
      );
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function currentIcuVersion(): string | null {
  return process.versions.icu ?? null;
}

export class Tokenizer {
  readonly options: Readonly<TokenizerOptions>;
  readonly segmenter: Readonly<SegmenterConfig>;
  private readonly normalization: NormalizationOptions;
  private vocab: Vocabulary;

  constructor(options: Partial<TokenizerOptions> = {}, segmenter: Partial<SegmenterConfig> = {}, vocabulary = Vocabulary.empty()) {
    const parsed = tokenizerOptionsSchema.safeParse({ ...tokenizerDefaults, ...options });
    if (!parsed.success) throw new StudioError('invalid-input', `tokenizer options: ${describeIssues(parsed.error)}`);
    this.options = Object.freeze(parsed.data);
    const segmenterParsed = segmenterSchema.safeParse({ ...segmenterDefaults, icuVersion: currentIcuVersion(), ...segmenter });
    if (!segmenterParsed.success) throw new StudioError('invalid-input', `segmenter options: ${describeIssues(segmenterParsed.error)}`);
    this.segmenter = Object.freeze(segmenterParsed.data);
    // Parsing drops the keys that are not normalisation options.
    this.normalization = normalizationSchema.parse(this.options);
    this.vocab = vocabulary;
  }

  get vocabulary(): Vocabulary {
    return this.vocab;
  }

  /** Builds the vocabulary from the training texts (replacing any previous one). */
  fit(texts: Iterable<string>): this {
    const counts = new Map<string, number>();
    const scratch: string[] = [];
    for (const text of texts) {
      scratch.length = 0;
      countTokens([splitWords(normalizeText(text, this.normalization), this.segmenter, scratch)], counts);
    }
    this.vocab = Vocabulary.fromCounts(counts, this.vocabularyOptions());
    return this;
  }

  private vocabularyOptions(): VocabularyOptions {
    return { maxSize: this.options.vocabSize, minCount: this.options.minCount };
  }

  /** Builds the vocabulary from already tokenized training texts. */
  fitTokenLists(tokenLists: Iterable<readonly string[]>): this {
    this.vocab = Vocabulary.build(tokenLists, this.vocabularyOptions());
    return this;
  }

  static fromTokenLists(tokenLists: Iterable<readonly string[]>, options: Partial<TokenizerOptions> = {}): Tokenizer {
    return new Tokenizer(options).fitTokenLists(tokenLists);
  }

  normalize(text: string): string {
    return normalizeText(text, this.normalization);
  }

  tokenize(text: string): string[] {
    return splitWords(normalizeText(text, this.normalization), this.segmenter);
  }

  /** Token counts before truncation, for `lengthStats` or a histogram. */
  tokenCounts(texts: readonly string[]): Int32Array {
    const counts = new Int32Array(texts.length);
    const scratch: string[] = [];
    for (let i = 0; i < texts.length; i++) {
      scratch.length = 0;
      counts[i] = splitWords(normalizeText(texts[i], this.normalization), this.segmenter, scratch).length;
    }
    return counts;
  }

  /** Token-length distribution of `texts` and the share this tokenizer's `maxLen` would cut. */
  lengthStats(texts: readonly string[]): TokenLengthStats {
    return tokenLengthStats(this.tokenCounts(texts), this.options.maxLen);
  }

  /** `n * maxLen` ids, row-major, padded and truncated as configured; unknown tokens are `<oov>` (1). */
  encode(texts: readonly string[]): EncodedBatch {
    const { maxLen } = this.options;
    const batch: EncodedBatch = { ids: new Int32Array(texts.length * maxLen).fill(PAD_INDEX), lengths: new Int32Array(texts.length) };
    const scratch: string[] = [];
    for (let row = 0; row < texts.length; row++) {
      scratch.length = 0;
      splitWords(normalizeText(texts[row], this.normalization), this.segmenter, scratch);
      writeRow(batch, row, scratch, this.vocab.idMap, this.options);
    }
    return batch;
  }

  encodeTokenLists(tokenLists: readonly (readonly string[])[]): EncodedBatch {
    return encodeTokenLists(tokenLists, this.vocab, this.options);
  }

  toJSON(): TokenizerJson {
    const { vocabSize, minCount, maxLen, padding, truncating } = this.options;
    return {
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_VERSION,
      normalization: { ...this.normalization },
      maxLen,
      padding,
      truncating,
      vocabSize,
      minCount,
      vocabulary: this.vocab.tokens.slice(),
      oovIndex: OOV_INDEX,
      padIndex: PAD_INDEX,
      segmenter: { ...this.segmenter, locales: { ...this.segmenter.locales } },
    };
  }

  /** Reads a parsed tokenizer.json; a malformed file fails with a message naming each bad field. */
  static fromJSON(value: unknown): Tokenizer {
    const parsed = tokenizerJsonSchema.safeParse(value);
    if (!parsed.success) throw new StudioError('bad-file', `tokenizer.json is not valid: ${describeIssues(parsed.error)}`);
    const json = parsed.data;
    return new Tokenizer(
      {
        ...json.normalization,
        maxLen: json.maxLen,
        padding: json.padding,
        truncating: json.truncating,
        vocabSize: json.vocabSize ?? Math.max(json.vocabulary.length, 3),
        minCount: json.minCount ?? tokenizerDefaults.minCount,
      },
      { ...json.segmenter, icuVersion: json.segmenter.icuVersion ?? null },
      new Vocabulary(json.vocabulary),
    );
  }
}
