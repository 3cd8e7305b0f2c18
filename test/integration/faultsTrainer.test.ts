/**
 * The training process dying: killed mid-epoch (SIGKILL, which is also what the system's
 * out-of-memory killer sends), or running out of memory, either in the wasm backend (a
 * configuration the checks accept but no batch of which fits) or in V8's heap. The run ends
 * failed with a reason an analyst can act on, the app takes the next training, and the project's
 * items and labels are as they were.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap, EventName } from '../../src-main/common/contract';
import { Project } from '../../src-main/node/db/project';
import { Runs } from '../../src-main/node/db/runs';
import { importFile } from '../../src-main/node/ingest/importer';
import { forkTrainer, type SpawnTrainer, type TrainerHandle } from '../../src-main/node/train/trainerClient';
import { trainerExitReason } from '../../src-main/node/train/trainerFailure';
import { guardWasmAllocations, wasmMaxTensorBytes } from '../../src-main/node/train/wasmMemory';
import { TrainingController } from '../../src-main/node/trainingController';
import { newProject, tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

const tiny = { maxLen: 24, embedDim: 16, units: 8, batchSize: 32, vocabSize: 200, minCount: 1, patience: 0 };
let dir: string;
let cleanup: () => void;
let project: Project;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('sstudio-trainer-faults-'));
  project = newProject(dir);
  await importFile(project, { path: writeJsonl(join(dir, 'toy.jsonl'), toyReviews(500)), columns: { textColumn: 'text', labelColumn: 'label' } });
});
afterAll(() => {
  project.close();
  cleanup();
});

/** The items and labels: what a training must never change, however it ends. */
function labelsAndItems(): unknown {
  const q = (sql: string) => project.db.prepare(sql).all();
  return {
    items: q('SELECT * FROM items ORDER BY id'),
    events: q('SELECT * FROM label_events ORDER BY id'),
    actions: q('SELECT * FROM label_actions ORDER BY id'),
    splits: q('SELECT * FROM item_splits ORDER BY item_id'),
    counts: q('SELECT * FROM label_counts ORDER BY 1, 2, 3'),
  };
}

/** A controller as the handler map makes one, recording its events and the trainers it starts. */
function controller(spawnTrainer: SpawnTrainer = forkTrainer) {
  const events: { event: EventName; payload: unknown }[] = [];
  const waiting: { match: (event: EventName, payload: unknown) => boolean; resolve: (payload: unknown) => void }[] = [];
  const handles: TrainerHandle[] = [];
  const training = new TrainingController({
    appVersion: 'faults-test',
    spawnTrainer: () => {
      const handle = spawnTrainer();
      handles.push(handle);
      return handle;
    },
    emit: (event, payload) => {
      events.push({ event, payload });
      for (const w of waiting.splice(0)) (w.match(event, payload) ? w.resolve(payload) : waiting.push(w));
    },
  });
  const next = <E extends EventName>(event: E, runId: number) =>
    new Promise<EventMap[E]>((resolve) => {
      const seen = events.find((e) => e.event === event && (e.payload as { runId: number }).runId === runId);
      if (seen) resolve(seen.payload as EventMap[E]);
      else waiting.push({ match: (e, p) => e === event && (p as { runId: number }).runId === runId, resolve: (p) => resolve(p as EventMap[E]) });
    });
  return { training, handles, next };
}

describe('the training process dying', () => {
  it('killed mid-epoch: the run is failed with the reason, the next training runs, labels are untouched', async () => {
    const before = labelsAndItems();
    const { training, handles, next } = controller();
    const { runId, finished } = await training.launch(project, { preset: 'fast', overrides: { ...tiny, epochs: 50 }, baseline: false });
    const progress = await next('train:progress', runId);
    expect(progress.batch).toBeLessThan(progress.batches);
    process.kill(handles[0]!.pid!, 'SIGKILL');
    await finished;

    const reason =
      'the training process was killed (SIGKILL) before it finished. Something outside the app ended it; the system does so when memory runs out, ' +
      'so if it happens again, lower the batch size (now 32), the maximum length (now 24), the embedding size (now 16) or the units (now 8), then train again';
    expect(await next('train:finished', runId)).toEqual({
      runId,
      status: 'failed',
      error: `Training failed: ${reason}. The project is unchanged apart from this run being marked failed.`,
    });
    expect(new Runs(project.db).get(runId)).toMatchObject({ status: 'failed', error: reason });
    expect(training.running).toBe(false);

    const again = await training.launch(project, { preset: 'fast', overrides: { ...tiny, epochs: 1 }, baseline: false });
    await again.finished;
    expect(await next('train:finished', again.runId)).toEqual({ runId: again.runId, status: 'done', error: null });
    expect(labelsAndItems()).toEqual(before);
    expect(project.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('out of memory in the wasm backend: a configuration no batch of which fits fails at once, naming what to lower', async () => {
    const before = labelsAndItems();
    const { training, next } = controller();
    // Valid, one field at a time, but one batch's embeddings alone are 300 × 2,000 × 1,024 floats (2.5 GB).
    const absurd = { ...tiny, batchSize: 300, maxLen: 2000, embedDim: 1024, epochs: 1 };
    const { runId, finished } = await training.launch(project, { preset: 'fast', overrides: absurd, baseline: false });
    await finished;
    const done = await next('train:finished', runId);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(
      /^Training failed: the training ran out of memory \(out of memory: one tensor needs \d\.\d GB, and the WebAssembly backend handles tensors of up to 2 GB\); lower the batch size \(now 300\), the maximum length \(now 2,000\), the embedding size \(now 1,024\) or the units \(now 8\), then train again$/,
    );
    expect(training.running).toBe(false);
    expect(labelsAndItems()).toEqual(before);
  });

  it("out of memory in V8's heap: the process's abort is explained, not its native stack trace", async () => {
    // A real out-of-memory death of a Node process in place of the trainer: the same exit and stderr.
    const dying = (): TrainerHandle => {
      const child = spawn(process.execPath, ['--max-old-space-size=16', '-e', 'const kept = []; for (;;) kept.push(new Array(1e5).fill(1.5));'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return {
        pid: child.pid,
        send: () => {},
        onMessage: () => {},
        onExit: (listener) => child.on('close', (code, signal) => listener(code, signal, stderr.trim())),
        kill: () => child.kill(),
      };
    };
    const before = labelsAndItems();
    const { training, next } = controller(dying);
    const { runId, finished } = await training.launch(project, { preset: 'fast', overrides: tiny, baseline: false });
    await finished;
    expect(await next('train:finished', runId)).toEqual({
      runId,
      status: 'failed',
      error:
        'Training failed: the training process ran out of memory and stopped (FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory); ' +
        'lower the batch size (now 32), the maximum length (now 24), the embedding size (now 16) or the units (now 8), then train again. ' +
        'The project is unchanged apart from this run being marked failed.',
    });
    expect(labelsAndItems()).toEqual(before);
  });

  it('other deaths keep their exit code or signal and the last telling line of stderr', () => {
    expect(trainerExitReason(3, null, 'Error: cannot open the project\n    at open (x.js:1:1)', {})).toBe(
      'the training process exited unexpectedly with code 3: Error: cannot open the project',
    );
    expect(trainerExitReason(null, 'SIGSEGV', '', { batchSize: 64 })).toBe('the training process was killed (SIGSEGV) before it finished');
  });
});

describe('the guard on the wasm backend allocations', () => {
  function fakeBackend(malloc: (bytes: number) => number) {
    const calls: number[] = [];
    const raw = (bytes: number) => (calls.push(bytes), malloc(bytes));
    const backend = { wasm: { _malloc: (_bytes: number) => -1, asm: { malloc: raw } } };
    guardWasmAllocations(backend);
    return { allocate: (bytes: number) => backend.wasm._malloc(bytes), calls };
  }

  it('refuses a tensor the kernels cannot address before allocating it, and an allocation the full heap cannot give', () => {
    const { allocate, calls } = fakeBackend((bytes) => (bytes > 1e9 ? 0 : 4096));
    expect(allocate(1024)).toBe(4096);
    expect(() => allocate(wasmMaxTensorBytes + 1)).toThrow('out of memory: one tensor needs 2.1 GB, and the WebAssembly backend handles tensors of up to 2 GB');
    expect(() => allocate(1.5e9)).toThrow('out of memory: one tensor needs 1.5 GB, and the WebAssembly backend holds 4 GB in all and is full');
    // The oversized request never reached malloc, which would have wrapped it to a small block.
    expect(calls).toEqual([1024, 1.5e9]);
  });
});
