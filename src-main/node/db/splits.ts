/**
 * Persists split assignment (see common/splitAssignment for the rule). Every write path that
 * labels items assigns their splits in the same transaction, so reading a project never writes.
 * The order within a class comes from SHA-256(seed, text hash): the same texts labelled in the
 * same batches get the same splits in any project with the same seed, whatever their item ids.
 */
import { hash } from 'node:crypto';
import { assignClass, emptyCounts, type SplitCounts } from '../../common/splitAssignment';
import type { Split } from '../../common/contract';
import { BatchInsert } from './batchInsert';
import type { Db } from './open';
import type { ProjectMeta } from './projectMeta';

interface PendingRow {
  item_id: number;
  label: string;
  hash: Buffer;
}

export class Splits {
  private readonly pendingStmt;
  private readonly pendingAmongStmt;
  private readonly countsStmt;
  private readonly anyPendingStmt;
  private readonly insertStmt;

  constructor(
    private readonly db: Db,
    private readonly meta: ProjectMeta,
  ) {
    this.pendingStmt = db.prepare<[], PendingRow>(
      `SELECT c.item_id, c.label, i.hash FROM current_labels c
       JOIN items i ON i.id = c.item_id
       LEFT JOIN item_splits s ON s.item_id = c.item_id
       WHERE s.item_id IS NULL`,
    );
    this.pendingAmongStmt = db.prepare<[string], PendingRow>(
      `SELECT c.item_id, c.label, i.hash FROM json_each(?) j
       JOIN current_labels c ON c.item_id = j.value
       JOIN items i ON i.id = c.item_id
       LEFT JOIN item_splits s ON s.item_id = c.item_id
       WHERE s.item_id IS NULL`,
    );
    // Only automatic assignments count: splits a file gave (an official test set) are the
    // analyst's, and the fractions apply to the rest (90/10/0 of a training file imported beside
    // its test file must not send every training review to train to "balance" the test set).
    // label_counts (kept by triggers) rather than a GROUP BY over every labelled item: this runs
    // on every key press that labels a new item.
    this.countsStmt = db.prepare<[], { label: string; split: Split; n: number }>(
      `SELECT label, split, n FROM label_counts WHERE source = 'auto' AND n > 0`,
    );
    this.anyPendingStmt = db.prepare<[], { n: number }>(`SELECT coalesce(sum(n), 0) AS n FROM label_counts WHERE split = ''`);
    this.insertStmt = db.prepare('INSERT INTO item_splits(item_id, split, source) VALUES (?, ?, ?) ON CONFLICT(item_id) DO NOTHING');
  }

  /** Fixes a split an imported file gave explicitly (wins over automatic assignment). */
  setImported(itemId: number, split: Split): void {
    this.insertStmt.run(itemId, split, 'import');
  }

  /** Automatically assigned items per label and split. */
  autoCountsByLabel(): Map<string, SplitCounts> {
    const counts = new Map<string, SplitCounts>();
    for (const row of this.countsStmt.all()) {
      const c = counts.get(row.label) ?? emptyCounts();
      c[row.split] = row.n;
      counts.set(row.label, c);
    }
    return counts;
  }

  /**
   * Assigns a split to every labelled item without one (or only to those among `itemIds`);
   * returns how many were assigned. Call it inside the transaction that labelled them.
   */
  assignPending(itemIds?: readonly number[]): number {
    if (!itemIds && this.anyPendingStmt.get()!.n === 0) return 0;
    const seed = Buffer.from(`${this.meta.splitSeed()}:`);
    // Streamed into a few bytes per item: a million newly labelled items (one import) held as row
    // objects with their hashes took 500 MB of the importing process.
    const byLabel = new Map<string, PendingKeys>();
    let pending = 0;
    for (const p of itemIds ? this.pendingAmongStmt.iterate(JSON.stringify(itemIds)) : this.pendingStmt.iterate()) {
      // 48 bits of SHA-256(seed, text hash): an order that only the seed and the text decide.
      const key = hash('sha256', Buffer.concat([seed, p.hash]), 'buffer').readUIntBE(0, 6);
      let keys = byLabel.get(p.label);
      if (!keys) byLabel.set(p.label, (keys = new PendingKeys()));
      keys.add(p.item_id, key);
      pending++;
    }
    if (pending === 0) return 0;
    const fractions = this.meta.splitFractions();
    const counts = this.autoCountsByLabel();
    this.db.transaction(() => {
      const insert = new BatchInsert(this.db, 'INSERT INTO item_splits(item_id, split, source)', 3, 'ON CONFLICT(item_id) DO NOTHING');
      for (const [label, keys] of byLabel) {
        const order = keys.order();
        const assigned = assignClass(order.length, counts.get(label) ?? emptyCounts(), fractions);
        order.forEach((row, i) => insert.add(keys.itemId(row), assigned[i], 'auto'));
      }
      insert.flush();
    })();
    return pending;
  }
}

/** One label's pending items and their order keys, in typed arrays that double when full. */
class PendingKeys {
  private ids = new Int32Array(64);
  private keys = new Float64Array(64);
  private n = 0;

  add(itemId: number, key: number): void {
    if (this.n === this.ids.length) {
      const ids = new Int32Array(2 * this.n);
      ids.set(this.ids);
      const keys = new Float64Array(2 * this.n);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    this.ids[this.n] = itemId;
    this.keys[this.n++] = key;
  }

  itemId(row: number): number {
    return this.ids[row]!;
  }

  /** Rows by key, ties by item id. */
  order(): Uint32Array {
    return Uint32Array.from({ length: this.n }, (_, i) => i).sort((a, b) => this.keys[a]! - this.keys[b]! || this.ids[a]! - this.ids[b]!);
  }
}
