/**
 * The tokenizer's shared vocabulary: options, defaults and the runtime schema of `tokenizer.json`
 * (the file a model bundle ships so the same text always becomes the same ids). Pure data: the
 * renderer and the hyperparameter schema import this, the implementation lives in src-main/node/text.
 */
import { z } from 'zod';

export const sequenceSides = ['pre', 'post'] as const;
/** Keras `pad_sequences` names: 'pre' pads (or truncates) at the start, 'post' at the end. */
export type SequenceSide = (typeof sequenceSides)[number];

/** Reserved ids. The vocabulary size counts these two entries. */
export const PAD_TOKEN = '<pad>';
export const OOV_TOKEN = '<oov>';
export const PAD_INDEX = 0;
export const OOV_INDEX = 1;
/** Placeholders that replace every URL and every @mention; each is one token. */
export const URL_TOKEN = '<url>';
export const USER_TOKEN = '<user>';

/** How raw text is cleaned before it is split into tokens. */
export interface NormalizationOptions {
  /** Unicode NFKC (full-width letters and digits become ASCII, ligatures split, &nbsp; becomes a space). */
  nfkc: boolean;
  lowercase: boolean;
  /** Remove HTML tags such as `<br />`, `<p>`, `<a href=...>` and comments. */
  stripHtml: boolean;
  /** Decode `&amp;`, `&#39;`, `&#x27;`, `&nbsp;` and the common named entities. */
  decodeEntities: boolean;
  /** Replace http(s)://... and www.... by `<url>`. */
  foldUrls: boolean;
  /** Replace @mentions by `<user>`. */
  foldMentions: boolean;
}

export const normalizationDefaults: Readonly<NormalizationOptions> = Object.freeze({
  nfkc: true,
  lowercase: true,
  stripHtml: true,
  decodeEntities: true,
  foldUrls: true,
  foldMentions: true,
});

/**
 * Everything a tokenizer is built with. `vocabSize` counts `<pad>` and `<oov>`, so 20,000 keeps at
 * most 19,998 real tokens; `minCount` drops tokens seen fewer times in the training split.
 */
export interface TokenizerOptions extends NormalizationOptions {
  vocabSize: number;
  minCount: number;
  maxLen: number;
  padding: SequenceSide;
  truncating: SequenceSide;
}

export const tokenizerDefaults: Readonly<TokenizerOptions> = Object.freeze({
  vocabSize: 20_000,
  minCount: 2,
  maxLen: 200,
  padding: 'pre',
  truncating: 'pre',
  ...normalizationDefaults,
});

/** Field schemas the hyperparameter schema reuses, with messages an analyst can act on. */
export const vocabSizeSchema = z
  .number()
  .int('the vocabulary size is a whole number')
  .min(3, 'the vocabulary size counts <pad> and <oov>, so it must be at least 3');
export const minCountSchema = z.number().int('the minimum count is a whole number').min(1, 'the minimum count is at least 1');
export const maxLenSchema = z
  .number()
  .int('the maximum length is a whole number of tokens')
  .min(1, 'the maximum length is at least 1 token')
  .max(100_000, 'the maximum length is at most 100,000 tokens');
export const sequenceSideSchema = z.enum(sequenceSides, { error: "expected 'pre' or 'post'" });

export const normalizationSchema = z.object({
  nfkc: z.boolean(),
  lowercase: z.boolean(),
  stripHtml: z.boolean(),
  decodeEntities: z.boolean(),
  foldUrls: z.boolean(),
  foldMentions: z.boolean(),
});

/**
 * Word splitting rules. `scheme` names the rule set in src-main/node/text/words.ts (a change to those
 * rules gets a new name so an old bundle is never silently tokenized differently). Han, kana and Thai
 * runs are split by `Intl.Segmenter` with these locales; `kanaScope: 'text'` means a Han run uses the
 * kana locale when the text contains any kana anywhere. Segmentation of those scripts follows the ICU
 * dictionaries of the runtime, so `icuVersion` (informational) records the one the model was built with.
 */
function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
const localeSchema = z.string().refine(isLocale, 'expected a locale tag such as zh, ja or th');

export const WORDS_SCHEME = 'sentiment-studio-words-1';
export const segmenterSchema = z.object({
  scheme: z.literal(WORDS_SCHEME, { error: `expected '${WORDS_SCHEME}'` }),
  locales: z.object({ han: localeSchema, kana: localeSchema, thai: localeSchema }),
  kanaScope: z.literal('text'),
  /** A run of one repeated punctuation mark is one token cut to this many characters ('!!!!!' -> '!!!'). */
  punctuationRunMax: z.number().int().min(1),
  icuVersion: z.string().nullable().optional(),
});
export type SegmenterConfig = z.infer<typeof segmenterSchema>;

export const segmenterDefaults: Readonly<SegmenterConfig> = Object.freeze({
  scheme: WORDS_SCHEME,
  locales: Object.freeze({ han: 'zh', kana: 'ja', thai: 'th' }),
  kanaScope: 'text',
  punctuationRunMax: 3,
});

export const TOKENIZER_FORMAT = 'sentiment-studio-tokenizer';
export const TOKENIZER_VERSION = 1;

export const tokenizerJsonSchema = z.object({
  format: z.literal(TOKENIZER_FORMAT, { error: `expected '${TOKENIZER_FORMAT}'` }),
  version: z.literal(TOKENIZER_VERSION, {
    error: `this app reads tokenizer.json version ${TOKENIZER_VERSION}`,
  }),
  normalization: normalizationSchema,
  maxLen: maxLenSchema,
  padding: sequenceSideSchema,
  truncating: sequenceSideSchema,
  /** The settings the vocabulary was built with; informational once the vocabulary exists. */
  vocabSize: vocabSizeSchema.optional(),
  minCount: minCountSchema.optional(),
  /** Index = id. */
  vocabulary: z
    .array(z.string().min(1, 'tokens are never empty'))
    .min(2, 'the vocabulary holds at least <pad> and <oov>')
    .superRefine((tokens, ctx) => {
      if (tokens[PAD_INDEX] !== PAD_TOKEN) ctx.addIssue({ code: 'custom', path: [PAD_INDEX], message: `expected '${PAD_TOKEN}'` });
      if (tokens[OOV_INDEX] !== OOV_TOKEN) ctx.addIssue({ code: 'custom', path: [OOV_INDEX], message: `expected '${OOV_TOKEN}'` });
      const seen = new Set<string>();
      for (let i = 0; i < tokens.length; i++) {
        if (seen.has(tokens[i])) {
          ctx.addIssue({ code: 'custom', path: [i], message: `token '${tokens[i]}' appears twice` });
          return;
        }
        seen.add(tokens[i]);
      }
    }),
  oovIndex: z.literal(OOV_INDEX),
  padIndex: z.literal(PAD_INDEX),
  segmenter: segmenterSchema,
});
export type TokenizerJson = z.infer<typeof tokenizerJsonSchema>;

/** Token counts of a set of texts, to warn when `maxLen` cuts most reviews short. */
export interface TokenLengthStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  /** Linear interpolation between closest ranks (numpy's default). */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** Share (0..1) of texts longer than `maxLen`; present when a maxLen was given. */
  truncatedShare?: number;
}
