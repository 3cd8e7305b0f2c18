/** Plain text: every non-blank line is one review, in a single column named `text`. */
import type { SourceRecord } from '../../common/ingest';
import type { Batches } from './batches';
import { splitLines } from './line-splitter';
import type { TextChunks } from './text-decoder';

export const plainTextColumns = ['text'];

export async function* parsePlainText(text: TextChunks): Batches<SourceRecord> {
  for await (const lines of splitLines(text)) {
    const batch: SourceRecord[] = [];
    for (const { line, text: review } of lines) if (review.trim().length > 0) batch.push({ line, fields: { text: review } });
    if (batch.length > 0) yield batch;
  }
}
