/**
 * The app's memory of recent projects and settings: persisted atomically in the user-data folder,
 * shared by every window's store, capped, and never fatal when the file is damaged.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxRecentProjects } from '@common/appSettings';
import { createAppStateStore } from '../../../src-main/node/appState';
import { createStudioService } from '../../../src-main/node/services';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sstudio-appstate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const clock = () => {
  let t = Date.parse('2025-03-01T10:00:00Z');
  return () => new Date((t += 60_000));
};

describe('app state store', () => {
  it('keeps recent projects newest first, without duplicates, and flags missing files', () => {
    const store = createAppStateStore(dir, clock());
    const a = join(dir, 'a.sstudio');
    writeFileSync(a, '');
    store.recordOpened({ path: a, name: 'A', items: 10, labelled: 4 });
    store.recordOpened({ path: join(dir, 'gone.sstudio'), name: 'Gone' });
    const recent = store.recordOpened({ path: a, name: 'A renamed', items: 12, labelled: 5 });

    expect(recent.map((r) => [r.name, r.exists, r.items])).toEqual([
      ['A renamed', true, 12],
      ['Gone', false, null],
    ]);
    expect(recent[0]!.lastOpened > recent[1]!.lastOpened).toBe(true);
  });

  it('persists to the folder, so another store (another window, the next run) reads it', () => {
    createAppStateStore(dir).recordOpened({ path: '/p/one.sstudio', name: 'One' });
    const other = createAppStateStore(dir);
    other.updateSettings({ language: 'zh-CN' });
    other.recordOpened({ path: '/p/two.sstudio', name: 'Two' });

    const fresh = createAppStateStore(dir);
    expect(fresh.recent().map((r) => r.name)).toEqual(['Two', 'One']);
    expect(fresh.settings()).toMatchObject({ language: 'zh-CN', theme: 'system', reopenLastProject: true });
    // Atomic writes leave no temp files behind.
    expect(readdirSync(dir)).toEqual(['app-state.json']);
  });

  it('updates counts in place, forgets entries, and caps the list', () => {
    const store = createAppStateStore(dir);
    for (let i = 0; i < maxRecentProjects + 3; i++) store.recordOpened({ path: `/p/${i}.sstudio`, name: `P${i}` });
    expect(store.recent()).toHaveLength(maxRecentProjects);

    store.updateCounts({ path: '/p/3.sstudio', name: 'P3', items: 7, labelled: 2 });
    expect(store.recent().find((r) => r.name === 'P3')).toMatchObject({ items: 7, labelled: 2 });
    expect(store.recent()[0]!.name).toBe(`P${maxRecentProjects + 2}`);

    expect(store.forget('/p/3.sstudio').some((r) => r.name === 'P3')).toBe(false);
  });

  it('replaces a corrupt file, keeps it aside and reports it once', () => {
    writeFileSync(join(dir, 'app-state.json'), '{"version": 1, "recent": [ oops');
    const store = createAppStateStore(dir);
    expect(store.recent()).toEqual([]);
    const problem = store.takeProblem();
    expect(problem).toMatch(/could not be read .* reset/);
    expect(store.takeProblem()).toBeNull();
    expect(readFileSync(join(dir, 'app-state.json.corrupt'), 'utf8')).toContain('oops');

    store.updateSettings({ theme: 'dark' });
    expect(JSON.parse(readFileSync(join(dir, 'app-state.json'), 'utf8'))).toMatchObject({ version: 1, settings: { theme: 'dark' } });
  });

  it('treats a file of the wrong shape as corrupt too', () => {
    writeFileSync(join(dir, 'app-state.json'), JSON.stringify({ version: 1, settings: { language: 'klingon' } }));
    const store = createAppStateStore(dir);
    expect(store.settings().language).toBe('auto');
    expect(store.takeProblem()).toMatch(/not in the expected format/);
  });

  it('lives in memory without a folder', () => {
    const store = createAppStateStore();
    store.recordOpened({ path: '/p/x.sstudio', name: 'X' });
    expect(store.recent().map((r) => r.name)).toEqual(['X']);
    expect(store.folder).toBeNull();
    expect(existsSync(join(dir, 'app-state.json'))).toBe(false);
  });

  it('refuses settings outside the schema', () => {
    const store = createAppStateStore(dir);
    expect(() => store.updateSettings({ language: 'fr' as never })).toThrow();
    expect(store.settings().language).toBe('auto');
  });

  it('changes only the settings a request names, through the handler map too', async () => {
    const service = createStudioService({ appVersion: 'test', userDataDir: dir });
    try {
      await service.invoke('app:setSettings', { language: 'zh-CN', reopenLastProject: false });
      const result = await service.invoke('app:setSettings', { theme: 'dark' });
      expect(result).toMatchObject({ ok: true, value: { language: 'zh-CN', theme: 'dark', reopenLastProject: false } });
      expect(await service.invoke('app:setSettings', { colour: 'red' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    } finally {
      await service.dispose();
    }
  });
});
