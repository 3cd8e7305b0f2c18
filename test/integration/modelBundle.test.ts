/**
 * The exported bundle: standard tfjs files that the README's example loads with plain
 * @tensorflow/tfjs in a fresh process (no project code) and that give the studio's probabilities;
 * `predict` scores a file with it; a tampered bundle gives an error naming the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/node/cli/main';
import { Project } from '../../src-main/node/db/project';
import { readModelBundle, writeModelBundle } from '../../src-main/node/export/modelBundle';
import { importFile } from '../../src-main/node/ingest/importer';
import { loadPredictor } from '../../src-main/node/train/predictor';
import { trainRun } from '../../src-main/node/train/trainerClient';
import { newProject, tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

const root = join(import.meta.dirname, '../..');
let dir: string;
let cleanup: () => void;
let project: Project;
let runId: number;
let bundle: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  project = newProject(dir);
  await importFile(project, { path: writeJsonl(join(dir, 'toy.jsonl'), toyReviews(300, 3)), columns: { textColumn: 'text', labelColumn: 'label' } });
  const run = await trainRun(project, {
    preset: 'accurate',
    overrides: { epochs: 2, maxLen: 20, embedDim: 8, units: 4, batchSize: 32, vocabSize: 200, minCount: 1, patience: 0 },
    appVersion: 'test',
  });
  runId = run.id;
  // A node_modules link beside the bundle, so the fresh process resolves plain @tensorflow/tfjs.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  bundle = join(dir, 'bundle');
  writeModelBundle(project, runId, bundle, { appVersion: 'test' });
}, 120_000);
afterAll(() => {
  project.close();
  cleanup();
});

describe('model bundle', () => {
  it('holds the files ARCHITECTURE.md lists, with metadata', () => {
    const b = readModelBundle(bundle);
    expect(b.labels).toEqual({ labels: ['positive', 'negative'], output: 'sigmoid' });
    expect(b.metadata).toMatchObject({ runId, format: 'sentiment-studio-model', snapshotSize: 300, status: 'done', hyperparameters: { pooling: 'max', bidirectional: true } });
    expect(JSON.parse(b.modelJson).weightsManifest[0].paths).toEqual(['weights.bin']);
  });

  it("runs the README's example in a fresh process with plain tfjs and matches the studio to 1e-5", async () => {
    const readme = readFileSync(join(bundle, 'README.md'), 'utf8');
    const example = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const texts = ['the film was wonderful and moving', 'a dull and boring plot', 'this movie'];
    const script = example.replace("const texts = ['A wonderful, moving film.'];", `const texts = ${JSON.stringify(texts)};`);
    expect(script).not.toBe(example);
    writeFileSync(join(bundle, 'classify.mjs'), script);
    const stdout = execFileSync(process.execPath, ['classify.mjs'], { cwd: bundle, encoding: 'utf8' });
    const fresh = JSON.parse(stdout.trim().split('\n').at(-1)!) as number[];
    const predictor = await loadPredictor(readModelBundle(bundle), ['positive', 'negative']);
    const studio = predictor.predict(texts);
    predictor.dispose();
    texts.forEach((_, i) => expect(Math.abs(fresh[i]! - studio[i * 2 + 1]!)).toBeLessThan(1e-5));
  }, 60_000);

  it('scores a file with predict and reports counts', async () => {
    const input = writeJsonl(join(dir, 'to-score.jsonl'), toyReviews(50, 9).map((r) => ({ text: r.text })));
    const out = join(dir, 'scored.jsonl');
    const chunks: string[] = [];
    const stdout = new PassThrough();
    stdout.on('data', (c) => chunks.push(String(c)));
    const code = await runCli(['predict', '--model', bundle, input, '--out', out, '--json'], { stdout, stderr: new PassThrough() as unknown as NodeJS.WriteStream });
    expect(code).toBe(0);
    const summary = JSON.parse(chunks.join('').trim().split('\n').at(-1)!);
    expect(summary.rows).toBe(50);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(50);
    expect(rows[0]).toMatchObject({ line: 1, label: expect.stringMatching(/positive|negative/), p_positive: expect.any(Number), p_negative: expect.any(Number) });
    expect(Math.abs(rows[0].p_positive + rows[0].p_negative - 1)).toBeLessThan(1e-5);
  });

  it('names the broken file of a tampered bundle', () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    for (const f of ['model.json', 'weights.bin', 'tokenizer.json', 'labels.json', 'metadata.json']) writeFileSync(join(broken, f), readFileSync(join(bundle, f)));
    writeFileSync(join(broken, 'labels.json'), '{ not json');
    expect(() => readModelBundle(broken)).toThrow(/labels.json in .* is not valid JSON/);
    expect(() => writeModelBundle(project, runId, bundle, { appVersion: 'test' })).toThrow(/already holds a model bundle/);
  });

  it('evaluates a run and a bundle on a labelled file with the same metrics', async () => {
    const labelled = writeJsonl(join(dir, 'labelled.jsonl'), toyReviews(60, 11));
    const call = async (args: string[]) => {
      const chunks: string[] = [];
      const stdout = new PassThrough();
      stdout.on('data', (c) => chunks.push(String(c)));
      const code = await runCli(args, { stdout, stderr: new PassThrough() as unknown as NodeJS.WriteStream });
      expect(code).toBe(0);
      return JSON.parse(chunks.join('').trim().split('\n').at(-1)!);
    };
    const fromBundle = await call(['evaluate', '--model', bundle, '--file', labelled, '--json']);
    const fromRun = await call(['evaluate', '--project', project.path, '--run', String(runId), '--file', labelled, '--json']);
    expect(fromBundle.n).toBe(60);
    expect(fromBundle.accuracy).toBeCloseTo(fromRun.accuracy, 10);
    expect(fromBundle.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(60);
    const stored = await call(['evaluate', '--project', project.path, '--run', String(runId), '--json']);
    expect(stored.n).toBe(30);
  });

  it('fine-tunes from a bundle folder, and refuses a bundle with other labels', async () => {
    const run = await trainRun(project, { preset: 'accurate', overrides: { epochs: 1, maxLen: 20, embedDim: 8, units: 4, batchSize: 32 }, fromBundle: bundle, appVersion: 'test' });
    expect(run.status).toBe('done');
    const other = newProject(dir, 'three', [
      { name: 'positive', key: '1', color: '#2e9d57' },
      { name: 'neutral', key: '2', color: '#8a8f98' },
      { name: 'negative', key: '3', color: '#d1453b' },
    ]);
    await importFile(other, { path: writeJsonl(join(dir, 'three.jsonl'), toyReviews(30, 5, ['positive', 'neutral', 'negative'])), columns: { textColumn: 'text', labelColumn: 'label' } });
    await expect(trainRun(other, { preset: 'fast', overrides: { epochs: 1 }, fromBundle: bundle, appVersion: 'test' })).rejects.toThrow(
      /The bundle predicts positive, negative, but this project's labels are positive, neutral, negative/,
    );
    other.close();
  });

  it('never overwrites a folder that holds the project or is not a bundle, and replaces a bundle when asked', () => {
    expect(() => writeModelBundle(project, runId, dir, { appVersion: 'test', overwrite: true })).toThrow(/holds the project file/);
    const notBundle = join(dir, 'documents');
    mkdirSync(notBundle);
    writeFileSync(join(notBundle, 'keep.txt'), 'precious');
    expect(() => writeModelBundle(project, runId, notBundle, { appVersion: 'test', overwrite: true })).toThrow(/not a model bundle/);
    expect(readFileSync(join(notBundle, 'keep.txt'), 'utf8')).toBe('precious');
    expect(writeModelBundle(project, runId, bundle, { appVersion: 'test', overwrite: true }).files).toContain('model.json');
  });

  it('refuses a bundle whose labels do not fit the model, naming the problem', async () => {
    const wrong = join(dir, 'wrong-labels');
    mkdirSync(wrong);
    for (const f of ['model.json', 'weights.bin', 'tokenizer.json', 'metadata.json']) writeFileSync(join(wrong, f), readFileSync(join(bundle, f)));
    writeFileSync(join(wrong, 'labels.json'), JSON.stringify({ labels: ['positive', 'neutral', 'negative'], output: 'softmax' }));
    const b = readModelBundle(wrong);
    await expect(loadPredictor(b, b.labels.labels, wrong)).rejects.toThrow(/the model has 1 outputs, but 3 labels need 3/);
  });
});
