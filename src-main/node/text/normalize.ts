/**
 * Text cleaning before word splitting. Order matters and is part of the tokenizer's contract:
 * tags, entities, soft hyphens, apostrophes, NFKC, lower case, URLs, mentions (so `&lt;br&gt;`
 * survives as text, `&shy;` is removed like U+00AD itself, full-width `ｈｔｔｐ://` is still a URL,
 * and the placeholders are never lower-cased away).
 */
import { URL_TOKEN, USER_TOKEN, normalizationDefaults } from '../../common/tokenizer';
import type { NormalizationOptions } from '../../common/tokenizer';
import { decodeEntities } from './entities';

// A tag needs a letter right after `<` (or `</`), so `<3`, `a < b` and `<<` stay text.
const HTML_TAG = /<!--[\s\S]*?-->|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g;
/** Testing for ASCII is much cheaper than NFKC, and NFKC of ASCII is the identity. */
export const ASCII_ONLY = /^[\x00-\x7f]*$/;
// U+2019 and the acute accent U+00B4 (frequent in scraped reviews: "don´t") are apostrophes. The
// accent must go before NFKC, which would turn it into a space and a combining mark.
const APOSTROPHES = /[\u2019\u00b4]/g;
// U+00AD marks where a word may be hyphenated; it is invisible, and NFKC keeps it. Left in, it
// would split `co\u00ADoperation` into two tokens.
const SOFT_HYPHEN = '\u00ad';
// The URL ends before trailing punctuation: "see http://x.org." keeps its full stop.
const URL = /(?:\bhttps?:\/\/|\bwww\.)[^\s<>"]*[^\s<>".,;:!?')\]}]/gi;
const URL_HINT = /:\/\/|www\./i;
// Not after a letter, digit or dot, so e-mail addresses stay text.
const MENTION = /(?<![\p{L}\p{N}_.@])@[\p{L}\p{N}_]+/gu;

export function normalizeText(text: string, options: NormalizationOptions = normalizationDefaults): string {
  let s = text;
  if (options.stripHtml && s.indexOf('<') >= 0) s = s.replace(HTML_TAG, ' ');
  if (options.decodeEntities) s = decodeEntities(s);
  if (!ASCII_ONLY.test(s)) {
    if (s.indexOf(SOFT_HYPHEN) >= 0) s = s.replaceAll(SOFT_HYPHEN, '');
    s = s.replace(APOSTROPHES, "'");
    if (options.nfkc) s = s.normalize('NFKC');
  }
  if (options.lowercase) s = s.toLowerCase();
  if (options.foldUrls && URL_HINT.test(s)) s = s.replace(URL, ` ${URL_TOKEN} `);
  if (options.foldMentions && s.indexOf('@') >= 0) s = s.replace(MENTION, ` ${USER_TOKEN} `);
  return s;
}
