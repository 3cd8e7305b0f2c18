import { afterEach, describe, expect, it } from 'vitest';
import { planStudy, studyRequestSchema } from '../../../src-main/common/studies';
import { Runs } from '../../../src-main/node/db/runs';
import { Studies } from '../../../src-main/node/db/studies';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

function project() {
  const t = tempDir();
  const p = newProject(t.dir, 'studies');
  cleanup = () => {
    p.close();
    t.cleanup();
  };
  const ids = addTexts(p, Array.from({ length: 20 }, (_, i) => `review ${i}`));
  p.setLabels(ids, 'positive', 'bulk', 'x');
  return p;
}

describe('studies table', () => {
  it('marks a study whose process is gone as interrupted, with its trials left to resume', () => {
    const p = project();
    const studies = new Studies(p.db);
    const request = studyRequestSchema.parse({ kind: 'learning-curve', fractions: [0.5, 1] });
    const id = studies.create(request, planStudy(request));
    const run = new Runs(p.db).create({ kind: 'gru', hyperparameters: {}, seed: 1, appVersion: 't' });
    studies.attachRun(id, 0, run.id);
    expect(studies.markInterrupted(() => true)).toBe(0);
    expect(studies.markInterrupted(() => false)).toBe(1);
    const study = studies.get(id);
    expect(study).toMatchObject({ status: 'interrupted', error: expect.stringContaining('stopped before it finished') });
    // The trial that was training when the process died did not really run: it is pending again,
    // and its unfinished run stays in the history without the study's tag.
    expect(study.trials.map((t) => [t.status, t.runId])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);
    expect(studies.pending(id).map((t) => t.params)).toEqual([{ trainFraction: 0.5 }, { trainFraction: 1 }]);
    expect(studies.trialsByRun().has(run.id)).toBe(false);
    expect(new Runs(p.db).get(run.id).id).toBe(run.id);
  });

  it('keeps a trial marked as run when its run is deleted, and refuses to delete a running study', () => {
    const p = project();
    const studies = new Studies(p.db);
    const request = studyRequestSchema.parse({ kind: 'learning-curve', fractions: [0.5, 1] });
    const id = studies.create(request, planStudy(request));
    const run = new Runs(p.db).create({ kind: 'gru', hyperparameters: {}, seed: 1, appVersion: 't' });
    studies.attachRun(id, 0, run.id);
    p.db.prepare('DELETE FROM runs WHERE id = ?').run(run.id);
    expect(studies.get(id).trials[0]).toMatchObject({ runId: null, runDeleted: true, status: 'failed' });
    expect(studies.pending(id)).toHaveLength(1);
    expect(() => studies.delete(id)).toThrow(/still running/);
    studies.setStatus(id, 'cancelled');
    studies.delete(id);
    expect(studies.list()).toEqual([]);
    expect(p.db.prepare('SELECT COUNT(*) AS n FROM study_trials').get()).toEqual({ n: 0 });
  });
});
