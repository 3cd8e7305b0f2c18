/**
 * A run's snapshot read straight from the project, pass by pass, in the order of `Runs.snapshot`
 * (text hash): each pass is one statement iterated row by row, so no pass holds more than a row.
 */
import type { Db } from '../db/open';
import type { SnapshotRow } from '../db/runs';
import type { SnapshotSource } from './dataset';

export function snapshotSource(db: Db, runId: number): SnapshotSource {
  const from = 'FROM run_snapshot r JOIN items i ON i.id = r.item_id WHERE r.run_id = ? ORDER BY i.hash';
  return {
    size: db.prepare<[number], number>('SELECT COUNT(*) FROM run_snapshot WHERE run_id = ?').pluck().get(runId)!,
    rows: () => db.prepare<[number], Omit<SnapshotRow, 'text'>>(`SELECT r.item_id AS itemId, r.label, r.split ${from}`).iterate(runId),
    texts: () => db.prepare<[number], string>(`SELECT i.text ${from}`).pluck().iterate(runId),
  };
}
