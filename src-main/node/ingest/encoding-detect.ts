/**
 * Which text encoding a file uses, from its first bytes. Certain answers first (BOM, the NUL
 * pattern of UTF-16, strict UTF-8), statistics (chardet) only for what is left: legacy Chinese,
 * Japanese and Western single-byte files, which are exactly the exports analysts get from old
 * Windows tools.
 */
import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import type { TextEncoding } from '../../common/ingest';
import { completeUtf8Length, utf8SequenceLength } from './utf8';

export interface DetectedEncoding {
  encoding: TextEncoding;
  confidence: number;
  /** Bytes of byte-order mark to skip before decoding. */
  bomLength: number;
}

const boms: ReadonlyArray<{ bytes: number[]; encoding: TextEncoding }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

export function bomLength(sample: Buffer, encoding: TextEncoding): number {
  const bom = boms.find((b) => b.encoding === encoding);
  return bom && startsWith(sample, bom.bytes) ? bom.bytes.length : 0;
}

export function detectEncoding(sample: Buffer, complete: boolean): DetectedEncoding {
  for (const bom of boms) {
    if (startsWith(sample, bom.bytes)) {
      return { encoding: bom.encoding, confidence: 1, bomLength: bom.bytes.length };
    }
  }
  const utf16 = utf16ByNulPattern(sample);
  if (utf16) return { encoding: utf16, confidence: 0.9, bomLength: 0 };
  const whole = sample.subarray(0, complete ? sample.length : completeUtf8Length(sample));
  if (isUtf8(whole)) return { encoding: 'utf-8', confidence: 1, bomLength: 0 };
  const legacy = guessLegacyEncoding(sample);
  if (legacy.encoding === 'windows-1252' && damagedUtf8(whole)) return { encoding: 'utf-8', confidence: 0.5, bomLength: 0 };
  return { ...legacy, bomLength: 0 };
}

/**
 * UTF-8 with a few damaged bytes (a cut-and-pasted fragment, a disk error) is not windows-1252:
 * read as such, every accent of the file turns into mojibake ('é' -> 'Ã©') without a word.
 * Western single-byte text almost never holds a well-formed multi-byte UTF-8 sequence (it takes
 * e.g. 'Ã' followed by '©'), so at least as many well-formed sequences as bad bytes means UTF-8,
 * and the decoder then stops at the first bad byte with its line and offset. CJK legacy encodings
 * are left to chardet: their byte pairs form well-formed UTF-8 by chance about one time in twelve.
 */
function damagedUtf8(bytes: Buffer): boolean {
  let wellFormed = 0;
  let bad = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      wellFormed++;
      i += length;
    } else {
      bad++;
      i++;
    }
  }
  return wellFormed > 0 && wellFormed >= bad;
}

/**
 * Mostly-ASCII text in UTF-16 has a NUL in every other byte; binary files have NULs too, but
 * not confined to one side of each byte pair.
 */
function utf16ByNulPattern(sample: Buffer): TextEncoding | null {
  const pairs = Math.min(sample.length, 4096) >> 1;
  if (pairs < 2) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.3 && evenNul <= pairs * 0.02) return 'utf-16le';
  if (evenNul >= pairs * 0.3 && oddNul <= pairs * 0.02) return 'utf-16be';
  return null;
}

const chardetNames: Record<string, TextEncoding> = {
  GB18030: 'gb18030',
  GB2312: 'gb18030',
  GBK: 'gb18030',
  Big5: 'big5',
  Shift_JIS: 'shift_jis',
  // Western and Central European answers: windows-1252 is a superset of ISO-8859-1 and is what
  // Excel on Windows writes; the other Latin code pages share most letters with it.
  'ISO-8859-1': 'windows-1252',
  'ISO-8859-2': 'windows-1252',
  'ISO-8859-9': 'windows-1252',
  'windows-1250': 'windows-1252',
  'windows-1252': 'windows-1252',
  'windows-1254': 'windows-1252',
};

function guessLegacyEncoding(sample: Buffer): Omit<DetectedEncoding, 'bomLength'> {
  for (const match of chardet.analyse(sample)) {
    const encoding = chardetNames[match.name];
    if (encoding) return { encoding, confidence: Math.min(0.99, match.confidence / 100) };
  }
  return { encoding: 'windows-1252', confidence: 0.1 };
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
