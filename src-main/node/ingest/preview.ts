/**
 * The wizard's first look at a file: detected format and encoding, the first rows, value counts
 * per column, and guesses for which column holds the text, the label and the id.
 */
import type { ImportPreview, ReadOptions, SourceRecord } from '../../common/ingest';
import { maxColumns } from './limits';
import { openRecordStream } from './source';

const textNames = ['text', 'review', 'content', 'comment', 'body', 'sentence', 'tweet', 'review_text', 'message'];
const labelNames = ['label', 'sentiment', 'class', 'polarity', 'rating', 'stars', 'score', 'target', 'airline_sentiment'];
const idNames = ['id', 'review_id', 'uuid', 'tweet_id', 'item_id'];
/** Distinct values per column we keep counting; beyond this a column is clearly not a label. */
const maxDistinct = 200;

function byName(columns: string[], names: string[]): string | null {
  for (const n of names) {
    const hit = columns.find((c) => c.trim().toLowerCase() === n);
    if (hit !== undefined) return hit;
  }
  return null;
}

export function guessColumns(columns: string[], rows: SourceRecord[], valueCounts: ImportPreview['valueCounts']): ImportPreview['suggested'] {
  const meanLength = (c: string) => rows.reduce((s, r) => s + (r.fields[c]?.length ?? 0), 0) / Math.max(1, rows.length);
  // One pass over the columns, not a sort that measures both sides of every comparison: a file
  // with a million columns (a wrong delimiter, a hostile file) took minutes.
  let longest: string | null = null;
  let longestLength = -1;
  for (const c of columns) {
    const length = meanLength(c);
    if (length > longestLength) {
      longest = c;
      longestLength = length;
    }
  }
  const textColumn = byName(columns, textNames) ?? longest;
  const distinct = (c: string) => (Object.hasOwn(valueCounts, c) ? Object.keys(valueCounts[c]!).length : 0);
  const labelColumn =
    byName(columns.filter((c) => c !== textColumn), labelNames) ??
    columns.find((c) => c !== textColumn && distinct(c) >= 2 && distinct(c) <= 10 && rows.length >= 10) ??
    null;
  const idColumn =
    byName(columns.filter((c) => c !== textColumn && c !== labelColumn), idNames) ?? null;
  return { textColumn, labelColumn, idColumn };
}

export async function previewFile(path: string, read: ReadOptions = {}, sampleRows = 2000): Promise<ImportPreview> {
  const stream = await openRecordStream(path, read);
  const rows: SourceRecord[] = [];
  // Maps, not objects: column names and values come from the file (think `__proto__`).
  const counts = new Map<string, Map<string, number>>();
  let sampled = 0;
  try {
    for await (const record of stream.records) {
      if (rows.length < 50) rows.push(record);
      for (const [column, value] of Object.entries(record.fields)) {
        let columnCounts = counts.get(column);
        if (!columnCounts) {
          // JSON records may each bring keys of their own; the wizard shows the first columns only.
          if (counts.size >= maxColumns) continue;
          counts.set(column, (columnCounts = new Map()));
        }
        const v = value.trim();
        if (v.length > 100) continue;
        const n = columnCounts.get(v);
        if (n !== undefined) columnCounts.set(v, n + 1);
        else if (columnCounts.size < maxDistinct) columnCounts.set(v, 1);
      }
      if (++sampled >= sampleRows) break;
    }
  } finally {
    await stream.close();
  }
  const valueCounts: ImportPreview['valueCounts'] = Object.fromEntries(
    [...counts].map(([column, values]) => [column, Object.fromEntries(values)]),
  );
  const columns = [...stream.columns];
  const known = new Set(columns);
  for (const r of rows) {
    for (const k of Object.keys(r.fields)) {
      if (!known.has(k) && known.size < maxColumns) {
        known.add(k);
        columns.push(k);
      }
    }
  }
  return {
    source: stream.source,
    columns,
    rows,
    valueCounts,
    sampledRows: sampled,
    suggested: guessColumns(columns, rows, valueCounts),
  };
}
