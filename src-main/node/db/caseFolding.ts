/**
 * Case folding exactly as the search index does it, for the searches that read item texts instead
 * of the index (items it has not reached, short terms it cannot list). SQLite's LIKE folds only
 * ASCII; FTS5's trigram tokenizer (case_sensitive 0, remove_diacritics 0) folds with its own
 * table, generated from Unicode's CaseFolding.txt: one character to one character, the Basic
 * Multilingual Plane and Deseret only. That is folding, not lower-casing: ς, µ and ſ fold to σ, μ
 * and s, İ stays İ, and scripts newer than the table (Georgian Mtavruli, Osage) do not fold.
 * String.prototype.toLowerCase differs on each of these, and a search folding with it would find
 * an item before it is indexed and not after, or the reverse; it serves only for texts without
 * them. The test compares every character of the first two planes with the tokenizer, so an
 * SQLite upgrade that changes the table shows there.
 */
import type { Db } from './open';

/** [first code point, how many, what to add, 2 when only every other one folds] (from fts5_unicode2.c). */
const rules: [first: number, count: number, delta: number, step?: 2][] = [
  [65, 26, 32],
  [181, 1, 775], [192, 23, 32], [216, 7, 32], [256, 48, 1, 2], [306, 6, 1, 2], [313, 16, 1, 2],
  [330, 46, 1, 2], [376, 1, -121], [377, 6, 1, 2], [383, 1, -268], [385, 1, 210], [386, 4, 1, 2],
  [390, 1, 206], [391, 1, 1], [393, 2, 205], [395, 1, 1], [398, 1, 79], [399, 1, 202], [400, 1, 203],
  [401, 1, 1], [403, 1, 205], [404, 1, 207], [406, 1, 211], [407, 1, 209], [408, 1, 1], [412, 1, 211],
  [413, 1, 213], [415, 1, 214], [416, 6, 1, 2], [422, 1, 218], [423, 1, 1], [425, 1, 218], [428, 1, 1],
  [430, 1, 218], [431, 1, 1], [433, 2, 217], [435, 4, 1, 2], [439, 1, 219], [440, 1, 1], [444, 1, 1],
  [452, 1, 2], [453, 1, 1], [455, 1, 2], [456, 1, 1], [458, 1, 2], [459, 18, 1, 2], [478, 18, 1, 2],
  [497, 1, 2], [498, 4, 1, 2], [502, 1, -97], [503, 1, -56], [504, 40, 1, 2], [544, 1, -130], [546, 18, 1, 2],
  [570, 1, 10795], [571, 1, 1], [573, 1, -163], [574, 1, 10792], [577, 1, 1], [579, 1, -195], [580, 1, 69],
  [581, 1, 71], [582, 10, 1, 2], [837, 1, 116], [880, 4, 1, 2], [886, 1, 1], [902, 1, 38], [904, 3, 37],
  [908, 1, 64], [910, 2, 63], [913, 17, 32], [931, 9, 32], [962, 1, 1], [975, 1, 8], [976, 1, -30],
  [977, 1, -25], [981, 1, -15], [982, 1, -22], [984, 24, 1, 2], [1008, 1, -54], [1009, 1, -48], [1012, 1, -60],
  [1013, 1, -64], [1015, 1, 1], [1017, 1, -7], [1018, 1, 1], [1021, 3, -130], [1024, 16, 80], [1040, 32, 32],
  [1120, 34, 1, 2], [1162, 54, 1, 2], [1216, 1, 15], [1217, 14, 1, 2], [1232, 88, 1, 2], [1329, 38, 48],
  [4256, 38, 7264], [4295, 1, 7264], [4301, 1, 7264], [7680, 150, 1, 2], [7835, 1, -58], [7838, 1, -7615],
  [7840, 96, 1, 2], [7944, 8, -8], [7960, 6, -8], [7976, 8, -8], [7992, 8, -8], [8008, 6, -8],
  [8025, 8, -8, 2], [8040, 8, -8], [8072, 8, -8], [8088, 8, -8], [8104, 8, -8], [8120, 2, -8], [8122, 2, -74],
  [8124, 1, -9], [8126, 1, -7173], [8136, 4, -86], [8140, 1, -9], [8152, 2, -8], [8154, 2, -100],
  [8168, 2, -8], [8170, 2, -112], [8172, 1, -7], [8184, 2, -128], [8186, 2, -126], [8188, 1, -9],
  [8486, 1, -7517], [8490, 1, -8383], [8491, 1, -8262], [8498, 1, 28], [8544, 16, 16], [8579, 1, 1],
  [9398, 26, 26], [11264, 47, 48], [11360, 1, 1], [11362, 1, -10743], [11363, 1, -3814], [11364, 1, -10727],
  [11367, 6, 1, 2], [11373, 1, -10780], [11374, 1, -10749], [11375, 1, -10783], [11376, 1, -10782],
  [11378, 1, 1], [11381, 1, 1], [11390, 2, -10815], [11392, 100, 1, 2], [11499, 4, 1, 2], [11506, 1, 1],
  [42560, 46, 1, 2], [42624, 24, 1, 2], [42786, 14, 1, 2], [42802, 62, 1, 2], [42873, 4, 1, 2],
  [42877, 1, -35332], [42878, 10, 1, 2], [42891, 1, 1], [42893, 1, -42280], [42896, 4, 1, 2],
  [42912, 10, 1, 2], [42922, 1, -42308], [65313, 26, 32],
  [66560, 40, 40],
  // Not folding: SQLite reads these two noncharacters as U+FFFD, as it does lone surrogates (which
  // never reach it: JavaScript strings are written as UTF-8 with U+FFFD in their place).
  [65534, 1, -1], [65535, 1, -2],
];

const foldedCharacter = new Map<string, string>();
for (const [first, count, delta, step = 1] of rules) {
  for (let c = first; c < first + count; c += step) foldedCharacter.set(String.fromCodePoint(c), String.fromCodePoint(c + delta));
}

const foldable = new RegExp(`[${[...foldedCharacter.keys()].map(codePointEscape).join('')}]`, 'gu');

function codePointEscape(ch: string): string {
  return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
}

let lowerCaseDiffers: RegExp | undefined;

/**
 * The characters toLowerCase does not fold as the index does: found by asking this JavaScript
 * engine (its Unicode version is not SQLite's), once, in about 20 ms. Σ too, as toLowerCase makes
 * it ς at the end of a word.
 */
function lowerCaseDiffersFromFolding(): RegExp {
  const differ = ['Σ'];
  // No cased letter lies beyond the first two planes.
  for (let c = 0x80; c < 0x20000; c++) {
    if (c === 0xd800) c = 0xe000;
    const ch = String.fromCodePoint(c);
    if (ch.toLowerCase() !== (foldedCharacter.get(ch) ?? ch)) differ.push(ch);
  }
  return new RegExp(`[${differ.map(codePointEscape).join('')}]`, 'u');
}

/** `text` with every character folded as the trigram index folds it. */
export function foldCase(text: string): string {
  // Folding 27,700 reviews took 52 ms so, 167 ms with the replace alone (a callback per capital).
  lowerCaseDiffers ??= lowerCaseDiffersFromFolding();
  if (!lowerCaseDiffers.test(text)) return text.toLowerCase();
  return text.replace(foldable, (ch) => foldedCharacter.get(ch)!);
}

/** The SQL name of {@link foldedContains} on a project connection (see {@link registerCaseFolding}). */
export const foldedContainsSql = 'search_contains';

/** Whether `text` contains `term`, both folded as the index folds them. */
export function foldedContains(text: string, term: string): boolean {
  return foldCase(text).includes(foldCase(term));
}

/**
 * Makes `search_contains(text, term)` callable in this connection's statements. A yes or no
 * rather than the folded text for instr(): handing 1,400 folded characters back to SQLite per
 * review cost a fifth more (measured). directOnly keeps it out of the schema (a view, a trigger, an index): other tools
 * opening the file would not have it.
 */
export function registerCaseFolding(db: Db): void {
  db.function(foldedContainsSql, { deterministic: true, directOnly: true }, (text: unknown, term: unknown) =>
    typeof text === 'string' && typeof term === 'string' && foldedContains(text, term) ? 1 : 0,
  );
}
