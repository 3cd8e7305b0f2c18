import { afterEach, describe, expect, it } from 'vitest';
import type { EpochMetrics, TrainOutcome } from '../../../src-main/common/trainer';
import { RunHistory } from '../../../src-main/node/db/runHistory';
import { Runs } from '../../../src-main/node/db/runs';
import type { Project } from '../../../src-main/node/db/project';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

function labelledProject(): { p: Project; ids: number[] } {
  const t = tempDir();
  const p = newProject(t.dir, 'runs');
  cleanup = () => {
    p.close();
    t.cleanup();
  };
  const ids = addTexts(p, Array.from({ length: 40 }, (_, i) => `review number ${i}`));
  p.setLabels(ids.slice(0, 20), 'positive', 'bulk', 'x');
  p.setLabels(ids.slice(20), 'negative', 'bulk', 'x');
  return { p, ids };
}

const epoch = (n: number, valAccuracy: number | null): EpochMetrics => ({
  epoch: n,
  loss: 1 / n,
  accuracy: 0.5 + n / 10,
  valLoss: valAccuracy === null ? null : 1 - valAccuracy,
  valAccuracy,
  seconds: 1,
  samplesPerSecond: 100,
  partial: false,
});

function finished(runs: Runs, options: { parentRunId?: number; kind?: string } = {}): number {
  const run = runs.create({ kind: options.kind ?? 'gru', hyperparameters: { preset: 'fast', units: 4 }, seed: 1, appVersion: 't', ...options });
  runs.markRunning(run.id, 'wasm');
  const outcome: TrainOutcome = {
    status: 'done',
    backend: 'wasm',
    epochs: [],
    bestEpoch: 1,
    stoppedEarly: false,
    seconds: 2,
    samplesPerSecond: 10,
    sizes: { train: 32, validation: 4, test: 4 },
    test: null,
    predictions: { itemIds: new Int32Array(0), probabilities: new Float32Array(0) },
    model: { format: 'tfjs-layers', modelJson: '{}', weights: new ArrayBuffer(8), tokenizerJson: '{}' },
  };
  runs.finish(run.id, outcome, ['positive', 'negative']);
  return run.id;
}

describe('run history', () => {
  it('lists the best validation accuracy, the model and whether the labels changed since', () => {
    const { p, ids } = labelledProject();
    const runs = new Runs(p.db);
    const history = new RunHistory(p.db, p.meta);
    const id = finished(runs);
    runs.addEpoch(id, epoch(1, 0.6));
    runs.addEpoch(id, epoch(2, 0.85));
    runs.addEpoch(id, epoch(3, 0.8));
    const failed = runs.create({ kind: 'lstm', hyperparameters: {}, seed: 1, appVersion: 't' });
    runs.fail(failed.id, 'out of memory');

    expect(history.currentSnapshotHash()).toBe(runs.get(id).snapshotHash);
    expect(history.list()).toMatchObject([
      { id, hasModel: true, bestValAccuracy: 0.85, labelsChanged: false, current: false },
      { id: failed.id, status: 'failed', error: 'out of memory', hasModel: false, bestValAccuracy: null, labelsChanged: false },
    ]);

    p.setLabels([ids[0]!], 'negative', 'manual', 'x');
    expect(history.list().map((r) => r.labelsChanged)).toEqual([true, true]);
    // Back to the labels it trained on: the same snapshot again.
    p.setLabels([ids[0]!], 'positive', 'manual', 'x');
    expect(history.list().map((r) => r.labelsChanged)).toEqual([false, false]);
    // One more labelled review: told apart by the count alone.
    p.setLabels(addTexts(p, ['a review labelled later']), 'positive', 'manual', 'x');
    expect(history.list().map((r) => r.labelsChanged)).toEqual([true, true]);
    expect(history.epochs([id])).toEqual([{ runId: id, epochs: [epoch(1, 0.6), epoch(2, 0.85), epoch(3, 0.8)] }]);
  });

  it('marks only a finished run with a model as current, and keeps the mark in the project file', () => {
    const { p } = labelledProject();
    const runs = new Runs(p.db);
    const history = new RunHistory(p.db, p.meta);
    const id = finished(runs);
    const failed = runs.create({ kind: 'lstm', hyperparameters: {}, seed: 1, appVersion: 't' });
    runs.fail(failed.id, 'stopped');
    expect(() => history.setCurrent(failed.id)).toThrow(/cannot be the current model.*status: failed/);
    history.setCurrent(id);
    expect(p.meta.get('current_model_run_id')).toBe(String(id));
    expect(history.list().find((r) => r.id === id)?.current).toBe(true);
    history.setCurrent(null);
    expect(history.list().some((r) => r.current)).toBe(false);
  });

  it('deletes a run with everything it owns, and clears the current model it was', () => {
    const { p } = labelledProject();
    const runs = new Runs(p.db);
    const history = new RunHistory(p.db, p.meta);
    const keep = finished(runs);
    const gone = finished(runs);
    runs.addEpoch(gone, epoch(1, 0.7));
    history.setCurrent(gone);
    history.delete(gone);
    const count = (table: string) => (p.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(gone) as { n: number }).n;
    for (const table of ['run_snapshot', 'run_epochs', 'models']) expect(count(table)).toBe(0);
    expect(history.list().map((r) => r.id)).toEqual([keep]);
    expect(p.meta.currentModelRunId()).toBeNull();
    expect(runs.snapshot(keep)).toHaveLength(40);
  });

  it('refuses to delete a running run or one another run was fine-tuned from', () => {
    const { p } = labelledProject();
    const runs = new Runs(p.db);
    const history = new RunHistory(p.db, p.meta);
    const parent = finished(runs);
    const child = finished(runs, { parentRunId: parent });
    expect(() => history.delete(parent)).toThrow(`Run ${parent} cannot be deleted: run #${child} was fine-tuned from it. Delete that run first.`);
    const running = runs.create({ kind: 'gru', hyperparameters: {}, seed: 1, appVersion: 't' });
    runs.markRunning(running.id, 'wasm');
    expect(() => history.delete(running.id)).toThrow(/still training/);
    history.delete(child);
    history.delete(parent);
    expect(history.list().map((r) => r.id)).toEqual([running.id]);
  });
});
