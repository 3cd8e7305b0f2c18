/**
 * "Nothing lost": the process that owns the project file is killed with SIGKILL at random moments
 * of (a) a 50,000-row import, (b) bulk labels of 10,000 items, (c) a burst of single keyboard
 * labels. After each kill the file is reopened as the app opens it (the handler map, which takes
 * over the dead process's lock and recovers the WAL) and must pass PRAGMA integrity_check, hold
 * every transaction whole or not at all, and hold every label whose write was acknowledged.
 *
 * Each kill works on a fresh copy of a template project built once here. The moment of each kill
 * comes from a seeded generator (CRASH_SEED overrides the seed; a failure message names it) and
 * is placed relative to the worker's own pace (its progress and acknowledgements), not a fixed
 * number of milliseconds: on a busy machine the same draw still lands at the same stage.
 */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelSetPresets } from '@common/labels';
import type { Db } from '../../src-main/node/db/open';
import { Project } from '../../src-main/node/db/project';
import { importFile } from '../../src-main/node/ingest/importer';
import { seededRandom } from '../../src-main/node/train/random';
import { createStudioService } from '../../src-main/node/services';
import { bundleCrashWorker, inTurns, runAndKill, type CrashWorker, type KilledRun, type KillPlan } from '../helpers/crashProcess';
import { keyLabel, reviewsCsv, withoutAssistant } from '../helpers/crashScenarios';
import { tempDir } from '../helpers/tempProject';

const killsPerScenario = 20;
const importRows = 50_000;
const bulkItems = 10_000;
const seed = Number(process.env['CRASH_SEED'] ?? 20_251_128);
// Two workers at a time: one starts (loads the handler map) while the other writes.
const concurrency = 2;

let dir: string;
let cleanup: () => void;
let worker: CrashWorker;
const labels = labelSetPresets.binary.map((l) => ({ ...l }));
const templates = { import: '', bulk: '', keys: '' };
let importCsv = '';
/** A whole 50,000-row import here: its time, and the share of it after the last row was read. */
let importMs = 0;
let importTail = 0;

async function buildTemplate(name: string, build: (project: Project) => Promise<void>): Promise<string> {
  const path = join(dir, `${name}.sstudio`);
  const project = Project.create(path, { name, labels });
  try {
    await build(project);
  } finally {
    project.close();
  }
  await withoutAssistant(path);
  // Closed cleanly, the template is one file (no -wal): a plain copy is a whole project.
  return path;
}

async function importText(project: Project, name: string, csv: string, columns: { textColumn: string; labelColumn?: string }) {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, csv);
  return importFile(project, { path: file, columns });
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('sstudio-crash-'));
  worker = await bundleCrashWorker();
  importCsv = join(dir, 'reviews-50k.csv');
  writeFileSync(importCsv, reviewsCsv(importRows, 'new review'));
  templates.import = await buildTemplate('import', (p) => importText(p, 'base', reviewsCsv(500, 'earlier review'), { textColumn: 'text', labelColumn: 'label' }).then(() => {}));
  templates.bulk = await buildTemplate('bulk', (p) => importText(p, 'bulk', reviewsCsv(bulkItems, 'pool review'), { textColumn: 'text' }).then(() => {}));
  templates.keys = await buildTemplate('keys', (p) => importText(p, 'keys', reviewsCsv(2000, 'queue review'), { textColumn: 'text' }).then(() => {}));
  // How long the whole import takes here (in this process: close to what a worker takes).
  const probe = join(dir, 'probe.sstudio');
  copyFileSync(templates.import, probe);
  const project = Project.open(probe);
  const started = performance.now();
  let lastRowsAt = 0;
  await importFile(project, { path: importCsv, columns: { textColumn: 'text', labelColumn: 'label' } }, {
    onProgress: (p) => {
      if (p.rows < importRows) lastRowsAt = performance.now() - started;
    },
  });
  importMs = performance.now() - started;
  // After the rows: the last batch, the label recount, split assignment and the commit.
  importTail = lastRowsAt > 0 ? importMs / lastRowsAt - 1 : 0.3;
  project.close();
}, 120_000);

afterAll(() => {
  worker?.cleanup();
  cleanup?.();
});

const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

/** What must hold in any project after any crash, whatever was being written. */
function checkWholeProject(db: Db, context: string): void {
  expect(db.pragma('integrity_check', { simple: true }), context).toBe('ok');
  expect(db.pragma('foreign_key_check'), context).toEqual([]);
  const triggers = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'label_counts_%' ORDER BY name`).all();
  // The import drops these inside its transaction: a crash must bring them back with the rollback.
  expect(triggers, context).toEqual([{ name: 'label_counts_event' }, { name: 'label_counts_split' }]);
  const kept = db.prepare('SELECT label, split, source, n FROM label_counts WHERE n > 0 ORDER BY 1, 2, 3').all();
  const recounted = db
    .prepare(
      `SELECT c.label, coalesce(s.split, '') AS split, coalesce(s.source, '') AS source, COUNT(*) AS n FROM current_labels c
       LEFT JOIN item_splits s ON s.item_id = c.item_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .all();
  expect(kept, context).toEqual(recounted);
  // Every labelled item has its split: assigned in the same transaction as its first label.
  expect(count(db, 'SELECT COUNT(*) AS n FROM current_labels c LEFT JOIN item_splits s USING (item_id) WHERE s.item_id IS NULL'), context).toBe(0);
}

/**
 * Copies the template, runs the worker on it, kills it, and hands the reopened project to `check`
 * exactly as the app reopens it; then makes sure it still takes a label.
 */
async function killOnce(scenario: 'import' | 'bulk' | 'keys', index: number, plan: KillPlan, check: (db: Db, run: KilledRun, context: string) => void): Promise<KilledRun> {
  const path = join(dir, `${scenario}-${index}.sstudio`);
  copyFileSync(templates[scenario], path);
  const run = await runAndKill(worker, scenario === 'import' ? [scenario, path, importCsv] : [scenario, path], plan);
  const context = `${scenario} kill ${index} at ${run.killedAtMs.toFixed(0)} ms (CRASH_SEED=${seed}); worker said: ${run.lines.slice(-3).join(' | ')}`;
  const service = createStudioService({ appVersion: 'crash-test', annotator: 'checker' });
  try {
    const opened = await service.invoke('project:open', { path });
    if (!opened.ok) throw new Error(`${context}: reopening failed: ${opened.error.message}`);
    expect(opened.value.readOnly, `${context}: the dead process's lock was not taken over`).toBe(false);
    const db = service.project!.db;
    checkWholeProject(db, context);
    check(db, run, context);
    const firstItem = (db.prepare('SELECT id FROM items ORDER BY id LIMIT 1').get() as { id: number }).id;
    expect(await service.invoke('labels:set', { itemIds: [firstItem], label: 'negative' }), context).toMatchObject({ ok: true });
  } finally {
    await service.dispose();
  }
  // Twenty 10 MB copies per scenario need not wait for the end of the file.
  for (const suffix of ['', '-wal', '-shm', '-lock']) rmSync(path + suffix, { force: true });
  return run;
}

/**
 * Import: a kill at a share (0 to 1.3) of the import's expected length, re-estimated from each
 * progress report, so the kills cover reading rows, the steps before the commit and just after it.
 */
function importPlan(share: number): KillPlan {
  let startedAt = 0;
  return (line, atMs) => {
    if (line === 'start') {
      startedAt = atMs;
      return share * importMs;
    }
    const progress = /^progress (\d+)$/.exec(line);
    if (!progress || Number(progress[1]) === 0) return null;
    const elapsed = atMs - startedAt;
    const expected = (elapsed / Number(progress[1])) * importRows * (1 + importTail);
    return startedAt + share * expected - atMs;
  };
}

/** Bulk labels: after `acknowledged` of them, a share of one more (the last one's length). */
function bulkPlan(acknowledged: number, share: number): KillPlan {
  let seen = 0;
  let lastAt = 0;
  return (line, atMs) => {
    if (line === 'ready') {
      lastAt = atMs;
      return acknowledged === 0 ? share * 400 : null;
    }
    if (!line.startsWith('ack bulk ')) return null;
    const gap = atMs - lastAt;
    lastAt = atMs;
    return ++seen === acknowledged ? share * gap : null;
  };
}

const acks = (run: KilledRun, kind: string) => run.lines.filter((l) => l.startsWith(`ack ${kind} `)).map((l) => l.split(' ').slice(2));

describe('killing the process that owns the project', () => {
  it(`loses nothing when killed during a ${importRows.toLocaleString('en-US')}-row import`, async () => {
    const random = seededRandom(seed);
    const base = Project.open(templates.import, { readOnly: true });
    const before = { items: base.items.count(), events: count(base.db, 'SELECT COUNT(*) AS n FROM label_events'), imports: count(base.db, 'SELECT COUNT(*) AS n FROM imports') };
    base.close();
    const outcomes = { rolledBack: 0, committedUnacknowledged: 0, acknowledged: 0 };
    await inTurns(killsPerScenario, concurrency, async (i) => {
      await killOnce('import', i, importPlan(random() * 1.3), (db, run, context) => {
        const items = count(db, 'SELECT COUNT(*) AS n FROM items');
        const events = count(db, 'SELECT COUNT(*) AS n FROM label_events');
        const imports = count(db, 'SELECT COUNT(*) AS n FROM imports');
        const acknowledged = acks(run, 'import').length > 0;
        const whole = { items: before.items + importRows, events: before.events + importRows, imports: before.imports + 1 };
        expect([before, whole], `${context}: a partial import`).toContainEqual({ items, events, imports });
        if (acknowledged) expect(items, `${context}: an acknowledged import is missing`).toBe(whole.items);
        if (acknowledged) outcomes.acknowledged++;
        else if (items === whole.items) outcomes.committedUnacknowledged++;
        else outcomes.rolledBack++;
      });
    });
    console.info(`import kills: ${JSON.stringify(outcomes)} (a whole import in the test process: ${importMs.toFixed(0)} ms)`);
    // Kills must land inside the import's transaction, or this tested little.
    expect(outcomes.rolledBack).toBeGreaterThan(0);
  }, 300_000);

  it(`loses nothing when killed during bulk labels of ${bulkItems.toLocaleString('en-US')} items`, async () => {
    const random = seededRandom(seed + 1);
    let acknowledged = 0;
    await inTurns(killsPerScenario, concurrency, async (i) => {
      const run = await killOnce('bulk', i, bulkPlan(Math.floor(random() * 3), random()), (db, run, context) => {
        const acked = acks(run, 'bulk').map(([actionId, label]) => ({ actionId: Number(actionId), label: label! }));
        const actions = db
          .prepare<[], { id: number; events: number; label: string | null }>(
            `SELECT a.id, COUNT(e.id) AS events, max(e.label) AS label FROM label_actions a
             LEFT JOIN label_events e ON e.action_id = a.id WHERE a.kind = 'label' GROUP BY a.id ORDER BY a.id`,
          )
          .all();
        // Every bulk action is whole: all 10,000 items, one label.
        for (const a of actions) expect(a.events, `${context}: bulk action ${a.id} is partial`).toBe(bulkItems);
        // Every acknowledged action is there; at most one more (committed, killed before its ack).
        expect(actions.slice(0, acked.length), context).toEqual(acked.map((a) => ({ id: a.actionId, events: bulkItems, label: a.label })));
        expect(actions.length - acked.length, context).toBeLessThanOrEqual(1);
        const current = db.prepare('SELECT label, COUNT(*) AS n FROM current_labels GROUP BY label').all();
        const last = actions.at(-1);
        expect(current, context).toEqual(last ? [{ label: last.label, n: bulkItems }] : []);
      });
      acknowledged += acks(run, 'bulk').length;
    });
    console.info(`bulk label kills: ${killsPerScenario}, acknowledged bulk actions checked: ${acknowledged}`);
    expect(acknowledged).toBeGreaterThan(0);
  }, 300_000);

  it('loses no acknowledged label when killed during a burst of keyboard labels', async () => {
    const random = seededRandom(seed + 2);
    let acknowledged = 0;
    await inTurns(killsPerScenario, concurrency, async (i) => {
      const delay = random() * 400;
      let timed = false;
      const plan: KillPlan = (line) => (!timed && line.startsWith('ack key ') ? ((timed = true), delay) : null);
      const run = await killOnce('keys', i, plan, (db, run, context) => {
        const acked = acks(run, 'key').map(([itemId, label]) => ({ item_id: Number(itemId), label: label! }));
        const stored = db.prepare<[], { item_id: number; label: string }>('SELECT item_id, label FROM current_labels ORDER BY item_id').all();
        expect(stored.slice(0, acked.length), `${context}: an acknowledged label is missing`).toEqual(acked);
        // At most the write in flight is there without its acknowledgement, and with the right label.
        expect(stored.length - acked.length, context).toBeLessThanOrEqual(1);
        for (const s of stored.slice(acked.length)) expect(s.label, context).toBe(keyLabel(s.item_id));
        // One key press, one action, one event.
        expect(count(db, `SELECT COUNT(*) AS n FROM label_actions WHERE kind = 'label'`), context).toBe(stored.length);
      });
      acknowledged += acks(run, 'key').length;
    });
    console.info(`keyboard label kills: ${killsPerScenario}, acknowledged labels checked: ${acknowledged}`);
    expect(acknowledged).toBeGreaterThan(0);
  }, 300_000);
});
