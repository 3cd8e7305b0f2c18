/**
 * The Runs screen's view of the runs table: summaries with what the list shows beside each run
 * (current model, best validation accuracy, whether the labels changed since), marking the
 * project's current model, and deleting a run with everything it owns.
 */
import { StudioError } from '../../common/errors';
import type { EpochMetrics } from '../../common/trainer';
import type { RunHistoryEntry } from '../../common/contract';
import type { Db } from './open';
import type { ProjectMeta } from './projectMeta';
import { baselineComparison, runSummary, Runs, snapshotDigest, type RunRecord, type SnapshotDigestRow } from './runs';
import { Studies } from './studies';

interface CurrentSnapshot {
  /** Changes whenever a label or a split can have changed: the newest label event and the split count. */
  version: string;
  hash: string;
}

/**
 * Hashing every labelled item costs a sort over all of them (measured: 600 ms at 100,000 labelled
 * reviews, 0.07 ms from this cache), so the hash is kept until a label event or a split
 * assignment happens, and list() only asks for it when a run's snapshot size matches the count.
 */
const currentSnapshots = new WeakMap<Db, CurrentSnapshot>();

export class RunHistory {
  private readonly runs: Runs;

  constructor(
    private readonly db: Db,
    private readonly meta: ProjectMeta,
  ) {
    this.runs = new Runs(db);
  }

  /** The hash a run started now would record (Runs.create hashes the same rows the same way). */
  currentSnapshotHash(): string {
    const version = this.db
      .prepare<[], { version: string }>(
        `SELECT coalesce((SELECT max(id) FROM label_events), 0) || ':' || (SELECT COUNT(*) FROM item_splits) AS version`,
      )
      .get()!.version;
    const cached = currentSnapshots.get(this.db);
    if (cached?.version === version) return cached.hash;
    const { hash } = snapshotDigest(
      this.db
        .prepare<[], SnapshotDigestRow>(
          `SELECT i.hash, c.label, s.split FROM current_labels c JOIN item_splits s ON s.item_id = c.item_id
           JOIN items i ON i.id = c.item_id ORDER BY i.hash`,
        )
        .iterate(),
    );
    currentSnapshots.set(this.db, { version, hash });
    return hash;
  }

  list(): RunHistoryEntry[] {
    const current = this.meta.currentModelRunId();
    // The rows a snapshot takes: labelled items with a split (label_counts keeps them counted).
    const labelled = this.db.prepare<[], { n: number }>("SELECT coalesce(sum(n), 0) AS n FROM label_counts WHERE split != ''").get()!.n;
    let snapshotHash: string | null = null;
    const sameSnapshot = (r: RunRecord) => r.snapshotSize === labelled && r.snapshotHash === (snapshotHash ??= this.currentSnapshotHash());
    const bestValAccuracy = new Map(
      this.db
        .prepare<[], { runId: number; best: number | null }>(
          `SELECT run_id AS runId, max(json_extract(metrics, '$.valAccuracy')) AS best FROM run_epochs GROUP BY run_id`,
        )
        .all()
        .map((r) => [r.runId, r.best]),
    );
    const trials = new Studies(this.db).trialsByRun();
    const withModel = new Set(this.db.prepare<[], { runId: number }>('SELECT run_id AS runId FROM models').all().map((r) => r.runId));
    return this.runs.list().map((r) => ({
      ...runSummary(r, baselineComparison(this.runs, r)),
      current: r.id === current,
      hasModel: withModel.has(r.id),
      bestValAccuracy: bestValAccuracy.get(r.id) ?? null,
      labelsChanged: r.snapshotHash !== '' && !sameSnapshot(r),
      study: trials.get(r.id) ?? null,
    }));
  }

  epochs(runIds: number[]): { runId: number; epochs: EpochMetrics[] }[] {
    return runIds.map((runId) => {
      this.runs.get(runId);
      return { runId, epochs: this.runs.epochs(runId) };
    });
  }

  /** Only a finished run that saved a model can be the project's model; null clears the mark. */
  setCurrent(runId: number | null): void {
    if (runId !== null) {
      const run = this.runs.get(runId);
      if (run.status !== 'done' || !this.runs.model(runId)) {
        throw new StudioError('invalid-input', `Run ${runId} cannot be the current model: it did not finish with a saved model (status: ${run.status}).`);
      }
    }
    this.meta.setCurrentModelRunId(runId);
  }

  /**
   * Deletes the run with its snapshot, epochs, predictions and model (the run_* tables and models
   * cascade). A run others were fine-tuned from is kept: their parent reference is their lineage,
   * and the exported bundles of those runs name it.
   */
  delete(runId: number): void {
    this.db
      .transaction(() => {
        const run = this.runs.get(runId);
        if (run.status === 'queued' || run.status === 'running') {
          throw new StudioError('busy', `Run ${runId} is still training; cancel it before deleting it.`);
        }
        const children = this.db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE parent_run_id = ? ORDER BY id').all(runId);
        if (children.length > 0) {
          const names = children.map((c) => `#${c.id}`).join(', ');
          throw new StudioError(
            'invalid-input',
            `Run ${runId} cannot be deleted: ${children.length === 1 ? 'run' : 'runs'} ${names} ${children.length === 1 ? 'was' : 'were'} fine-tuned from it. Delete ${children.length === 1 ? 'that run' : 'those runs'} first.`,
          );
        }
        if (this.meta.currentModelRunId() === runId) this.meta.setCurrentModelRunId(null);
        this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      })
      .immediate();
  }
}
