/**
 * Fixed-length id sequences with Keras `pad_sequences` semantics: truncating 'pre' drops tokens from
 * the start (keeps the end of a review, where the verdict usually is), padding 'pre' puts the zeros
 * first (the recurrent layer then reads the text last, right before the classifier).
 */
import { OOV_INDEX, PAD_INDEX } from '../../common/tokenizer';
import type { SequenceSide } from '../../common/tokenizer';
import type { Vocabulary } from './vocabulary';

export interface SequenceOptions {
  maxLen: number;
  padding: SequenceSide;
  truncating: SequenceSide;
}

export interface EncodedBatch {
  /** `n * maxLen` ids, row-major: row i is `ids.subarray(i * maxLen, (i + 1) * maxLen)`. */
  ids: Int32Array;
  /** Tokens kept per row after truncation (0 for an empty text). */
  lengths: Int32Array;
}

function checkMaxLen(maxLen: number): void {
  if (!Number.isInteger(maxLen) || maxLen < 1) throw new Error(`maxLen must be a whole number >= 1 (got ${maxLen})`);
}

/** Where a sequence of length n lands: copy `kept` items from `from` into the row at `to`. */
export function placement(n: number, { maxLen, padding, truncating }: SequenceOptions): { from: number; to: number; kept: number } {
  const kept = n < maxLen ? n : maxLen;
  return { kept, from: truncating === 'pre' ? n - kept : 0, to: padding === 'pre' ? maxLen - kept : 0 };
}

/** Pads and truncates id sequences; empty positions hold `<pad>` (0). */
export function padSequences(sequences: readonly ArrayLike<number>[], options: SequenceOptions): EncodedBatch {
  checkMaxLen(options.maxLen);
  const { maxLen } = options;
  const ids = new Int32Array(sequences.length * maxLen).fill(PAD_INDEX);
  const lengths = new Int32Array(sequences.length);
  for (let row = 0; row < sequences.length; row++) {
    const seq = sequences[row];
    const { from, to, kept } = placement(seq.length, options);
    const base = row * maxLen + to;
    for (let i = 0; i < kept; i++) ids[base + i] = seq[from + i];
    lengths[row] = kept;
  }
  return { ids, lengths };
}

/** Token lists to padded ids in one pass (no intermediate id arrays). */
export function encodeTokenLists(tokenLists: readonly (readonly string[])[], vocabulary: Vocabulary, options: SequenceOptions): EncodedBatch {
  checkMaxLen(options.maxLen);
  const batch = { ids: new Int32Array(tokenLists.length * options.maxLen).fill(PAD_INDEX), lengths: new Int32Array(tokenLists.length) };
  for (let row = 0; row < tokenLists.length; row++) writeRow(batch, row, tokenLists[row], vocabulary.idMap, options);
  return batch;
}

/** Writes one row of `batch`; shared with Tokenizer#encode, which tokenizes into a reused buffer. */
export function writeRow(batch: EncodedBatch, row: number, tokens: readonly string[], ids: ReadonlyMap<string, number>, options: SequenceOptions): void {
  const { from, to, kept } = placement(tokens.length, options);
  const base = row * options.maxLen + to;
  for (let i = 0; i < kept; i++) batch.ids[base + i] = ids.get(tokens[from + i]) ?? OOV_INDEX;
  batch.lengths[row] = kept;
}
