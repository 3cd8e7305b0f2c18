/**
 * The controller forwards trainer progress to the window at about ten events a second, always
 * including each epoch's last batch, and reports a trainer error as a finished, failed run.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../src-main/common/contract';
import type { TrainerEvent, TrainerRequest } from '../../src-main/common/trainer';
import { importFile } from '../../src-main/node/ingest/importer';
import type { TrainerHandle } from '../../src-main/node/train/trainerClient';
import { TrainingController } from '../../src-main/node/trainingController';
import { newProject, tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

let cleanup = () => {};
afterEach(() => cleanup());

/** A trainer that, once started, reports 50 batches at once and then fails. */
function burstTrainer(): TrainerHandle {
  let listener: (event: TrainerEvent) => void = () => {};
  let exit: (code: number | null, signal: string | null, detail: string) => void = () => {};
  return {
    send(message: TrainerRequest) {
      if (message.type !== 'start') return;
      const runId = message.runId;
      setImmediate(() => {
        listener({ type: 'ready', runId, backend: 'fake' });
        for (let batch = 1; batch <= 50; batch++) {
          listener({ type: 'progress', runId, epoch: 1, batch, batches: 50, loss: 0.5, accuracy: 0.5, samplesPerSecond: 1, etaSeconds: 1 });
        }
        listener({ type: 'error', runId, message: 'fake trainer stops here' });
      });
    },
    onMessage: (l) => (listener = l),
    onExit: (l) => (exit = l),
    kill: () => exit(null, 'SIGTERM', ''),
  };
}

describe('training controller', () => {
  it('throttles progress events but keeps the last batch, and reports the failure', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = newProject(t.dir);
    await importFile(project, { path: writeJsonl(join(t.dir, 'toy.jsonl'), toyReviews(40)), columns: { textColumn: 'text', labelColumn: 'label' } });
    const progress = new Map<number, number[]>();
    const finished = new Map<number, EventMap['train:finished']>();
    let runId = 0;
    const done = new Promise<void>((resolve) => {
      const controller = new TrainingController({
        appVersion: 'test',
        spawnTrainer: burstTrainer,
        emit: (event, payload) => {
          if (event === 'train:progress') {
            const p = payload as EventMap['train:progress'];
            progress.set(p.runId, [...(progress.get(p.runId) ?? []), p.batch]);
          }
          if (event === 'train:finished') {
            const f = payload as EventMap['train:finished'];
            finished.set(f.runId, f);
            if (f.runId === runId) resolve();
          }
        },
      });
      void controller.start(project, { preset: 'fast', overrides: {} }).then((r) => (runId = r.runId));
    });
    await done;
    expect(progress.get(runId)).toEqual([1, 50]);
    expect(finished.get(runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('fake trainer stops here') });
    // The automatic baseline ran first through the same trainer, as its own run, and its failure
    // did not stop the LSTM run.
    const baselineRunId = runId + 1;
    expect(finished.get(baselineRunId)).toMatchObject({ status: 'failed', error: expect.stringContaining('fake trainer stops here') });
    expect(progress.get(baselineRunId)).toHaveLength(50);
    project.close();
  });

  it('reports a cancel during the automatic baseline as cancelled, for the baseline and the run', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = newProject(t.dir);
    await importFile(project, { path: writeJsonl(join(t.dir, 'toy.jsonl'), toyReviews(40)), columns: { textColumn: 'text', labelColumn: 'label' } });
    // A trainer that never answers: the cancel has to come from the controller.
    const silent = (): TrainerHandle => ({ send: () => {}, onMessage: () => {}, onExit: () => {}, kill: () => {} });
    const finished: EventMap['train:finished'][] = [];
    let controller!: TrainingController;
    const bothFinished = new Promise<void>((resolve) => {
      controller = new TrainingController({
        appVersion: 'test',
        spawnTrainer: silent,
        emit: (event, payload) => {
          if (event !== 'train:finished') return;
          finished.push(payload as EventMap['train:finished']);
          if (finished.length === 2) resolve();
        },
      });
    });
    const { runId } = await controller.start(project, { preset: 'fast', overrides: {} });
    expect(controller.cancel()).toBe(true);
    await bothFinished;
    expect(finished).toEqual([
      { runId: runId + 1, status: 'cancelled', error: expect.stringContaining('cancelled before it finished') },
      { runId, status: 'cancelled', error: expect.stringContaining('cancelled before training started') },
    ]);
    project.close();
  });
});
