/**
 * "Opening a project file twice must not corrupt it": the first writer holds a lock file beside
 * the project; a second open (another window = another service in this process, or another
 * process) gets the project read-only, with who holds it. Closing releases the lock; a lock whose
 * process is gone is stale and taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '@common/labels';
import { runCli } from '../../src-main/node/cli/main';
import { defaultDemoSource, demoProjectPath, ensureDemoProject } from '../../src-main/node/demoProject';
import { Project } from '../../src-main/node/db/project';
import { acquireProjectLock, lockFileFor } from '../../src-main/node/projectLock';
import { createStudioService, type StudioService } from '../../src-main/node/services';

let dir: string;
const services: StudioService[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sstudio-lock-'));
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function service(): StudioService {
  const s = createStudioService({ appVersion: 'test', annotator: 'tester', userDataDir: join(dir, 'user-data') });
  services.push(s);
  return s;
}

async function ok<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const labels = labelSetPresets.binary.map((l) => ({ ...l }));

describe('opening a project twice', () => {
  it('opens it read-only in a second window, with who holds it, until the first closes it', async () => {
    const path = join(dir, 'shared.sstudio');
    const first = service();
    const second = service();
    await ok(first.invoke('project:create', { path, name: 'Shared', labels }));
    expect(existsSync(lockFileFor(path))).toBe(true);

    const elsewhere = await ok(second.invoke('project:open', { path }));
    expect(elsewhere.readOnly).toBe(true);
    expect(elsewhere.openElsewhere).toMatchObject({ pid: process.pid, host: hostname() });
    const write = await second.invoke('labels:undo', {});
    expect(write).toMatchObject({ ok: false, error: { code: 'read-only', message: expect.stringContaining('open for changes in another window') } });

    await ok(first.invoke('project:close', {}));
    expect(existsSync(lockFileFor(path))).toBe(false);
    const third = service();
    const writable = await ok(third.invoke('project:open', { path }));
    expect(writable).toMatchObject({ readOnly: false, openElsewhere: null });
  });

  it('keeps its own lock when the same window opens the same file again, and releases it on dispose', async () => {
    const path = join(dir, 'again.sstudio');
    const s = service();
    await ok(s.invoke('project:create', { path, name: 'Again', labels }));
    expect(await ok(s.invoke('project:open', { path }))).toMatchObject({ readOnly: false, openElsewhere: null });
    await s.dispose();
    expect(existsSync(lockFileFor(path))).toBe(false);
  });

  it('a read-only open takes no lock and leaves the writer alone', async () => {
    const path = join(dir, 'peek.sstudio');
    const writer = service();
    await ok(writer.invoke('project:create', { path, name: 'Peek', labels }));
    const reader = service();
    expect(await ok(reader.invoke('project:open', { path, readOnly: true }))).toMatchObject({ readOnly: true, openElsewhere: null });
    await ok(reader.invoke('project:close', {}));
    expect(existsSync(lockFileFor(path))).toBe(true);
  });

  it('respects a lock held by another live process, and takes over one whose process is gone', async () => {
    const path = join(dir, 'other-process.sstudio');
    const s = service();
    await ok(s.invoke('project:create', { path, name: 'Other', labels }));
    await ok(s.invoke('project:close', {}));

    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFileFor(path), JSON.stringify({ pid: sleeper.pid, host: hostname(), since: '2025-01-01T00:00:00Z' }));
      expect(await ok(s.invoke('project:open', { path }))).toMatchObject({ readOnly: true, openElsewhere: { pid: sleeper.pid } });
      const refused = await s.invoke('labels:undo', {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'read-only' } });
      const message = refused.ok ? '' : refused.error.message;
      expect(message).toContain(`process ${sleeper.pid} on ${hostname()}, since 2025-01-01T00:00:00Z`);
      expect(message).toContain(`if that program is no longer running, delete ${lockFileFor(path)}`);
      await ok(s.invoke('project:close', {}));
      // Not ours: closing the read-only project leaves the other process's lock in place.
      expect(JSON.parse(readFileSync(lockFileFor(path), 'utf8')).pid).toBe(sleeper.pid);
    } finally {
      sleeper.kill();
    }

    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockFileFor(path), JSON.stringify({ pid: gone, host: hostname(), since: '2025-01-01T00:00:00Z' }));
    expect(await ok(s.invoke('project:open', { path }))).toMatchObject({ readOnly: false, openElsewhere: null });
    expect(JSON.parse(readFileSync(lockFileFor(path), 'utf8')).pid).toBe(process.pid);
  });

  it.skipIf(process.platform === 'win32')('follows symlinks: the same file under another name is the same lock', async () => {
    const path = join(dir, 'p.sstudio');
    const link = join(dir, 'link.sstudio');
    const first = service();
    await ok(first.invoke('project:create', { path, name: 'Linked', labels }));
    symlinkSync(path, link);

    const second = service();
    expect(await ok(second.invoke('project:open', { path: link }))).toMatchObject({ readOnly: true, openElsewhere: { pid: process.pid } });
    expect(lockFileFor(link)).toBe(lockFileFor(path));
    await ok(second.invoke('project:close', {}));
    expect(existsSync(lockFileFor(path))).toBe(true);
  });

  it('treats a lock with our pid as live only while a window of ours holds that very lock', () => {
    // Two spellings of one name reach one lock file on a case-insensitive disk; two files stand in for that here.
    const held = acquireProjectLock(join(dir, 'reviews.sstudio'));
    expect(held.acquired).toBe(true);
    const spelledOtherwise = join(dir, 'Reviews-other.sstudio');
    copyFileSync(lockFileFor(join(dir, 'reviews.sstudio')), lockFileFor(spelledOtherwise));
    expect(acquireProjectLock(spelledOtherwise)).toMatchObject({ acquired: false, owner: { pid: process.pid } });
    expect(existsSync(lockFileFor(join(dir, 'reviews.sstudio')))).toBe(true);

    // The same pid without our token: an earlier process with our pid crashed and left it.
    const leftBehind = join(dir, 'left-behind.sstudio');
    writeFileSync(lockFileFor(leftBehind), JSON.stringify({ pid: process.pid, host: hostname(), since: '2025-01-01T00:00:00Z', token: 'old' }));
    const taken = acquireProjectLock(leftBehind);
    expect(taken.acquired).toBe(true);
    for (const t of [held, taken]) if (t.acquired) t.lock.release();
  });

  it('releases the lock when the same window reopens the project read-only', async () => {
    const path = join(dir, 'peek-own.sstudio');
    const s = service();
    await ok(s.invoke('project:create', { path, name: 'Own', labels }));
    expect(await ok(s.invoke('project:open', { path, readOnly: true }))).toMatchObject({ readOnly: true, openElsewhere: null });
    expect(existsSync(lockFileFor(path))).toBe(false);
    expect(await ok(s.invoke('project:open', { path }))).toMatchObject({ readOnly: false, openElsewhere: null });
    expect(await ok(service().invoke('project:open', { path }))).toMatchObject({ readOnly: true, openElsewhere: { pid: process.pid } });
  });

  it('says a file already exists, not that it is being created, when creating over a project open elsewhere', async () => {
    const path = join(dir, 'taken.sstudio');
    await ok(service().invoke('project:create', { path, name: 'Taken', labels }));
    expect(await service().invoke('project:create', { path, name: 'Again', labels })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: `${path} already exists; choose another file name.` },
    });
  });

  it('tells the CLI who holds the project when an import cannot write', async () => {
    const path = join(dir, 'cli.sstudio');
    const s = service();
    await ok(s.invoke('project:create', { path, name: 'Cli', labels }));
    await ok(s.invoke('project:close', {}));
    const reviews = join(dir, 'reviews.jsonl');
    writeFileSync(reviews, '{"text": "Great film", "label": "positive"}\n');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFileFor(path), JSON.stringify({ pid: sleeper.pid, host: hostname(), since: '2025-01-01T00:00:00Z' }));
      const stderr: string[] = [];
      const err = new PassThrough();
      err.on('data', (c) => stderr.push(String(c)));
      const code = await runCli(['import', reviews, '--project', path], { stdout: new PassThrough(), stderr: err as unknown as NodeJS.WriteStream });
      expect(code).toBe(1);
      expect(stderr.join('')).toContain(`open for changes in another Sentiment Studio (process ${sleeper.pid} on ${hostname()}`);
    } finally {
      sleeper.kill();
    }
  });

  it('treats an unreadable lock file as stale', () => {
    const path = join(dir, 'garbage.sstudio');
    writeFileSync(lockFileFor(path), 'not json');
    const taken = acquireProjectLock(path);
    expect(taken.acquired).toBe(true);
    if (taken.acquired) taken.lock.release();
    expect(existsSync(lockFileFor(path))).toBe(false);
  });

  it('a failed open releases the lock it took', async () => {
    const path = join(dir, 'not-a-project.sstudio');
    writeFileSync(path, 'plain text');
    const s = service();
    expect(await s.invoke('project:open', { path })).toMatchObject({ ok: false, error: { code: 'not-a-project' } });
    expect(existsSync(lockFileFor(path))).toBe(false);
  });
});

describe('recent projects and settings through the service', () => {
  it('records created and opened projects with counts, and forgets on request', async () => {
    const s = service();
    const a = join(dir, 'a.sstudio');
    const b = join(dir, 'b.sstudio');
    await ok(s.invoke('project:create', { path: a, name: 'A', labels }));
    await ok(s.invoke('project:create', { path: b, name: 'B', labels }));
    const recent = await ok(s.invoke('app:recent', {}));
    expect(recent.map((r) => [r.name, r.items, r.exists])).toEqual([
      ['B', 0, true],
      ['A', 0, true],
    ]);
    expect((await ok(s.invoke('app:forgetRecent', { path: a }))).map((r) => r.name)).toEqual(['B']);
  });

  it('stores settings, emits the change and validates it', async () => {
    const s = service();
    const seen: unknown[] = [];
    s.on('app:settingsChanged', (settings) => seen.push(settings));
    await ok(s.invoke('app:setSettings', { language: 'zh-CN' }));
    expect(await ok(s.invoke('app:settings', {}))).toEqual({
      settings: { language: 'zh-CN', theme: 'system', reopenLastProject: true },
      problem: null,
    });
    expect(seen).toHaveLength(1);
    expect(await s.invoke('app:setSettings', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('reports the screen the window shows', async () => {
    const s = service();
    expect(s.view).toBe('start');
    await ok(s.invoke('app:setView', { view: 'annotate' }));
    expect(s.view).toBe('annotate');
    expect(s.activity).toBeNull();
  });
});

describe('the demo project', () => {
  it('is built from the bundled reviews the first time and reopened afterwards', async () => {
    const s = service();
    const demo = await ok(s.invoke('project:openDemo', {}));
    expect(demo).toMatchObject({ items: 2000, labelled: 1500, unlabelled: 500, readOnly: false });
    expect(demo.perLabel['positive']! + demo.perLabel['negative']!).toBe(1500);
    expect(demo.path).toContain(join(dir, 'user-data', 'demo'));
    expect(readdirSync(join(dir, 'user-data', 'demo')).filter((name) => name.includes('.partial'))).toEqual([]);

    await ok(s.invoke('labels:set', { itemIds: [1], label: null }));
    const again = await ok(s.invoke('project:openDemo', {}));
    expect(again.path).toBe(demo.path);
    expect(again.unlabelled).toBe(501);
  });

  it('is built once when two windows ask for it at the same time', async () => {
    const userData = join(dir, 'user-data');
    const build = () => ensureDemoProject(userData, defaultDemoSource, { db: {}, annotator: 'tester' });
    const [a, b] = await Promise.all([build(), build()]);
    expect(a).toBe(demoProjectPath(userData));
    expect(b).toBe(a);
    expect(readdirSync(join(userData, 'demo'))).toEqual(['IMDB demo.sstudio']);
    const demo = Project.open(a);
    try {
      expect(demo.summary()).toMatchObject({ items: 2000, labelled: 1500 });
    } finally {
      demo.close();
    }
  });

  it('never replaces a demo another process finished first, which may be open already', async () => {
    const userData = join(dir, 'user-data');
    const building = ensureDemoProject(userData, defaultDemoSource, { db: {}, annotator: 'tester' });
    // The build is importing now; another process's build lands first.
    writeFileSync(demoProjectPath(userData), 'the other build');
    expect(await building).toBe(demoProjectPath(userData));
    expect(readFileSync(demoProjectPath(userData), 'utf8')).toBe('the other build');
    expect(readdirSync(join(userData, 'demo'))).toEqual(['IMDB demo.sstudio']);
  });

  it('clears partial files a crashed build left behind', async () => {
    const userData = join(dir, 'user-data');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(userData, 'demo'), { recursive: true });
    const leftover = `${demoProjectPath(userData)}.${gone}-0badc0de.partial`;
    writeFileSync(leftover, 'half a demo');
    await ensureDemoProject(userData, defaultDemoSource, { db: {}, annotator: 'tester' });
    expect(readdirSync(join(userData, 'demo'))).toEqual(['IMDB demo.sstudio']);
  });

  it('needs a user-data folder', async () => {
    const s = createStudioService({ appVersion: 'test' });
    services.push(s);
    expect(await s.invoke('project:openDemo', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});
