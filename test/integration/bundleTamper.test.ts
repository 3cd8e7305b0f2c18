/**
 * Tampered model bundles (test/fixtures/bad/bundles/cases.ts) wherever the app reads one: bundle
 * inspection, fine-tuning from a bundle, and scoring a file with it, in-process and through the
 * scoring process. Each gives an error naming the file and the problem; none crashes, records a
 * run, writes an output file or adds to the project. The untampered bundle must still load.
 */
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../src-main/common/errors';
import { readModelBundle } from '../../src-main/node/export/modelBundle';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { loadPredictor } from '../../src-main/node/train/predictor';
import { bundleTampers, type BundleTamper } from '../fixtures/bad/bundles/cases';
import { tinyTexts, writeTinyBundle } from '../fixtures/bad/bundles/tinyBundle';
import { tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

let dir: string;
let cleanup = () => {};
let pristine: string;
let service: StudioService;
let scoreInput: string;
const labels = ['positive', 'negative'];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('sstudio-bundle-'));
  pristine = await writeTinyBundle(dir);
  service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' });
  const created = await service.invoke('project:create', { path: join(dir, 'p.sstudio'), name: 'p', labels: labels.map((name, i) => ({ name, key: String(i + 1), color: '#336699' })) });
  if (!created.ok) throw new Error(created.error.message);
  const imported = await service.invoke('import:run', { path: writeJsonl(join(dir, 'toy.jsonl'), toyReviews(40)), columns: { textColumn: 'text', labelColumn: 'label' } });
  if (!imported.ok) throw new Error(imported.error.message);
  scoreInput = join(dir, 'to-score.csv');
  writeFileSync(scoreInput, `text\n${tinyTexts.join('\n')}\n`);
}, 60_000);

afterAll(async () => {
  await service?.dispose();
  cleanup();
});

let copies = 0;
function tampered(c: BundleTamper): string {
  const copy = join(dir, `tampered-${++copies}`);
  cpSync(pristine, copy, { recursive: true });
  c.tamper(copy);
  return copy;
}

async function runCount(): Promise<number> {
  const runs = await service.invoke('runs:list', {});
  if (!runs.ok) throw new Error(runs.error.message);
  return runs.value.length;
}

function itemCount(): number {
  return service.project!.items.count();
}

describe('tampered model bundles', () => {
  it('the untampered bundle reads, loads and predicts', async () => {
    const bundle = readModelBundle(pristine);
    const predictor = await loadPredictor(bundle, bundle.labels.labels, pristine);
    const probabilities = predictor.predict(tinyTexts);
    predictor.dispose();
    expect(probabilities).toHaveLength(tinyTexts.length * 2);
    expect(await service.invoke('bundle:inspect', { path: pristine })).toMatchObject({ ok: true, value: { labels, kind: 'gru' } });
  });

  const refusedOnRead = bundleTampers.filter((c) => c.stage === 'read');
  it.each(refusedOnRead.map((c) => [c.name, c] as const))('refused when read: %s', async (_name, c) => {
    const bundle = tampered(c);
    let thrown: unknown;
    try {
      readModelBundle(bundle);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StudioError);
    expect((thrown as StudioError).message).toMatch(c.error);
    expect((thrown as StudioError).message).toContain(bundle);

    const inspected = await service.invoke('bundle:inspect', { path: bundle });
    expect(inspected).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(bad-file|not-found)$/) } });
    if (!inspected.ok) expect(inspected.error.message).toMatch(c.error);

    const runsBefore = await runCount();
    const fineTune = await service.invoke('train:start', { preset: 'fast', baseline: false, fromBundle: bundle, overrides: { epochs: 1 } });
    expect(fineTune.ok).toBe(false);
    if (!fineTune.ok) expect(fineTune.error.message).toMatch(c.error);
    expect(await runCount()).toBe(runsBefore);
  });

  const refusedOnLoad = bundleTampers.filter((c) => c.stage === 'load');
  it.each(refusedOnLoad.map((c) => [c.name, c] as const))('refused when loaded: %s', async (_name, c) => {
    const bundle = tampered(c);
    const read = readModelBundle(bundle);
    await expect(loadPredictor(read, read.labels.labels, bundle)).rejects.toThrow(c.error);
    // Inspecting needs no model: it still shows what the bundle claims to be.
    expect(await service.invoke('bundle:inspect', { path: bundle })).toMatchObject({ ok: true });
  });

  it('scoring a file with a forged 10 GB bundle fails in the scoring process and writes nothing', async () => {
    const c = bundleTampers.find((t) => t.name === 'the manifest declares 10 GB of weights')!;
    const output = join(dir, 'scored-10gb.csv');
    const result = await service.invoke('predict:run', { model: { bundle: tampered(c) }, input: scoreInput, output });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).not.toBe('internal');
      expect(result.error.message).toMatch(c.error);
    }
    expect(existsSync(output)).toBe(false);
  }, 60_000);

  it('adding predictions from a bundle whose shapes do not fit leaves the project as it was', async () => {
    const c = bundleTampers.find((t) => t.name.startsWith('a weight shape no longer fits'))!;
    const before = itemCount();
    const result = await service.invoke('predict:run', { model: { bundle: tampered(c) }, input: scoreInput, addToProject: true });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).not.toBe('internal');
      expect(result.error.message).toMatch(c.error);
    }
    expect(itemCount()).toBe(before);
  }, 60_000);

  it('fine-tuning from a bundle whose shapes do not fit fails the run with the reason', async () => {
    const c = bundleTampers.find((t) => t.name.startsWith('a weight shape no longer fits'))!;
    let runId = 0;
    const finished = new Promise<{ status: string; error: string | null }>((resolve) =>
      service.on('train:finished', (f) => f.runId === runId && resolve(f)),
    );
    const started = await service.invoke('train:start', { preset: 'fast', baseline: false, fromBundle: tampered(c), overrides: { epochs: 1 } });
    expect(started.ok, started.ok ? '' : started.error.message).toBe(true);
    if (!started.ok) return;
    runId = started.value.runId;
    const outcome = await finished;
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(c.error);
  }, 90_000);
});
