/**
 * Items: each distinct text once. The hash is over the stored form of the text, so the same
 * review imported twice (or with Windows line endings) is one item.
 */
import { hash } from 'node:crypto';
import type { Db } from './open';

/** Trimmed, LF line endings, BOMs removed: what we store and hash. */
export function storedText(raw: string): string {
  let text = raw;
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (text.includes('\uFEFF')) text = text.replace(/\uFEFF/g, '');
  return text.trim();
}

export function textHash(text: string): Buffer {
  // One-shot crypto.hash avoids a Hash object per row (measurably faster on 25k-row imports).
  return hash('sha256', text, 'buffer');
}

export interface NewItem {
  text: string;
  hash: Buffer;
  externalId: string | null;
  metadata: string | null;
  importId: number | null;
}

export class Items {
  private readonly insertStmt;
  private readonly idByHashStmt;
  private readonly countStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO items(hash, text, external_id, metadata, import_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(hash) DO NOTHING`,
    );
    this.idByHashStmt = db.prepare<[Buffer], { id: number }>('SELECT id FROM items WHERE hash = ?');
    // Unlabelled plus labelled, both kept by triggers (migration 7, label_counts): COUNT(*) of
    // items reads its whole hash index, which outgrows the page cache at two million items and
    // then cost 58 ms on every summary, that is on every key press (measured).
    this.countStmt = db.prepare<[], { n: number }>(
      'SELECT (SELECT COUNT(*) FROM unlabelled_items) + (SELECT coalesce(sum(n), 0) FROM label_counts WHERE n > 0) AS n',
    );
  }

  /** Inserts unless the text exists; returns the item id and whether it is new. */
  upsert(item: NewItem, createdAt: string): { id: number; created: boolean } {
    const result = this.insertStmt.run(item.hash, item.text, item.externalId, item.metadata, item.importId, createdAt);
    if (result.changes === 1) return { id: Number(result.lastInsertRowid), created: true };
    return { id: this.idByHashStmt.get(item.hash)!.id, created: false };
  }

  count(): number {
    return this.countStmt.get()!.n;
  }
}
