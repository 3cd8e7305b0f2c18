/** Byte-level UTF-8 checks for what Node's native `isUtf8` cannot say: where, and how much. */

/** Length of the well-formed UTF-8 character starting at `i` (WHATWG rules), or 0 when it is not one. */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  let following: number;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) following = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    following = 2;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f; // surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    following = 3;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f;
  } else return 0;
  if (i + following >= bytes.length) return 0;
  if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
  for (let k = 2; k <= following; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0;
  return following + 1;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence; the length when all are. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

/** Length of `bytes` without a trailing multi-byte UTF-8 sequence that is still incomplete. */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    if (b < 0xc0) return end; // ASCII ends the text cleanly
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return end - i < needed ? i : end;
  }
  return end;
}
