/**
 * The handler map as the renderer sees it: validated payloads, typed errors, events.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../src-main/common/labels';
import type { ImportProgress } from '../../src-main/common/ingest';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { tempDir } from '../helpers/tempProject';
import { toyReviews } from '../helpers/toyReviews';

const fixtures = join(import.meta.dirname, '../fixtures');
let service: StudioService | null = null;
let cleanup = () => {};
afterEach(async () => {
  await service?.dispose();
  cleanup();
});

function setup() {
  const t = tempDir();
  cleanup = t.cleanup;
  service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' });
  return { dir: t.dir, s: service };
}

describe('studio service', () => {
  it('validates payloads at the boundary and names the field', async () => {
    const { s } = setup();
    expect(await s.invoke('labels:set', { itemIds: [], label: 'positive' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('labels:set: itemIds') },
    });
    expect(await s.invoke('project:create', { path: '/tmp/x', name: 'x', labels: [{ name: 'only', key: '1', color: '#000000' }] })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('at least two labels') },
    });
    expect(await s.invoke('no:such', {})).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await s.invoke('project:summary', {})).toMatchObject({ ok: false, error: { code: 'no-project' } });
  });

  it('creates, imports with progress events, labels, undoes and reopens', async () => {
    const { dir, s } = setup();
    const path = join(dir, 'p.sstudio');
    const created = await s.invoke('project:create', { path, name: 'Movies', labels: [...labelSetPresets.ternary] });
    expect(created).toMatchObject({ ok: true, value: { name: 'Movies', items: 0 } });

    const progress: ImportProgress[] = [];
    const changes: number[] = [];
    s.on('import:progress', (p) => progress.push(p));
    s.on('project:changed', (p) => changes.push(p.labelled));
    const preview = await s.invoke('import:preview', { path: join(fixtures, 'reviews-small.csv') });
    expect(preview).toMatchObject({
      ok: true,
      value: { columns: ['id', 'review', 'sentiment', 'stars'], suggested: { textColumn: 'review', labelColumn: 'sentiment', idColumn: 'id' } },
    });
    const imported = await s.invoke('import:run', {
      path: join(fixtures, 'reviews-small.csv'),
      columns: { textColumn: 'review', labelColumn: 'stars' },
      labelMapping: { values: {}, stars: { negativeMax: 2, positiveMin: 4 } },
    });
    expect(imported).toMatchObject({ ok: true, value: { imported: 6, labels: { positive: 3, neutral: 1, negative: 2 } } });
    expect(progress.at(-1)).toMatchObject({ rows: 8 });
    expect(changes.at(-1)).toBe(6);

    const list = await s.invoke('items:list', { label: 'neutral' });
    expect(list.ok && list.value.items.map((i) => i.text)).toEqual(["It's okay I guess"]);
    const id = list.ok ? list.value.items[0]!.id : 0;
    const set = await s.invoke('labels:set', { itemIds: [id], label: 'Negative' });
    expect(set).toMatchObject({ ok: true, value: { changed: 1 } });
    expect(await s.invoke('labels:set', { itemIds: [id], label: 'meh' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: "label 'meh' is not one of positive, neutral, negative" },
    });
    const undo = await s.invoke('labels:undo', {});
    expect(undo).toMatchObject({ ok: true, value: { reverted: 1 } });
    const history = await s.invoke('labels:history', { itemId: id });
    expect(history.ok && history.value.map((e) => [e.label, e.origin, e.annotator])).toEqual([
      ['neutral', 'import', 'tester'],
      ['negative', 'manual', 'tester'],
      ['neutral', 'undo', 'tester'],
    ]);

    await s.invoke('project:close', {});
    const reopened = await s.invoke('project:open', { path, readOnly: true });
    expect(reopened).toMatchObject({ ok: true, value: { readOnly: true, labelled: 6, perLabel: { neutral: 1 } } });
    expect(await s.invoke('labels:set', { itemIds: [id], label: 'positive' })).toMatchObject({ ok: false, error: { code: 'read-only' } });
  });

  it('refuses every project request while an import holds the project, then works again', async () => {
    const { dir, s } = setup();
    await s.invoke('project:create', { path: join(dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] });
    const file = join(dir, 'many.csv');
    writeFileSync(file, 'text\n' + Array.from({ length: 5000 }, (_, i) => `review ${i}`).join('\n'));
    const running = s.invoke('import:run', { path: file, columns: { textColumn: 'text' } });
    for (const [channel, payload] of [
      ['items:list', {}],
      ['project:summary', {}],
      ['data:export', { path: join(dir, 'out.csv'), format: 'csv' }],
      ['labels:set', { itemIds: [1], label: 'positive' }],
      ['project:open', { path: join(dir, 'p.sstudio') }],
    ] as const) {
      expect(await s.invoke(channel, payload)).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('An import is running') } });
    }
    expect(await running).toMatchObject({ ok: true, value: { imported: 5000 } });
    expect(await s.invoke('items:list', {})).toMatchObject({ ok: true, value: { total: 5000 } });
  });

  it('never exports onto the project file, and asks before replacing a file', async () => {
    const { dir, s } = setup();
    const path = join(dir, 'p.sstudio');
    await s.invoke('project:create', { path, name: 'p', labels: [...labelSetPresets.binary] });
    for (const target of [path, `${path}-wal`, join(dir, '.', 'p.sstudio')]) {
      expect(await s.invoke('data:export', { path: target, format: 'csv', overwrite: true })).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('is the project file itself') },
      });
    }
    expect(readFileSync(path).subarray(0, 15).toString()).toBe('SQLite format 3');
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'keep me');
    expect(await s.invoke('data:export', { path: out, format: 'csv' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('already exists') } });
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(await s.invoke('data:export', { path: out, format: 'csv', overwrite: true })).toMatchObject({ ok: true, value: { rows: 0 } });
  });

  it('says which folder is missing when creating a project, and leaves nothing behind', async () => {
    const { dir, s } = setup();
    const path = join(dir, 'no-such-folder', 'p.sstudio');
    expect(await s.invoke('project:create', { path, name: 'p', labels: [...labelSetPresets.binary] })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('no-such-folder does not exist') },
    });
    expect(await s.invoke('project:open', { path: dir })).toMatchObject({ ok: false, error: { message: expect.stringContaining('is a folder') } });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('trains through the handler map: answers with the run id, streams events, lists the run', async () => {
    const { dir, s } = setup();
    await s.invoke('project:create', { path: join(dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] });
    const file = join(dir, 'toy.jsonl');
    writeFileSync(file, toyReviews(200).map((r) => JSON.stringify(r)).join('\n'));
    await s.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
    const events: string[] = [];
    const finishedRuns: { runId: number; status: string; error: string | null }[] = [];
    let runId = 0;
    const finished = new Promise<{ runId: number; status: string }>((resolve) =>
      s.on('train:finished', (f) => {
        finishedRuns.push(f);
        if (f.runId === runId) resolve(f);
      }),
    );
    s.on('train:epoch', (e) => events.push(`epoch ${e.epoch}`));
    s.on('train:progress', () => events.push('progress'));
    expect(await s.invoke('train:start', { preset: 'fast', overrides: { maxLen: 3 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('maxLen: 3 is below the minimum 8') },
    });
    const started = await s.invoke('train:start', { preset: 'fast', overrides: { epochs: 2, maxLen: 16, units: 4, embedDim: 8, minCount: 1 } });
    expect(started).toMatchObject({ ok: true, value: { runId: expect.any(Number) } });
    runId = started.ok ? started.value.runId : 0;
    expect(await s.invoke('train:start', { preset: 'fast' })).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(await s.invoke('import:run', { path: file, columns: { textColumn: 'text' } })).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('training') } });
    expect(await finished).toEqual({ runId, status: 'done', error: null });
    expect(events).toContain('epoch 2');
    // Throttled to ~10 a second, but every epoch's last batch is reported.
    expect(events.filter((e) => e === 'progress').length).toBeGreaterThanOrEqual(2);
    // The automatic baseline ran first on the same snapshot, and the run is compared with it.
    expect(finishedRuns).toEqual([{ runId: runId + 1, status: 'done', error: null }, { runId, status: 'done', error: null }]);
    const runs = await s.invoke('runs:list', {});
    expect(runs).toMatchObject({
      ok: true,
      value: [
        { id: runId, kind: 'gru', status: 'done', preset: 'fast', test: { n: expect.any(Number) }, baseline: { baselineRunId: runId + 1, metric: 'accuracy', text: expect.stringMatching(/baseline/) } },
        { id: runId + 1, kind: 'nbsvm', status: 'done', preset: null, baseline: null },
      ],
    });
  }, 60_000);
});
