/**
 * Training end to end in the trainer process (child_process.fork, wasm backend): the run and its
 * epochs, predictions and model are recorded; the saved model reloads with plain tfjs and gives
 * the same probabilities; cancel keeps the best model; a killed trainer fails the run with a
 * reason and leaves labels untouched; bad hyperparameters are refused before anything starts.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../src-main/node/db/project';
import { Runs } from '../../src-main/node/db/runs';
import { importFile } from '../../src-main/node/ingest/importer';
import { initBackend } from '../../src-main/node/train/backend';
import { deserializeModel } from '../../src-main/node/train/modelIo';
import { forkTrainer, trainRun, type TrainerHandle } from '../../src-main/node/train/trainerClient';
import { Tokenizer } from '../../src-main/node/text/tokenizer';
import { newProject, tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

const tiny = { epochs: 3, maxLen: 24, embedDim: 16, units: 8, batchSize: 32, vocabSize: 200, minCount: 1, patience: 0 };
let dir: string;
let cleanup: () => void;
let project: Project;
let firstRunId = 0;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  project = newProject(dir);
  await importFile(project, { path: writeJsonl(join(dir, 'toy.jsonl'), toyReviews(400)), columns: { textColumn: 'text', labelColumn: 'label' } });
});
afterAll(() => {
  project.close();
  cleanup();
});

describe('training', () => {
  it('trains in the trainer process and records epochs, test predictions and the model', async () => {
    const epochs: number[] = [];
    let progressEvents = 0;
    const evaluating: number[] = [];
    const run = await trainRun(project, { preset: 'fast', overrides: tiny, appVersion: 'test' }, {
      onEpoch: (e) => epochs.push(e.epoch),
      onProgress: () => progressEvents++,
      onEvaluating: (done, total) => evaluating.push(done / total),
    });
    // The 40 test reviews fit one prediction batch (64 rows at this length): one report, at the end.
    expect(evaluating).toEqual([1]);
    // The run records the backend and whose recurrent kernels ran (fused when the addon is built).
    expect(run).toMatchObject({ status: 'done', backend: expect.stringMatching(/^wasm \(.*\) · (fused \(.+\)|tfjs) recurrent kernels$/), snapshotSize: 400 });
    firstRunId = run.id;
    expect(epochs).toEqual([1, 2, 3]);
    expect(progressEvents).toBeGreaterThanOrEqual(3 * 9);
    const m = run.metrics!;
    expect(m.sizes).toEqual({ train: 320, validation: 40, test: 40 });
    expect(m.test!.n).toBe(40);
    expect(m.test!.accuracy).toBeGreaterThan(0.8);
    const runs = new Runs(project.db);
    expect(runs.epochs(run.id).map((e) => e.epoch)).toEqual([1, 2, 3]);
    const stored = project.db.prepare('SELECT item_id, probabilities FROM run_predictions WHERE run_id = ? ORDER BY item_id').all(run.id) as { item_id: number; probabilities: Buffer }[];
    expect(stored).toHaveLength(40);

    // The stored model reloads with plain tfjs and reproduces the stored probabilities.
    await initBackend();
    const saved = runs.model(run.id)!;
    const model = await deserializeModel(tf, saved.modelJson, saved.weights);
    const tokenizer = Tokenizer.fromJSON(JSON.parse(saved.tokenizerJson));
    const texts = stored.map((s) => (project.db.prepare('SELECT text FROM items WHERE id = ?').get(s.item_id) as { text: string }).text);
    const { ids } = tokenizer.encode(texts);
    const out = (model.predict(tf.tensor2d(ids, [texts.length, tokenizer.options.maxLen], 'int32')) as tf.Tensor).dataSync();
    stored.forEach((s, i) => {
      const probabilities = new Float32Array(s.probabilities.buffer.slice(s.probabilities.byteOffset, s.probabilities.byteOffset + s.probabilities.byteLength));
      expect(Math.abs(probabilities[1]! - out[i]!)).toBeLessThan(1e-5);
    });
  });

  it('cancels within a batch and keeps the model so far', async () => {
    const abort = new AbortController();
    const run = await trainRun(project, { preset: 'fast', overrides: { ...tiny, epochs: 50 }, appVersion: 'test' }, {
      signal: abort.signal,
      onEpoch: (e) => {
        if (e.epoch === 2) abort.abort();
      },
    });
    expect(run.status).toBe('cancelled');
    const epochs = new Runs(project.db).epochs(run.id);
    expect(epochs.length).toBeGreaterThanOrEqual(2);
    expect(epochs.length).toBeLessThan(5);
    expect(new Runs(project.db).model(run.id)).not.toBeNull();
  });

  it('marks the run failed with the reason when the trainer dies, and changes nothing else', async () => {
    const labelsBefore = project.db.prepare('SELECT COUNT(*) AS n FROM label_events').get();
    let handle: TrainerHandle | null = null;
    const spawn = () => (handle = forkTrainer());
    const running = trainRun(project, { preset: 'fast', overrides: { ...tiny, epochs: 200 }, appVersion: 'test' }, {
      onEpoch: () => (handle as unknown as TrainerHandle).kill(),
    }, spawn);
    await expect(running).rejects.toThrow(/the training process was killed \(SIGTERM\)/);
    const runs = new Runs(project.db).list();
    expect(runs.at(-1)).toMatchObject({ status: 'failed', error: expect.stringContaining('killed') });
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM label_events').get()).toEqual(labelsBefore);
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('refuses invalid hyperparameters before starting, naming the field and range', async () => {
    const before = new Runs(project.db).list().length;
    await expect(trainRun(project, { preset: 'fast', overrides: { maxLen: 3 }, appVersion: 'test' })).rejects.toThrow(/maxLen: 3 is below the minimum 8/);
    expect(new Runs(project.db).list()).toHaveLength(before);
  });

  it('refuses to train when a class has no training items', async () => {
    const t = tempDir();
    const p = newProject(t.dir, 'one-class');
    await importFile(p, { path: writeJsonl(join(t.dir, 'pos.jsonl'), toyReviews(40).map((r) => ({ ...r, label: 'positive' }))), columns: { textColumn: 'text', labelColumn: 'label' } });
    await expect(trainRun(p, { preset: 'fast', overrides: tiny, appVersion: 'test' })).rejects.toThrow(/no 'negative' items/);
    expect(new Runs(p.db).list().at(-1)).toMatchObject({ status: 'failed' });
    p.close();
    t.cleanup();
  });

  it('fine-tunes a run: keeps its vocabulary, records the parent, and can freeze the embedding', async () => {
    const run = await trainRun(project, { preset: 'fast', overrides: { ...tiny, epochs: 1, freezeEmbedding: true }, fromRunId: firstRunId, appVersion: 'test' });
    expect(run).toMatchObject({ status: 'done', parentRunId: firstRunId });
    const runs = new Runs(project.db);
    const parent = runs.model(firstRunId)!;
    const child = runs.model(run.id)!;
    expect(JSON.parse(child.tokenizerJson).vocabulary).toEqual(JSON.parse(parent.tokenizerJson).vocabulary);
    await initBackend();
    const [a, b] = await Promise.all([deserializeModel(tf, parent.modelJson, parent.weights), deserializeModel(tf, child.modelJson, child.weights)]);
    const embedding = (m: tf.LayersModel) => Array.from(m.getLayer('embedding').getWeights()[0]!.dataSync());
    expect(embedding(b)).toEqual(embedding(a));
    const dense = (m: tf.LayersModel) => Array.from(m.getLayer('classifier').getWeights()[0]!.dataSync());
    expect(dense(b)).not.toEqual(dense(a));
  });

  it('is reproducible: the same seed and snapshot give identical metrics', async () => {
    const overrides = { ...tiny, epochs: 2, dropout: 0.3 };
    const a = await trainRun(project, { preset: 'accurate', overrides, appVersion: 'test' });
    const b = await trainRun(project, { preset: 'accurate', overrides, appVersion: 'test' });
    const runs = new Runs(project.db);
    expect(b.snapshotHash).toBe(a.snapshotHash);
    expect(runs.epochs(b.id).map(({ seconds: _s, samplesPerSecond: _r, ...m }) => m)).toEqual(runs.epochs(a.id).map(({ seconds: _s, samplesPerSecond: _r, ...m }) => m));
    expect(b.metrics!.test!.logLoss).toBe(a.metrics!.test!.logLoss);
    const c = await trainRun(project, { preset: 'accurate', overrides: { ...overrides, seed: 7 }, appVersion: 'test' });
    expect(c.metrics!.test!.logLoss).not.toBe(a.metrics!.test!.logLoss);
  }, 60_000);

  it('keeps training through a Ctrl-C that reaches the trainer (only the parent cancels)', async () => {
    let handle: TrainerHandle | null = null;
    const run = await trainRun(project, { preset: 'fast', overrides: { ...tiny, epochs: 2 }, appVersion: 'test' }, {
      onEpoch: (e) => {
        if (e.epoch === 1) process.kill(handle!.pid!, 'SIGINT');
      },
    }, () => (handle = forkTrainer()));
    expect(run.status).toBe('done');
  });

  it('marks runs left running by a dead process as failed when the project is opened', async () => {
    const { execFileSync } = await import('node:child_process');
    const deadPid = Number(execFileSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).trim());
    const runs = new Runs(project.db);
    const run = runs.create({ kind: 'lstm', hyperparameters: {}, seed: 1, appVersion: 'test' });
    project.db.prepare("UPDATE runs SET status = 'running', owner_pid = ? WHERE id = ?").run(deadPid, run.id);
    const live = runs.create({ kind: 'lstm', hyperparameters: {}, seed: 1, appVersion: 'test' });
    project.db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(live.id);
    expect(runs.failInterrupted((pid) => pid === process.pid)).toBe(1);
    expect(runs.get(run.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
    expect(runs.get(live.id).status).toBe('running');
    runs.fail(live.id, 'test cleanup');
  });

  it('refuses fine-tuning mistakes before starting: a missing run, changed architecture, a frozen embedding without a parent', async () => {
    const before = new Runs(project.db).list().length;
    await expect(trainRun(project, { preset: 'fast', overrides: tiny, fromRunId: 9999, appVersion: 'test' })).rejects.toThrow('run 9999 does not exist');
    await expect(trainRun(project, { preset: 'fast', overrides: { ...tiny, maxLen: 99 }, fromRunId: firstRunId, appVersion: 'test' })).rejects.toThrow(
      '--max-len cannot change when fine-tuning',
    );
    await expect(trainRun(project, { preset: 'fast', overrides: { ...tiny, freezeEmbedding: true }, appVersion: 'test' })).rejects.toThrow(
      '--freeze-embedding only applies when fine-tuning',
    );
    expect(new Runs(project.db).list()).toHaveLength(before);
  });

  it("records the parent's architecture for a fine-tuned run", async () => {
    const run = await trainRun(project, { preset: 'accurate', overrides: { epochs: 1 }, fromRunId: firstRunId, appVersion: 'test' });
    const parent = new Runs(project.db).get(firstRunId);
    for (const field of ['maxLen', 'cell', 'units', 'pooling', 'bidirectional', 'vocabSize']) {
      expect(run.hyperparameters[field]).toEqual(parent.hyperparameters[field]);
    }
    expect(run.hyperparameters['epochs']).toBe(1);
  });
});
