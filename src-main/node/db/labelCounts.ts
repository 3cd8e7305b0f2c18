/**
 * label_counts is kept by two triggers (migration 3), run for every label event and every split
 * assigned. On an import they cost 40% of its speed (IMDB: 34,000 → 20,000 reviews/s, measured),
 * so a bulk writer suspends them inside its transaction and recounts once before it assigns
 * splits. DDL is transactional in SQLite: a rollback brings the triggers back as they were.
 * The recount is a GROUP BY over the labelled items (about 140 ms at 100,000), which a small
 * import into a very large project pays in full; imports are rare next to key presses.
 */
import type { Db } from './open';

const triggerNames = ['label_counts_event', 'label_counts_split'] as const;

export function recountLabelCounts(db: Db): void {
  db.exec(`
    DELETE FROM label_counts;
    INSERT INTO label_counts(label, split, source, n)
      SELECT c.label, coalesce(s.split, ''), coalesce(s.source, ''), COUNT(*) FROM current_labels c
      LEFT JOIN item_splits s ON s.item_id = c.item_id GROUP BY 1, 2, 3;
  `);
}

/** Drops the count triggers until the returned `resume` recounts and recreates them (same transaction). */
export function suspendLabelCountTriggers(db: Db): () => void {
  if (!db.inTransaction) throw new Error('suspendLabelCountTriggers: call it inside the transaction that writes');
  const saved = db
    .prepare<string[], { sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${triggerNames.map(() => '?').join(', ')})`)
    .all(...triggerNames)
    .map((row) => row.sql);
  for (const name of triggerNames) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
  return () => {
    recountLabelCounts(db);
    for (const sql of saved) db.exec(sql);
  };
}
