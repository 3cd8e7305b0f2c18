/**
 * The NBSVM baseline as a run: trained in the trainer process on a snapshot, recorded with the
 * same metrics and predictions as an LSTM run, trained automatically once per snapshot beside
 * LSTM runs (which then report how they compare), exported as its own bundle that `predict` and
 * `evaluate` load, and refused as a fine-tuning parent.
 */
import { PassThrough } from 'node:stream';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/node/cli/main';
import type { Project } from '../../src-main/node/db/project';
import { baselineComparison, Runs } from '../../src-main/node/db/runs';
import { readModelBundle, writeModelBundle } from '../../src-main/node/export/modelBundle';
import { importFile } from '../../src-main/node/ingest/importer';
import { loadPredictor } from '../../src-main/node/train/predictor';
import { trainBaselineRun, trainRun } from '../../src-main/node/train/trainerClient';
import { newProject, tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

const tiny = { epochs: 1, maxLen: 24, embedDim: 8, units: 4, batchSize: 32, vocabSize: 200, minCount: 1, patience: 0 };
let dir: string;
let cleanup: () => void;
let project: Project;
let baselineId = 0;

async function cli(args: string[]): Promise<{ code: number; last: Record<string, unknown>; stdout: string }> {
  const chunks: string[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (c) => chunks.push(String(c)));
  const code = await runCli([...args, '--json'], { stdout, stderr: new PassThrough() as unknown as NodeJS.WriteStream });
  const text = chunks.join('');
  return { code, stdout: text, last: JSON.parse(text.trim().split('\n').at(-1)!) };
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  project = newProject(dir);
  await importFile(project, { path: writeJsonl(join(dir, 'toy.jsonl'), toyReviews(400)), columns: { textColumn: 'text', labelColumn: 'label' } });
});
afterAll(() => {
  project.close();
  cleanup();
});

describe('baseline runs', () => {
  it('trains in the trainer process and records metrics, test predictions and its model', async () => {
    const steps: number[] = [];
    const run = await trainBaselineRun(project, { appVersion: 'test' }, { onProgress: (p) => steps.push(p.batch) });
    baselineId = run.id;
    expect(run).toMatchObject({ kind: 'nbsvm', status: 'done', backend: 'NBSVM (JavaScript)', snapshotSize: 400, hyperparameters: { units: 'auto', minCount: 2, seed: 42 } });
    // One step per C of the grid, the final fit (skipped here: the project has a validation split), the test.
    expect(steps.at(-1)).toBe(6);
    const m = run.metrics!;
    expect(m.sizes).toEqual({ train: 320, validation: 40, test: 40 });
    expect(m.test!.accuracy).toBeGreaterThan(0.9);
    expect(m.baseline).toMatchObject({ chosenC: expect.any(Number), features: { units: 'words', ngramRange: [1, 2] } });
    expect(m.baseline!.search).toHaveLength(4);
    const stored = project.db.prepare('SELECT COUNT(*) AS n FROM run_predictions WHERE run_id = ?').get(run.id) as { n: number };
    expect(stored.n).toBe(40);
    expect(new Runs(project.db).model(run.id)).toMatchObject({ format: 'nbsvm-json', weights: Buffer.alloc(0) });
  });

  it('is reused by an LSTM run on the same snapshot, which reports how it compares', async () => {
    const before = new Runs(project.db).list().length;
    let createdBaseline = false;
    const run = await trainRun(project, { preset: 'fast', overrides: tiny, appVersion: 'test' }, { onBaselineCreated: () => (createdBaseline = true) });
    expect(createdBaseline).toBe(false);
    const runs = new Runs(project.db);
    expect(runs.list()).toHaveLength(before + 1);
    const comparison = baselineComparison(runs, run)!;
    expect(comparison).toMatchObject({ baselineRunId: baselineId, metric: 'accuracy' });
    expect(comparison.points).toBeCloseTo(comparison.run - comparison.baseline, 1);
    expect(comparison.text).toMatch(/^(beats the baseline by \+|falls short of the baseline by |ties with the baseline)/);
  });

  it('is trained automatically when the labels changed since', async () => {
    const [first] = project.listItems({ limit: 1, offset: 0 }).items;
    project.setLabels([first!.id], first!.label === 'positive' ? 'negative' : 'positive', 'manual', 'tester');
    const created: number[] = [];
    const run = await trainRun(project, { preset: 'fast', overrides: tiny, appVersion: 'test' }, { onBaselineCreated: (r) => created.push(r.id) });
    expect(created).toEqual([run.id + 1]);
    const runs = new Runs(project.db);
    const baseline = runs.get(created[0]!);
    expect(baseline).toMatchObject({ kind: 'nbsvm', status: 'done', snapshotHash: run.snapshotHash });
    expect(baselineComparison(runs, run)!.baselineRunId).toBe(baseline.id);
    // A run can opt out: no baseline, no comparison.
    const before = runs.list().length;
    project.setLabels([first!.id], first!.label, 'manual', 'tester');
    const bare = await trainRun(project, { preset: 'fast', overrides: tiny, appVersion: 'test', baseline: false });
    expect(runs.list()).toHaveLength(before + 1);
    expect(baselineComparison(runs, bare)?.baselineRunId).toBe(baselineId);
  });

  it('exports its own bundle that predict and evaluate load', async () => {
    const bundle = join(dir, 'baseline-bundle');
    writeModelBundle(project, baselineId, bundle, { appVersion: 'test' });
    expect(readdirSync(bundle).sort()).toEqual(['README.md', 'baseline.json', 'labels.json', 'metadata.json']);
    const b = readModelBundle(bundle);
    expect(b).toMatchObject({ format: 'nbsvm-json', metadata: { runId: baselineId, modelFormat: 'nbsvm-json' } });
    // The bundle scores the test items exactly as the run recorded them.
    const rows = project.db
      .prepare('SELECT i.text, p.probabilities FROM run_predictions p JOIN items i ON i.id = p.item_id WHERE p.run_id = ? ORDER BY p.item_id')
      .all(baselineId) as { text: string; probabilities: Buffer }[];
    const predictor = await loadPredictor(b, b.labels.labels, bundle);
    const fresh = predictor.predict(rows.map((r) => r.text));
    rows.forEach((r, i) => {
      const stored = new Float32Array(r.probabilities.buffer.slice(r.probabilities.byteOffset, r.probabilities.byteOffset + 8));
      expect(fresh[i * 2]).toBeCloseTo(stored[0]!, 6);
    });

    const input = writeJsonl(join(dir, 'to-score.jsonl'), toyReviews(30, 5));
    const scored = await cli(['predict', '--model', bundle, input, '--out', join(dir, 'scored.csv')]);
    expect(scored).toMatchObject({ code: 0, last: { rows: 30, backend: 'NBSVM (JavaScript)' } });
    const evaluated = await cli(['evaluate', '--model', bundle, '--file', input]);
    expect(evaluated.code).toBe(0);
    expect(evaluated.last).toMatchObject({ n: 30 });
    expect(evaluated.last['accuracy']).toBeGreaterThan(0.8);
  });

  it('is refused as a fine-tuning parent, by run and by bundle', async () => {
    await expect(trainRun(project, { preset: 'fast', overrides: tiny, fromRunId: baselineId, appVersion: 'test' })).rejects.toThrow(/n-gram baseline; fine-tuning continues an LSTM or GRU model/);
    const bundle = join(dir, 'baseline-bundle');
    expect(existsSync(bundle)).toBe(true);
    await expect(trainRun(project, { preset: 'fast', overrides: tiny, fromBundle: bundle, appVersion: 'test' })).rejects.toThrow(/holds the n-gram baseline/);
  });

  it('cancels at once, leaving a cancelled run without a model', async () => {
    const abort = new AbortController();
    const pending = trainBaselineRun(project, { appVersion: 'test' }, { signal: abort.signal, onCreated: () => abort.abort() });
    await expect(pending).rejects.toThrow(/cancelled before it finished/);
    const runs = new Runs(project.db);
    const last = runs.list().at(-1)!;
    expect(last).toMatchObject({ kind: 'nbsvm', status: 'cancelled' });
    expect(runs.model(last.id)).toBeNull();
  });

  it('trains from the command line with --baseline, and refuses LSTM-only flags there', async () => {
    const path = project.path;
    const trained = await cli(['train', '--project', path, '--baseline', '--min-count', '1']);
    expect(trained.code).toBe(0);
    expect(trained.last).toMatchObject({ kind: 'nbsvm', status: 'done', settings: { minCount: 1 }, baseline: { chosenC: expect.any(Number) } });
    const refused = await cli(['train', '--project', path, '--baseline', '--units', '64']);
    expect(refused.code).toBe(2);
    expect(refused.last).toMatchObject({ error: { message: expect.stringContaining('--units does not apply to --baseline') } });
  });
});
