/**
 * Training runs: the exact (item, label, split) snapshot a run trains on, its hyperparameters,
 * per-epoch metrics, test predictions and model. The main process (or CLI) is the only writer;
 * the trainer process reads the snapshot read-only.
 */
import { createHash } from 'node:crypto';
import { StudioError } from '../../common/errors';
import type { EvaluationMetrics } from '../../common/metrics';
import { BASELINE_RUN_KIND } from '../../common/baseline';
import { CROSSVAL_RUN_KIND } from '../../common/labelCheck';
import { compareWithBaseline, type BaselineComparison } from '../../common/baselineComparison';
import type { BaselineRunDetails, EpochMetrics, TrainedModel, TrainOutcome } from '../../common/trainer';
import type { Db } from './open';

import type { RunStatus, RunSummary } from '../../common/contract';

export type { RunStatus };

export interface RunRecord {
  id: number;
  kind: string;
  status: RunStatus;
  hyperparameters: Record<string, unknown>;
  seed: number;
  backend: string | null;
  snapshotHash: string;
  snapshotSize: number;
  parentRunId: number | null;
  appVersion: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  metrics: RunMetrics | null;
}

export interface RunMetrics {
  test: EvaluationMetrics | null;
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
  samplesPerSecond: number;
  sizes: TrainOutcome['sizes'];
  /** Baseline runs: the chosen C and the search behind it. */
  baseline?: BaselineRunDetails;
}

/** A run's stored model; `weights` is empty for a baseline. */
export type SavedModel = Omit<TrainedModel, 'weights'> & { weights: Buffer };

export interface SnapshotRow {
  itemId: number;
  text: string;
  label: string;
  split: 'train' | 'validation' | 'test';
}

interface RunRow {
  id: number;
  kind: string;
  status: RunStatus;
  hyperparameters: string;
  seed: number;
  backend: string | null;
  snapshot_hash: string;
  snapshot_size: number;
  parent_run_id: number | null;
  app_version: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  metrics: string | null;
}

export interface SnapshotDigestRow {
  hash: Buffer;
  label: string;
  split: string;
}

/**
 * The snapshot hash over (text hash, label, split) rows already in text-hash order: SHA-256 of the
 * parts joined by newlines, fed as the rows stream by (joining a million rows' parts first held
 * a gigabyte in the process that records the run).
 */
export function snapshotDigest(rows: Iterable<SnapshotDigestRow>): { hash: string; size: number } {
  const digest = createHash('sha256');
  let size = 0;
  for (const row of rows) {
    digest.update(`${size === 0 ? '' : '\n'}${row.hash.toString('hex')}\n${row.label}\n${row.split}`);
    size++;
  }
  return { hash: digest.digest('hex'), size };
}

/** Signal 0 checks existence; EPERM means it exists but belongs to someone else. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The run's test score against the newest finished baseline on its snapshot. */
export function baselineComparison(runs: Runs, r: RunRecord): BaselineComparison | null {
  if (r.kind === BASELINE_RUN_KIND || r.kind === CROSSVAL_RUN_KIND || !r.metrics?.test) return null;
  // A run on part of the training labels (a learning-curve point) would be measured against a
  // baseline that saw all of them: no comparison rather than a misleading one.
  const share = r.hyperparameters['trainFraction'];
  if (typeof share === 'number' && share < 1) return null;
  const baseline = runs.baselineFor(r.snapshotHash);
  if (!baseline?.metrics?.test) return null;
  return compareWithBaseline(r.metrics.test, baseline.metrics.test, baseline.id);
}

export function runSummary(r: RunRecord, baseline: BaselineComparison | null = null): RunSummary {
  const preset = r.hyperparameters['preset'];
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    preset: typeof preset === 'string' ? preset : null,
    hyperparameters: r.hyperparameters,
    backend: r.backend,
    snapshotHash: r.snapshotHash,
    snapshotSize: r.snapshotSize,
    parentRunId: r.parentRunId,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    test: r.metrics?.test ?? null,
    bestEpoch: r.metrics?.bestEpoch ?? null,
    seconds: r.metrics?.seconds ?? null,
    baseline,
  };
}

function toRecord(r: RunRow): RunRecord {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    hyperparameters: JSON.parse(r.hyperparameters) as Record<string, unknown>,
    seed: r.seed,
    backend: r.backend,
    snapshotHash: r.snapshot_hash,
    snapshotSize: r.snapshot_size,
    parentRunId: r.parent_run_id,
    appVersion: r.app_version,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
    metrics: r.metrics ? (JSON.parse(r.metrics) as RunMetrics) : null,
  };
}

export class Runs {
  constructor(private readonly db: Db) {}

  /**
   * Creates a run over the current labels (every labelled item with a split). The snapshot hash
   * covers (text hash, label, split) in text-hash order, so equal data gives an equal hash in any
   * project.
   */
  create(options: {
    kind: string;
    hyperparameters: Record<string, unknown>;
    seed: number;
    appVersion: string;
    parentRunId?: number;
    /** Train on exactly that run's snapshot instead of the current labels (the automatic baseline). */
    sameSnapshotAs?: number;
  }): RunRecord {
    return this.db
      .transaction(() => {
        const now = new Date().toISOString();
        const id = Number(
          this.db
            .prepare(
              `INSERT INTO runs(kind, status, hyperparameters, seed, snapshot_hash, snapshot_size, parent_run_id, app_version, started_at, owner_pid)
               VALUES (?, 'queued', ?, ?, '', 0, ?, ?, ?, ?)`,
            )
            .run(options.kind, JSON.stringify(options.hyperparameters), options.seed, options.parentRunId ?? null, options.appVersion, now, process.pid).lastInsertRowid,
        );
        if (options.sameSnapshotAs === undefined) {
          this.db
            .prepare(
              `INSERT INTO run_snapshot(run_id, item_id, label, split)
               SELECT ?, c.item_id, c.label, s.split FROM current_labels c JOIN item_splits s ON s.item_id = c.item_id`,
            )
            .run(id);
        } else {
          this.get(options.sameSnapshotAs);
          this.db
            .prepare('INSERT INTO run_snapshot(run_id, item_id, label, split) SELECT ?, item_id, label, split FROM run_snapshot WHERE run_id = ?')
            .run(id, options.sameSnapshotAs);
        }
        const snapshot = snapshotDigest(
          this.db
            .prepare<[number], SnapshotDigestRow>(
              `SELECT i.hash, r.label, r.split FROM run_snapshot r JOIN items i ON i.id = r.item_id WHERE r.run_id = ? ORDER BY i.hash`,
            )
            .iterate(id),
        );
        this.db.prepare('UPDATE runs SET snapshot_hash = ?, snapshot_size = ? WHERE id = ?').run(snapshot.hash, snapshot.size, id);
        return this.get(id);
      })
      .immediate();
  }

  get(id: number): RunRecord {
    const row = this.db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
    if (!row) throw new StudioError('not-found', `run ${id} does not exist`);
    return toRecord(row);
  }

  list(): RunRecord[] {
    return this.db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY id').all().map(toRecord);
  }

  /** In text-hash order, like the snapshot hash: equal data trains identically in any project. */
  snapshot(runId: number): SnapshotRow[] {
    return this.db
      .prepare<[number], SnapshotRow>(
        `SELECT r.item_id AS itemId, i.text, r.label, r.split FROM run_snapshot r JOIN items i ON i.id = r.item_id
         WHERE r.run_id = ? ORDER BY i.hash`,
      )
      .all(runId);
  }

  markRunning(runId: number, backend: string): void {
    this.db.prepare("UPDATE runs SET status = 'running', backend = ? WHERE id = ?").run(backend, runId);
  }

  /**
   * Runs left 'queued' or 'running' by a process that no longer exists (the app or CLI was killed
   * mid-run) are marked failed, so they never show as training forever.
   */
  failInterrupted(isAlive: (pid: number) => boolean): number {
    const stale = this.db
      .prepare<[], { id: number; owner_pid: number | null }>("SELECT id, owner_pid FROM runs WHERE status IN ('queued', 'running')")
      .all()
      .filter((r) => r.owner_pid === null || !isAlive(r.owner_pid));
    for (const r of stale) this.fail(r.id, 'interrupted: the app or command that ran this training stopped before it finished');
    return stale.length;
  }

  addEpoch(runId: number, metrics: EpochMetrics): void {
    this.db
      .prepare('INSERT INTO run_epochs(run_id, epoch, metrics) VALUES (?, ?, ?) ON CONFLICT(run_id, epoch) DO UPDATE SET metrics = excluded.metrics')
      .run(runId, metrics.epoch, JSON.stringify(metrics));
  }

  epochs(runId: number): EpochMetrics[] {
    return this.db
      .prepare<[number], { metrics: string }>('SELECT metrics FROM run_epochs WHERE run_id = ? ORDER BY epoch')
      .all(runId)
      .map((r) => JSON.parse(r.metrics) as EpochMetrics);
  }

  /** Stores the outcome in one transaction: predictions, model, metrics and the final status. */
  finish(runId: number, outcome: TrainOutcome, labels: string[]): void {
    const k = labels.length;
    this.db
      .transaction(() => {
        const insert = this.db.prepare(
          'INSERT INTO run_predictions(run_id, item_id, split, label, predicted, probabilities) VALUES (?, ?, ?, ?, ?, ?)',
        );
        const truth = this.db.prepare<[number, number], { label: string; split: string }>('SELECT label, split FROM run_snapshot WHERE run_id = ? AND item_id = ?');
        const { itemIds, probabilities } = outcome.predictions;
        for (let i = 0; i < itemIds.length; i++) {
          const row = probabilities.subarray(i * k, (i + 1) * k);
          let best = 0;
          for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
          const gold = truth.get(runId, itemIds[i]!)!;
          insert.run(runId, itemIds[i], gold.split, gold.label, labels[best], Buffer.from(row.buffer, row.byteOffset, row.byteLength));
        }
        const model = outcome.model;
        if (model) {
          this.db
            .prepare('INSERT INTO models(run_id, format, model_json, weights, tokenizer, created_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(runId, model.format, model.modelJson, Buffer.from(model.weights), model.tokenizerJson, new Date().toISOString());
        }
        const metrics: RunMetrics = {
          test: outcome.test,
          bestEpoch: outcome.bestEpoch,
          stoppedEarly: outcome.stoppedEarly,
          seconds: outcome.seconds,
          samplesPerSecond: outcome.samplesPerSecond,
          sizes: outcome.sizes,
          ...(outcome.baseline ? { baseline: outcome.baseline } : {}),
        };
        this.db
          .prepare('UPDATE runs SET status = ?, backend = ?, finished_at = ?, metrics = ? WHERE id = ?')
          .run(outcome.status, outcome.backend, new Date().toISOString(), JSON.stringify(metrics), runId);
      })
      .immediate();
  }

  fail(runId: number, reason: string): void {
    this.db.prepare("UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?").run(new Date().toISOString(), reason, runId);
  }

  model(runId: number): SavedModel | null {
    const row = this.db
      .prepare<[number], { format: string; model_json: string; weights: Buffer; tokenizer: string }>('SELECT format, model_json, weights, tokenizer FROM models WHERE run_id = ?')
      .get(runId);
    return row ? { format: row.format, modelJson: row.model_json, weights: row.weights, tokenizerJson: row.tokenizer } : null;
  }

  /** The newest finished baseline trained on exactly this snapshot (same hash), if any. */
  baselineFor(snapshotHash: string): RunRecord | null {
    const row = this.db
      .prepare<[string, string], RunRow>("SELECT * FROM runs WHERE kind = ? AND snapshot_hash = ? AND status = 'done' ORDER BY id DESC LIMIT 1")
      .get(BASELINE_RUN_KIND, snapshotHash);
    return row ? toRecord(row) : null;
  }

  /** A run stopped before its trainer produced anything (cancelled while it waited). */
  cancelUnstarted(runId: number, reason: string): void {
    this.db.prepare("UPDATE runs SET status = 'cancelled', finished_at = ?, error = ? WHERE id = ?").run(new Date().toISOString(), reason, runId);
  }
}
