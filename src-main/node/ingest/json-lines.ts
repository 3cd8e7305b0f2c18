/**
 * JSON Lines: one object per line. Blank lines are skipped (editors and `cat` leave them); any
 * other line must be a complete object, and a bad one stops the import at its line number.
 */
import type { SourceRecord } from '../../common/ingest';
import { fillBatch, type Batches } from './batches';
import { parseJsonRecord } from './json-records';
import { splitLines } from './line-splitter';
import type { TextChunks } from './text-decoder';

export async function* parseJsonLines(text: TextChunks): Batches<SourceRecord> {
  for await (const lines of splitLines(text)) {
    const { batch, failed, error } = fillBatch<SourceRecord>((out) => {
      for (const { line, text: json } of lines) if (!isBlank(json)) out.push(parseJsonRecord(json, line));
    });
    if (batch.length > 0) yield batch;
    if (failed) throw error;
  }
}

function isBlank(text: string): boolean {
  // Almost every line starts with `{`; only lines starting with whitespace need the trim.
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0);
}
