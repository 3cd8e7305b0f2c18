/** Plain text: every non-blank line is one review, in a single column named `text`. */
import type { SourceRecord } from '../../common/ingest';
import type { Batches } from './batches';
import { emptyFields } from './fields';
import { splitLines } from './line-splitter';
import type { TextChunks } from './text-decoder';

export const plainTextColumns = ['text'];

export async function* parsePlainText(text: TextChunks): Batches<SourceRecord> {
  for await (const lines of splitLines(text)) {
    const batch: SourceRecord[] = [];
    for (const { line, text: review } of lines) {
      if (review.trim().length === 0) continue;
      const fields = emptyFields();
      fields.text = review;
      batch.push({ line, fields });
    }
    if (batch.length > 0) yield batch;
  }
}
