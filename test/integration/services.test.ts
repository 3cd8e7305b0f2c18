/**
 * The handler map as the renderer sees it: validated payloads, typed errors, events.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../src-main/common/labels';
import type { ImportProgress } from '../../src-main/common/ingest';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { tempDir } from '../helpers/tempProject';

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
});
