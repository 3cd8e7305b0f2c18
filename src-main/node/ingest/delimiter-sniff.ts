/**
 * Which character separates the fields: the candidate that splits the leading rows into the same
 * number of fields most consistently. Counting is quote-aware per candidate, so commas inside a
 * quoted review do not vote for the comma.
 */
import type { Delimiter } from '../../common/ingest';
import { delimiters } from '../../common/ingest';

export interface SniffedDelimiter {
  delimiter: Delimiter;
  /** Delimiters per row in most rows. */
  count: number;
  /** Share of rows with exactly that count, 0..1. */
  consistency: number;
  rows: number;
}

const sniffRows = 50;
const sniffChars = 64 * 1024;

/** `complete` says the text is the whole file, so its last row is not cut off. */
export function sniffDelimiter(text: string, complete: boolean): SniffedDelimiter | null {
  let best: SniffedDelimiter | null = null;
  for (const delimiter of delimiters) {
    const counts = countPerRow(text, delimiter, complete && text.length <= sniffChars);
    const candidate = score(delimiter, counts);
    if (!candidate) continue;
    // Ties keep the earlier candidate: `,` before tab before `;` before `|`.
    if (
      !best ||
      candidate.consistency > best.consistency ||
      (candidate.consistency === best.consistency && candidate.count > best.count)
    ) {
      best = candidate;
    }
  }
  return best;
}

function score(delimiter: Delimiter, counts: number[]): SniffedDelimiter | null {
  if (counts.length === 0) return null;
  const frequency = new Map<number, number>();
  for (const count of counts) frequency.set(count, (frequency.get(count) ?? 0) + 1);
  let mode = 0;
  let modeRows = 0;
  for (const [count, rows] of frequency) {
    if (rows > modeRows || (rows === modeRows && count > mode)) {
      mode = count;
      modeRows = rows;
    }
  }
  if (mode < 1) return null;
  return { delimiter, count: mode, consistency: modeRows / counts.length, rows: counts.length };
}

/** Delimiters outside quotes in each non-blank row of the leading text. */
function countPerRow(text: string, delimiter: string, complete: boolean): number[] {
  const d = delimiter.charCodeAt(0);
  const end = Math.min(text.length, sniffChars);
  const counts: number[] = [];
  let count = 0;
  let rowHasText = false;
  let fieldStart = true;
  let inQuotes = false;
  for (let i = 0; i < end && counts.length < sniffRows; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === 10 || c === 13) {
      if (rowHasText) counts.push(count);
      count = 0;
      rowHasText = false;
      fieldStart = true;
      continue;
    }
    rowHasText = true;
    if (c === d) {
      count++;
      fieldStart = true;
    } else {
      if (c === 34 && fieldStart) inQuotes = true;
      fieldStart = false;
    }
  }
  // The last row of a cut sample may be cut short too, so it only counts at the real end.
  if (rowHasText && complete && !inQuotes && counts.length < sniffRows) counts.push(count);
  return counts;
}
