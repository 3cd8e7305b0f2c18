/**
 * `train:status` lets a reloaded window reattach to the run in progress: it names the run and its
 * automatic baseline, and carries the epochs so far, the latest progress and a bounded history of
 * batch losses. Nothing training: an empty status.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainerEvent, TrainerRequest } from '../../src-main/common/trainer';
import { importFile } from '../../src-main/node/ingest/importer';
import type { TrainerHandle } from '../../src-main/node/train/trainerClient';
import { TrainingController } from '../../src-main/node/trainingController';
import { newProject, tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

let cleanup = () => {};
afterEach(() => cleanup());

/**
 * A recurrent job reports 3,000 batches over two epochs and then waits (for a cancel, which it
 * answers with an error); a baseline job fails at once, so the run goes ahead without one.
 */
function scriptedTrainer(reported: () => void): TrainerHandle {
  let listener: (event: TrainerEvent) => void = () => {};
  let exit: (code: number | null, signal: string | null, detail: string) => void = () => {};
  let runId = 0;
  return {
    send(message: TrainerRequest) {
      if (message.type === 'cancel') {
        setImmediate(() => listener({ type: 'error', runId, message: 'cancelled by the test' }));
        return;
      }
      if (message.type !== 'start') return;
      runId = message.runId;
      setImmediate(() => {
        listener({ type: 'ready', runId, backend: 'fake (1 thread)' });
        if (message.kind === 'baseline') return listener({ type: 'error', runId, message: 'no baseline here' });
        for (let epoch = 1; epoch <= 2; epoch++) {
          for (let batch = 1; batch <= 1500; batch++) {
            listener({ type: 'progress', runId, epoch, batch, batches: 1500, loss: 1 / batch, accuracy: 0.5, samplesPerSecond: 100, etaSeconds: 9 });
          }
          listener({ type: 'epoch', runId, epoch, loss: 0.4, accuracy: 0.8, valLoss: 0.5, valAccuracy: 0.7, seconds: 1, samplesPerSecond: 100, partial: false });
        }
        reported();
      });
    },
    onMessage: (l) => (listener = l),
    onExit: (l) => (exit = l),
    kill: () => exit(null, 'SIGTERM', ''),
  };
}

describe('train:status', () => {
  it('describes the run in progress and is empty once it ends', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = newProject(t.dir);
    await importFile(project, { path: writeJsonl(join(t.dir, 'toy.jsonl'), toyReviews(40)), columns: { textColumn: 'text', labelColumn: 'label' } });
    let reported!: () => void;
    const epochsReported = new Promise<void>((resolve) => (reported = resolve));
    let finishedRuns = 0;
    let allFinished!: () => void;
    const finished = new Promise<void>((resolve) => (allFinished = resolve));
    const controller = new TrainingController({
      appVersion: 'test',
      spawnTrainer: () => scriptedTrainer(reported),
      emit: (event) => {
        if (event === 'train:finished' && ++finishedRuns === 2) allFinished();
      },
    });
    expect(controller.status()).toEqual({ run: null, baselineRun: null, epochs: [], progress: null, lossHistory: [], evaluating: null });

    const { runId } = await controller.start(project, { preset: 'fast', overrides: {} });
    await epochsReported;
    const status = controller.status();
    expect(status.run).toMatchObject({ id: runId, status: 'running', backend: 'fake (1 thread)', kind: 'gru' });
    expect(status.baselineRun).toMatchObject({ id: runId + 1, status: 'failed' });
    expect(status.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    // Progress is throttled, but each epoch's last batch always arrives.
    expect(status.progress).toMatchObject({ runId, epoch: 2, batch: 1500, batches: 1500 });
    expect(status.lossHistory.length).toBeGreaterThan(0);
    expect(status.lossHistory.length).toBeLessThanOrEqual(1000);
    const steps = status.lossHistory.filter((p) => p.runId === runId).map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps.at(-1)).toBe(3000);

    controller.cancel();
    await finished;
    // train:finished goes out just before the controller lets go of the run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(controller.status().run).toBeNull();
    project.close();
  });
});
