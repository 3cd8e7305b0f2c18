/**
 * Studies and their planned trials. A trial's results are read from its run (status, metrics,
 * epochs) rather than copied, so the run history and the study never disagree.
 */
import { StudioError } from '../../common/errors';
import type { RunStatus } from '../../common/contract';
import { bestTrialIndex, type FieldValue, type StudyPlan, type StudyRequest, type StudyStatus, type StudySummary, type StudyTrial } from '../../common/studies';
import type { EpochMetrics } from '../../common/trainer';
import type { Db } from './open';
import type { RunMetrics } from './runs';

interface StudyRow {
  id: number;
  kind: StudySummary['kind'];
  status: StudyStatus;
  request: string;
  note: string | null;
  created_at: string;
  finished_at: string | null;
  error: string | null;
}

interface TrialRow {
  trial: number;
  params: string;
  started: number;
  run_id: number | null;
  run_status: RunStatus | null;
  metrics: string | null;
}

/** The validation accuracy and loss of a run's best epoch (by validation accuracy). */
function bestEpoch(epochs: EpochMetrics[]): { accuracy: number; loss: number | null } | null {
  let best: EpochMetrics | null = null;
  for (const e of epochs) if (e.valAccuracy !== null && (!best || e.valAccuracy > best.valAccuracy!)) best = e;
  return best ? { accuracy: best.valAccuracy!, loss: best.valLoss } : null;
}

export class Studies {
  constructor(private readonly db: Db) {}

  create(request: StudyRequest, plan: StudyPlan): number {
    return this.db
      .transaction(() => {
        const id = Number(
          this.db
            .prepare(`INSERT INTO studies(kind, status, request, note, created_at, owner_pid) VALUES (?, 'running', ?, ?, ?, ?)`)
            .run(request.kind, JSON.stringify(request), plan.note, new Date().toISOString(), process.pid).lastInsertRowid,
        );
        const insert = this.db.prepare('INSERT INTO study_trials(study_id, trial, params) VALUES (?, ?, ?)');
        plan.trials.forEach((t, i) => insert.run(id, i, JSON.stringify(t.params)));
        return id;
      })
      .immediate();
  }

  get(id: number): StudySummary {
    const row = this.db.prepare<[number], StudyRow>('SELECT * FROM studies WHERE id = ?').get(id);
    if (!row) throw new StudioError('not-found', `study ${id} does not exist`);
    return this.summarize(row);
  }

  /** Newest first. */
  list(): StudySummary[] {
    return this.db.prepare<[], StudyRow>('SELECT * FROM studies ORDER BY id DESC').all().map((r) => this.summarize(r));
  }

  /** Trials not started yet, in plan order. */
  pending(id: number): { index: number; params: Record<string, FieldValue> }[] {
    return this.db
      .prepare<[number], { trial: number; params: string }>('SELECT trial, params FROM study_trials WHERE study_id = ? AND started = 0 ORDER BY trial')
      .all(id)
      .map((r) => ({ index: r.trial, params: JSON.parse(r.params) as Record<string, FieldValue> }));
  }

  attachRun(id: number, trial: number, runId: number): void {
    this.db.prepare('UPDATE study_trials SET started = 1, run_id = ? WHERE study_id = ? AND trial = ?').run(runId, id, trial);
  }

  /** A trial whose run was cut off by a quit is pending again (its failed run stays in the history). */
  reopenTrial(id: number, trial: number): void {
    this.db.prepare('UPDATE study_trials SET started = 0, run_id = NULL WHERE study_id = ? AND trial = ?').run(id, trial);
  }

  setStatus(id: number, status: StudyStatus, error: string | null = null): void {
    const finished = status === 'running' ? null : new Date().toISOString();
    this.db.prepare('UPDATE studies SET status = ?, finished_at = ?, error = ?, owner_pid = ? WHERE id = ?').run(status, finished, error, status === 'running' ? process.pid : null, id);
  }

  /** Studies left 'running' by a process that is gone: resumable, so 'interrupted' rather than failed. */
  markInterrupted(isAlive: (pid: number) => boolean): number {
    const stale = this.db
      .prepare<[], { id: number; owner_pid: number | null }>("SELECT id, owner_pid FROM studies WHERE status = 'running'")
      .all()
      .filter((r) => r.owner_pid === null || !isAlive(r.owner_pid));
    for (const r of stale) {
      // The trial that was training when the app died did not really run: resuming runs it again.
      this.db
        .prepare(
          `UPDATE study_trials SET started = 0, run_id = NULL WHERE study_id = ?
           AND run_id IN (SELECT id FROM runs WHERE status IN ('queued', 'running') OR (status = 'failed' AND error LIKE 'interrupted%'))`,
        )
        .run(r.id);
      this.setStatus(r.id, 'interrupted', 'the app or command that ran this study stopped before it finished');
    }
    return stale.length;
  }

  /** Which study each run is a trial of (for the run history). */
  trialsByRun(): Map<number, { id: number; kind: StudySummary['kind']; trial: number }> {
    const rows = this.db
      .prepare<[], { runId: number; id: number; kind: StudySummary['kind']; trial: number }>(
        'SELECT t.run_id AS runId, s.id, s.kind, t.trial FROM study_trials t JOIN studies s ON s.id = t.study_id WHERE t.run_id IS NOT NULL',
      )
      .all();
    return new Map(rows.map((r) => [r.runId, { id: r.id, kind: r.kind, trial: r.trial }]));
  }

  /** The study's run ids, for deleting them with it. */
  runIds(id: number): number[] {
    return this.db.prepare<[number], { runId: number }>('SELECT run_id AS runId FROM study_trials WHERE study_id = ? AND run_id IS NOT NULL ORDER BY trial').all(id).map((r) => r.runId);
  }

  delete(id: number): void {
    const study = this.get(id);
    if (study.status === 'running') throw new StudioError('busy', `Study ${id} is still running; cancel it before deleting it.`);
    this.db.prepare('DELETE FROM studies WHERE id = ?').run(id);
  }

  private summarize(row: StudyRow): StudySummary {
    const epochsOf = this.db.prepare<[number], { metrics: string }>('SELECT metrics FROM run_epochs WHERE run_id = ? ORDER BY epoch');
    const trials: StudyTrial[] = this.db
      .prepare<[number], TrialRow>(
        `SELECT t.trial, t.params, t.started, t.run_id, r.status AS run_status, r.metrics FROM study_trials t
         LEFT JOIN runs r ON r.id = t.run_id WHERE t.study_id = ? ORDER BY t.trial`,
      )
      .all(row.id)
      .map((t) => {
        const metrics = t.metrics ? (JSON.parse(t.metrics) as RunMetrics) : null;
        const best = t.run_id === null ? null : bestEpoch(epochsOf.all(t.run_id).map((e) => JSON.parse(e.metrics) as EpochMetrics));
        return {
          index: t.trial,
          params: JSON.parse(t.params) as Record<string, FieldValue>,
          runId: t.run_id,
          runDeleted: t.started === 1 && t.run_id === null,
          // A trial whose run was deleted did run: counted as failed, not as still to come.
          status: t.run_status ?? (t.started === 1 ? 'failed' : 'pending'),
          trainSize: metrics?.sizes.train ?? null,
          bestValAccuracy: best?.accuracy ?? null,
          valLoss: best?.loss ?? null,
          testAccuracy: metrics?.test?.accuracy ?? null,
          testMacroF1: metrics?.test?.macroF1 ?? null,
          seconds: metrics?.seconds ?? null,
        };
      });
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      request: JSON.parse(row.request) as StudyRequest,
      note: row.note,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      error: row.error,
      trials,
      bestTrial: bestTrialIndex(trials),
    };
  }
}
