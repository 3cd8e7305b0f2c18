/**
 * "Most useful next": unlabelled items the current suggestions are least sure of (smallest margin
 * between the two likeliest labels), with a diversity step so one page is not twenty copies of
 * the same borderline review: a candidate too similar (word-set Jaccard) to one already picked
 * waits for a later page.
 */
import type { ItemRow } from '../../common/contract';
import type { Db } from './open';

/** Candidates read per item returned, to have room to skip near-duplicates. */
const poolFactor = 8;
/** Word sets sharing more than this fraction are near-duplicates. */
const similarity = 0.5;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(Boolean));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

/** Up to `limit` of `ranked`, in order, skipping any too similar to one already taken. */
export function spreadOut<T extends { text: string }>(ranked: Iterable<T>, limit: number): T[] {
  const picked: { row: T; words: Set<string> }[] = [];
  for (const row of ranked) {
    if (picked.length >= limit) break;
    const w = words(row.text);
    if (picked.some((p) => jaccard(p.words, w) > similarity)) continue;
    picked.push({ row, words: w });
  }
  return picked.map((p) => p.row);
}

/**
 * `refresh`: when the suggestions were written and by which model, as kept in the project's meta
 * (predict/prelabels.ts): reading them from the rows scanned a million suggestions per page (97 ms).
 */
export function usefulNext(
  db: Db,
  options: { limit: number; exclude: number[] },
  refresh: { at: string | null; source: string | null },
): { items: ItemRow[]; scored: number; source: string | null; refreshedAt: string | null } {
  const scored = db.prepare('SELECT COUNT(*) FROM prelabels').pluck().get() as number;
  const candidates = db
    .prepare<[string, number], { id: number; text: string; externalId: string | null; label: string; confidence: number; source: string }>(
      `SELECT i.id, i.text, i.external_id AS externalId, p.label, p.confidence, p.source FROM prelabels p JOIN items i ON i.id = p.item_id
       LEFT JOIN latest_label_event l ON l.item_id = i.id LEFT JOIN label_events e ON e.id = l.event_id
       WHERE e.label IS NULL AND i.id NOT IN (SELECT value FROM json_each(?))
       ORDER BY p.margin, i.id LIMIT ?`,
    )
    .all(JSON.stringify(options.exclude), options.limit * poolFactor);
  const picked = spreadOut(candidates, options.limit);
  return {
    items: picked.map((row) => ({
      id: row.id,
      text: row.text,
      externalId: row.externalId,
      label: null,
      split: null,
      annotator: null,
      labelledAt: null,
      origin: null,
      prelabel: { label: row.label, confidence: row.confidence, source: row.source },
    })),
    scored,
    source: refresh.source,
    refreshedAt: refresh.at,
  };
}
