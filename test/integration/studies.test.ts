/**
 * Studies through the handler map with the real trainer process: every trial is an ordinary run,
 * the study records which, and a cancelled study resumes with the trials it had left.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StudySummary } from '../../src-main/common/studies';
import { labelSetPresets } from '../../src-main/common/labels';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { tempDir } from '../helpers/tempProject';
import { toyReviews } from '../helpers/toyReviews';

let service: StudioService | null = null;
let cleanup = () => {};
afterEach(async () => {
  await service?.dispose();
  cleanup();
});

/** Small enough that a trial takes a few seconds, most of it starting the trainer process. */
const tiny = { epochs: 1, maxLen: 16, units: 4, embedDim: 8, minCount: 1, vocabSize: 200 };

async function labelledProject(): Promise<StudioService> {
  const t = tempDir();
  cleanup = t.cleanup;
  const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));
  await s.invoke('project:create', { path: join(t.dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] });
  const file = join(t.dir, 'toy.jsonl');
  writeFileSync(file, toyReviews(240).map((r) => JSON.stringify(r)).join('\n'));
  await s.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
  return s;
}

function untilStudyEnds(s: StudioService, id: number): Promise<StudySummary> {
  return new Promise((resolve) =>
    s.on('studies:updated', (study) => {
      if (study.id === id && study.status !== 'running') resolve(study);
    }),
  );
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('studies', () => {
  it('trains a learning curve on nested shares and reads each trial from its run', async () => {
    const s = await labelledProject();
    const started = value(await s.invoke('studies:start', { kind: 'learning-curve', preset: 'fast', overrides: tiny, fractions: [0.25, 1] }));
    expect(started).toMatchObject({ kind: 'learning-curve', status: 'running', trials: [{ params: { trainFraction: 0.25 } }, { params: { trainFraction: 1 } }] });
    // The study holds the training slot, also between its trials.
    expect(await s.invoke('train:start', { preset: 'fast' })).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('learning curve is running') } });
    const status = value(await s.invoke('train:status', {}));
    expect(status.study?.id).toBe(started.id);
    const ended = await untilStudyEnds(s, started.id);
    expect(ended.status).toBe('done');
    const [quarter, full] = ended.trials;
    expect(quarter).toMatchObject({ status: 'done', runId: expect.any(Number), bestValAccuracy: expect.any(Number), testAccuracy: expect.any(Number) });
    expect(full).toMatchObject({ status: 'done', bestValAccuracy: expect.any(Number) });
    // 240 reviews, 10% test and 10% validation: about 192 to train on, a quarter of them first.
    expect(full!.trainSize).toBeGreaterThan(150);
    expect(quarter!.trainSize).toBe(Math.round(full!.trainSize! / 4));
    expect(ended.bestTrial).not.toBeNull();
    const runs = value(await s.invoke('runs:list', {}));
    const trialRuns = runs.filter((r) => r.study?.id === started.id);
    expect(trialRuns.map((r) => [r.study!.trial, r.hyperparameters['trainFraction']])).toEqual([
      [0, 0.25],
      [1, 1],
    ]);
    // The baseline only for the full data.
    expect(runs.filter((r) => r.kind === 'nbsvm')).toHaveLength(1);
    expect(value(await s.invoke('studies:list', {}))).toMatchObject([{ id: started.id, status: 'done' }]);
    const deleted = value(await s.invoke('studies:delete', { studyId: started.id, deleteRuns: true }));
    expect(deleted).toEqual({ deleted: started.id, runsDeleted: 2 });
    expect(value(await s.invoke('runs:list', {})).map((r) => r.kind)).toEqual(['nbsvm']);
  }, 90_000);

  it('cancels a search after the current trial, keeps that run, and resumes the trials left', async () => {
    const s = await labelledProject();
    expect(await s.invoke('studies:start', { kind: 'search', strategy: 'grid', dimensions: [{ field: 'units', values: [4, 5000] }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('units: 5,000 is above the maximum') },
    });
    expect(value(await s.invoke('studies:list', {}))).toEqual([]);
    const started = value(
      await s.invoke('studies:start', { kind: 'search', strategy: 'grid', preset: 'fast', overrides: { ...tiny, epochs: 2 }, budget: 3, dimensions: [{ field: 'units', values: [4, 6, 8] }] }),
    );
    // Cancel once the first trial's recurrent run reports its first epoch.
    const firstEpoch = new Promise<void>((resolve) => {
      const off = s.on('train:epoch', () => {
        off();
        resolve();
      });
    });
    await firstEpoch;
    expect(value(await s.invoke('train:cancel', {}))).toEqual({ cancelled: true });
    const cancelled = await untilStudyEnds(s, started.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.trials.map((t) => t.status)).toEqual(['cancelled', 'pending', 'pending']);
    // Cancel keeps the best model so far: the trial's run counts.
    expect(cancelled.trials[0]!.bestValAccuracy).not.toBeNull();
    const resumed = value(await s.invoke('studies:resume', { studyId: started.id }));
    expect(resumed.status).toBe('running');
    const ended = await untilStudyEnds(s, started.id);
    expect(ended.status).toBe('done');
    expect(ended.trials.map((t) => t.status)).toEqual(['cancelled', 'done', 'done']);
    expect(ended.trials.map((t) => t.params['units'])).toEqual([4, 6, 8]);
    expect(ended.bestTrial).toBe(bestOf(ended));
    expect(await s.invoke('studies:resume', { studyId: started.id })).toMatchObject({ ok: false, error: { message: expect.stringContaining('has finished') } });
  }, 90_000);
});

function bestOf(study: StudySummary): number {
  const ranked = study.trials.filter((t) => t.bestValAccuracy !== null).sort((a, b) => b.bestValAccuracy! - a.bestValAccuracy! || (a.valLoss ?? 0) - (b.valLoss ?? 0));
  return ranked[0]!.index;
}
