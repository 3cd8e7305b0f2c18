/**
 * Faults around the project file: a second app process on the same project (read-only, told who
 * holds it, writes refused, nothing corrupted), a project in a read-only folder (opens read-only
 * with a message), and a disk that fills up during an import (a clear error, the project as it
 * was). The other process is a real one: crashWorker.ts through the same handler map.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelSetPresets } from '@common/labels';
import type { ProjectSummary } from '@common/contract';
import type { Db } from '../../src-main/node/db/open';
import { Project } from '../../src-main/node/db/project';
import { importFile } from '../../src-main/node/ingest/importer';
import { lockFileFor } from '../../src-main/node/projectLock';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { bundleCrashWorker, letEveryoneReach, startWorker, type CrashWorker } from '../helpers/crashProcess';
import { keyLabel, reviewsCsv, withoutAssistant } from '../helpers/crashScenarios';
import { tempDir } from '../helpers/tempProject';

let dir: string;
let cleanup: () => void;
let worker: CrashWorker;
let restoreReach = () => {};
let template = '';
const services: StudioService[] = [];
const nobody = 65_534;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('sstudio-faults-'));
  // Traversable by an ordinary user, for the read-only folder test run as one.
  chmodSync(dir, 0o755);
  worker = await bundleCrashWorker();
  // As root the read-only cases run the worker as an ordinary user, who must reach its script.
  if (process.getuid?.() === 0) restoreReach = letEveryoneReach(worker.script);
  template = join(dir, 'template.sstudio');
  const project = Project.create(template, { name: 'Faults', labels: labelSetPresets.binary.map((l) => ({ ...l })) });
  writeFileSync(join(dir, 'base.csv'), reviewsCsv(300, 'kept review'));
  await importFile(project, { path: join(dir, 'base.csv'), columns: { textColumn: 'text', labelColumn: 'label' } });
  writeFileSync(join(dir, 'unlabelled.csv'), reviewsCsv(600, 'queued review'));
  await importFile(project, { path: join(dir, 'unlabelled.csv'), columns: { textColumn: 'text' } });
  project.close();
  await withoutAssistant(template);
}, 60_000);

afterAll(async () => {
  for (const s of services.splice(0)) await s.dispose();
  worker?.cleanup();
  restoreReach();
  if (dir) chmodSync(dir, 0o755);
  cleanup?.();
});

function service(): StudioService {
  const s = createStudioService({ appVersion: 'faults-test', annotator: 'tester' });
  services.push(s);
  return s;
}

async function ok<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function copyOf(name: string, folder = dir): string {
  const path = join(folder, `${name}.sstudio`);
  copyFileSync(template, path);
  return path;
}

/** Everything an analyst would miss if it changed. */
function snapshot(db: Db) {
  const q = (sql: string) => db.prepare(sql).all();
  return {
    items: q('SELECT id, text FROM items ORDER BY id'),
    events: q('SELECT * FROM label_events ORDER BY id'),
    actions: q('SELECT * FROM label_actions ORDER BY id'),
    imports: q('SELECT id, file FROM imports ORDER BY id'),
    splits: q('SELECT * FROM item_splits ORDER BY item_id'),
    counts: q('SELECT * FROM label_counts ORDER BY 1, 2, 3'),
  };
}

const parsed = (lines: string[], prefix: string): unknown => JSON.parse(lines.find((l) => l.startsWith(`${prefix} `))!.slice(prefix.length + 1));

describe('two app instances on one project', () => {
  it('a second process opens it read-only, says which process holds it, and cannot write', async () => {
    const path = copyOf('held-here');
    const first = service();
    await ok(first.invoke('project:open', { path }));
    const before = snapshot(first.project!.db);

    const second = startWorker(worker, ['inspect', path]);
    const ended = await second.ended;
    expect(ended.code, ended.stderr).toBe(0);
    const opened = parsed(ended.lines, 'opened') as ProjectSummary;
    expect(opened).toMatchObject({ readOnly: true, openElsewhere: { pid: process.pid, host: hostname() } });
    expect(opened.readOnlyReason).toContain(`open for changes in another Sentiment Studio (process ${process.pid} on ${hostname()}`);
    expect(parsed(ended.lines, 'write')).toEqual({ ok: false, error: { code: 'read-only', message: opened.readOnlyReason } });

    expect(snapshot(first.project!.db)).toEqual(before);
    expect(first.project!.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The first instance still writes.
    expect(await first.invoke('labels:set', { itemIds: [1], label: 'negative' })).toMatchObject({ ok: true });
  });

  it('opens read-only while another process is writing, reads while it writes, and corrupts nothing', async () => {
    const path = copyOf('held-there');
    const writer = startWorker(worker, ['keys', path]);
    await writer.waitFor((l) => l.startsWith('ack key '));

    const second = service();
    const opened = await ok(second.invoke('project:open', { path }));
    expect(opened).toMatchObject({ readOnly: true, openElsewhere: { pid: writer.pid, host: hostname() } });
    expect(opened.readOnlyReason).toContain(`(process ${writer.pid} on ${hostname()}`);
    const refused = await second.invoke('labels:set', { itemIds: [1], label: 'negative' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'read-only', message: opened.readOnlyReason } });
    const importRefused = await second.invoke('import:run', { path: join(dir, 'base.csv'), columns: { textColumn: 'text' } });
    expect(importRefused).toMatchObject({ ok: false, error: { code: 'read-only' } });

    // Reads see the other process's labels arrive, never go back, never fail.
    let labelled = 0;
    for (let i = 0; i < 5; i++) {
      const summary = await ok(second.invoke('project:summary', {}));
      expect(summary.labelled).toBeGreaterThanOrEqual(labelled);
      labelled = summary.labelled;
      await ok(second.invoke('items:list', { label: 'positive', offset: 0, limit: 50 }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await ok(second.invoke('project:close', {}));
    // Closing a read-only project leaves the writer's lock alone.
    expect(JSON.parse(readFileSync(lockFileFor(path), 'utf8')).pid).toBe(writer.pid);

    const { lines } = await writer.kill();
    const reopened = Project.open(path);
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const acked = lines.filter((l) => l.startsWith('ack key ')).map((l) => Number(l.split(' ')[2]));
      expect(acked.length).toBeGreaterThan(0);
      const current = reopened.db.prepare<[number], { label: string }>('SELECT label FROM current_labels WHERE item_id = ?');
      expect(acked.map((id) => ({ id, label: current.get(id)?.label }))).toEqual(acked.map((id) => ({ id, label: keyLabel(id) })));
    } finally {
      reopened.close();
    }
  });
});

/**
 * Root writes into a 0555 folder anyway, so chmod proves nothing when the tests run as root (as
 * here, in a container). Then the project is opened by a real ordinary-user process (uid 65534),
 * which the folder does refuse; that needs the right to switch users, checked first.
 */
function readOnlyFolderOpener(): 'this process' | 'an ordinary-user process' | null {
  if (process.getuid?.() !== 0) return 'this process';
  const probe = spawnSync(process.execPath, ['-e', '0'], { uid: nobody, gid: nobody });
  return probe.status === 0 ? 'an ordinary-user process' : null;
}

async function openAs(opener: 'this process' | 'an ordinary-user process', path: string): Promise<{ opened: ProjectSummary; write: unknown }> {
  if (opener === 'this process') {
    const s = service();
    const opened = await ok(s.invoke('project:open', { path }));
    const write = await s.invoke('labels:set', { itemIds: [1], label: 'negative' });
    await ok(s.invoke('project:close', {}));
    return { opened, write };
  }
  const ended = await startWorker(worker, ['inspect', path], { uid: nobody, gid: nobody }).ended;
  expect(ended.code, ended.stderr).toBe(0);
  return { opened: parsed(ended.lines, 'opened') as ProjectSummary, write: parsed(ended.lines, 'write') };
}

describe('a project that cannot be written', () => {
  const opener = readOnlyFolderOpener();

  it.runIf(opener !== null)(`opens read-only with a message when its folder is read-only (opened by ${opener ?? 'nobody'})`, async () => {
    const shelf = join(dir, 'shelf');
    mkdirSync(shelf);
    const path = copyOf('on-a-shelf', shelf);
    const bytes = readFileSync(path);
    chmodSync(shelf, 0o555);
    try {
      const { opened, write } = await openAs(opener!, path);
      expect(opened).toMatchObject({ readOnly: true, openElsewhere: null, items: 900, labelled: 300 });
      expect(opened.readOnlyReason).toBe(
        `${path} is in a folder this app cannot write to (${shelf}), so it is open read-only: you can look at it and export from it, but not change it. ` +
          'To make changes, copy the project to a folder you can write to and open the copy.',
      );
      expect(write).toEqual({ ok: false, error: { code: 'read-only', message: opened.readOnlyReason } });
    } finally {
      chmodSync(shelf, 0o755);
    }
    // Nothing was written: no lock, no journal, the same bytes.
    expect(readdirSync(shelf)).toEqual(['on-a-shelf.sstudio']);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it.runIf(opener !== null)(`opens read-only with a message when the file itself is read-only (opened by ${opener ?? 'nobody'})`, async () => {
    // A folder the opener may write to, so that only the file says no.
    const desk = join(dir, 'desk');
    mkdirSync(desk);
    if (opener === 'an ordinary-user process') chownSync(desk, nobody, nobody);
    const path = copyOf('write-protected', desk);
    chmodSync(path, 0o444);
    const { opened, write } = await openAs(opener!, path);
    expect(opened.readOnly).toBe(true);
    expect(opened.readOnlyReason).toContain(`${path} is a read-only file, so it is open read-only`);
    expect(write).toMatchObject({ ok: false, error: { code: 'read-only' } });
    expect(existsSync(lockFileFor(path))).toBe(false);
  });

  it('a full disk during an import gives a clear error, leaves the project as it was, and it keeps working', async () => {
    const path = copyOf('full-disk');
    const csv = join(dir, 'big.csv');
    writeFileSync(csv, reviewsCsv(20_000, 'overflowing review'));
    const s = service();
    await ok(s.invoke('project:open', { path }));
    const db = s.project!.db;
    const before = snapshot(db);
    // SQLite's own cap on the file's size, on the connection the import writes through: it fails
    // the write exactly as a full disk does (SQLITE_FULL), 64 pages (256 KB) from now.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 64}`);

    const result = await s.invoke('import:run', { path: csv, columns: { textColumn: 'text', labelColumn: 'label' } });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'disk-full',
        message: `The disk is full: ${path} has no room to grow. Nothing of this change was saved; the project is as it was before. Free some space on that disk, then try again.`,
      },
    });
    expect(snapshot(db)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // Space again: the same import goes through on the same connection.
    db.pragma('max_page_count = 1073741823');
    expect(await ok(s.invoke('import:run', { path: csv, columns: { textColumn: 'text', labelColumn: 'label' } }))).toMatchObject({ imported: 20_000 });
    await ok(s.invoke('project:close', {}));
    const reopened = Project.open(path, { readOnly: true });
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(reopened.summary()).toMatchObject({ items: 900 + 20_000, labelled: 300 + 20_000 });
    } finally {
      reopened.close();
    }
  });
});
