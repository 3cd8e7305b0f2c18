/**
 * The label check end to end with the real trainer: five out-of-fold models on toy reviews with
 * labels flipped on purpose, the queue of suspects, and reviewing them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flagQuality } from '../../src-main/common/labelCheck';
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

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** 300 toy reviews in a new binary project, one label in twenty flipped on purpose (from `offset`). */
async function noisyProject(offset: number): Promise<{ s: StudioService; flipped: Set<string> }> {
  const t = tempDir();
  cleanup = t.cleanup;
  const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));
  await s.invoke('project:create', { path: join(t.dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] });
  const rows = toyReviews(300);
  const flipped = new Set<string>();
  rows.forEach((r, i) => {
    if (i % 20 !== offset) return;
    r.label = r.label === 'positive' ? 'negative' : 'positive';
    flipped.add(r.text);
  });
  const file = join(t.dir, 'toy.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  value(await s.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } }));
  return { s, flipped };
}

describe('label check', () => {
  it('finds most of the labels flipped on purpose and keeps its queue as reviews happen', async () => {
    const { s, flipped } = await noisyProject(7);
    expect(await s.invoke('labels:suspects', {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('No label check has finished yet') } });

    let runId = 0;
    const finished = new Promise<string>((resolve) => s.on('train:finished', (f) => f.runId === runId && resolve(f.status)));
    runId = value(await s.invoke('train:start', { model: 'crossval', preset: 'fast', folds: 5, overrides: { epochs: 6, maxLen: 24, embedDim: 16, units: 8, minCount: 1, patience: 0 } })).runId;
    expect(await finished).toBe('done');
    const runs = value(await s.invoke('runs:list', {}));
    expect(runs.find((r) => r.id === runId)).toMatchObject({ kind: 'crossval', hasModel: false, test: { n: 300 } });

    const page = value(await s.invoke('labels:suspects', { limit: 500 }));
    expect(page).toMatchObject({ runId, checked: 300, labels: ['positive', 'negative'] });
    const quality = flagQuality(
      page.rows.map((r) => r.text),
      flipped,
    );
    // Toy reviews are separable, so the check should find most flips and flag few correct labels.
    expect(quality.recall).toBeGreaterThanOrEqual(0.6);
    expect(quality.precision).toBeGreaterThanOrEqual(0.6);
    const margins = page.rows.map((r) => r.margin);
    expect(margins).toEqual([...margins].sort((a, b) => b - a));
    for (const r of page.rows) expect(r.suggested).not.toBe(r.given);

    // Relabel the first suspect, confirm the second: both leave the queue, and show when asked for all.
    const [a, b] = page.rows;
    value(await s.invoke('labels:set', { itemIds: [a!.itemId], label: a!.suggested, origin: 'review' }));
    value(await s.invoke('labels:confirm', { itemIds: [b!.itemId] }));
    const after = value(await s.invoke('labels:suspects', { limit: 500 }));
    expect(after.total).toBe(page.total - 2);
    const all = value(await s.invoke('labels:suspects', { hideReviewed: false, limit: 500 }));
    expect(all.rows.find((r) => r.itemId === a!.itemId)).toMatchObject({ review: 'relabelled', currentLabel: a!.suggested });
    expect(all.rows.find((r) => r.itemId === b!.itemId)).toMatchObject({ review: 'confirmed', currentLabel: b!.given });
  }, 120_000);

  it('checks with n-gram folds in seconds, as a run without a model', async () => {
    const { s, flipped } = await noisyProject(3);
    let runId = 0;
    const progress: number[] = [];
    s.on('train:progress', (p) => p.runId === runId && progress.push(p.batch));
    const finished = new Promise<string>((resolve) => s.on('train:finished', (f) => f.runId === runId && resolve(f.status)));
    runId = value(await s.invoke('train:start', { model: 'crossval', foldModel: 'baseline', folds: 4 })).runId;
    expect(await finished).toBe('done');
    // One report per fold (the window gets about ten a second, and always the last).
    expect(progress.at(-1)).toBe(4);
    expect(progress).toEqual([...progress].sort());
    const run = value(await s.invoke('runs:list', {})).find((r) => r.id === runId)!;
    expect(run).toMatchObject({ kind: 'crossval', backend: 'NBSVM (JavaScript)', hasModel: false, hyperparameters: { foldModel: 'baseline', folds: 4 } });
    const page = value(await s.invoke('labels:suspects', { runId, limit: 500 }));
    // Plumbing, not quality (the benchmark measures that on real reviews): tiny folds of toy
    // reviews leave the n-gram model little to learn (it flags few items), yet the flips are far
    // denser among the suspects than the 5% they are of the data.
    const quality = flagQuality(page.rows.map((r) => r.text), flipped);
    expect(quality.found).toBeGreaterThanOrEqual(3);
    expect(quality.precision).toBeGreaterThanOrEqual(0.5);
  }, 60_000);

  it('checks a project whose label set has a label no item carries yet', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));
    await s.invoke('project:create', { path: join(t.dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.ternary] });
    const file = join(t.dir, 'toy.jsonl');
    writeFileSync(file, toyReviews(120).map((r) => JSON.stringify(r)).join('\n'));
    value(await s.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } }));
    let runId = 0;
    const finished = new Promise<{ status: string; error: string | null }>((resolve) => s.on('train:finished', (f) => f.runId === runId && resolve(f)));
    runId = value(await s.invoke('train:start', { model: 'crossval', folds: 3, overrides: { epochs: 1, maxLen: 16, embedDim: 8, units: 4, minCount: 1 } })).runId;
    expect(await finished).toMatchObject({ status: 'done', error: null });
    const page = value(await s.invoke('labels:suspects', { runId, limit: 500, hideReviewed: false }));
    expect(page.checked).toBe(120);
    expect(page.thresholds[page.labels.indexOf('neutral')]).toBeNull();
    for (const r of page.rows) expect(r.suggested).not.toBe('neutral');
  }, 60_000);
});
