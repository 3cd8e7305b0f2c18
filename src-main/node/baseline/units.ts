/**
 * Text -> the units n-grams are made of: the project tokenizer's words, or the characters of the
 * normalised text for Chinese and Japanese (no spaces between words, and a character model needs
 * no word segmenter, which is the slow part of tokenizing those scripts).
 */
import type { BaselineTokenizerSettings, BaselineUnits } from '../../common/baseline';
import { normalizeText } from '../text/normalize';
import { splitWords } from '../text/words';

const WHITESPACE_RUNS = /\s+/g;

/**
 * Characters of the normalised text, whitespace runs folded to one space (a unit of its own, so a
 * character n-gram may span a space, as scikit-learn's `analyzer='char'` does).
 */
function characters(normalized: string, out: string[]): string[] {
  const text = normalized.replace(WHITESPACE_RUNS, ' ').trim();
  for (const c of text) out.push(c);
  return out;
}

/** A reusable text -> units function; appends to `out` when given. */
export function unitSplitter(units: BaselineUnits, settings: BaselineTokenizerSettings): (text: string, out?: string[]) => string[] {
  const { normalization, segmenter } = settings;
  if (units === 'words') return (text, out = []) => splitWords(normalizeText(text, normalization), segmenter, out);
  return (text, out = []) => characters(normalizeText(text, normalization), out);
}

/** How n-gram strings are joined: a word never contains a space, and each character is one unit. */
export function unitSeparator(units: BaselineUnits): string {
  return units === 'words' ? ' ' : '';
}

/** The units of one vocabulary entry (the inverse of joining with `unitSeparator`). */
export function splitGram(gram: string, units: BaselineUnits): string[] {
  return units === 'words' ? gram.split(' ') : Array.from(gram);
}

const LETTER = /\p{L}/gu;
const HAN_OR_KANA = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/gu;
const SAMPLE_TEXTS = 500;

/**
 * 'characters' when most letters of (an even sample of) the texts are Han or kana. Thai also lacks
 * spaces, but the tokenizer segments it into words with Intl.Segmenter, so it stays on words.
 *
 * Characters against the tokenizer's words on ChnSentiCorp (bench/baselineBench.ts): dev 92.9% vs
 * 91.8%, test 93.0% vs 93.5%, training 3.3 s vs 1.8 s. On 1,200 texts either gap is within noise
 * (±0.7 points); characters won on the split that chooses, and they do not depend on the ICU
 * dictionary, whose version changes how Intl.Segmenter splits words.
 */
export function detectUnits(texts: readonly string[]): BaselineUnits {
  const step = Math.max(1, Math.floor(texts.length / SAMPLE_TEXTS));
  let letters = 0;
  let hanOrKana = 0;
  for (let i = 0; i < texts.length; i += step) {
    letters += texts[i].match(LETTER)?.length ?? 0;
    hanOrKana += texts[i].match(HAN_OR_KANA)?.length ?? 0;
  }
  return letters > 0 && hanOrKana / letters > 0.5 ? 'characters' : 'words';
}
