/**
 * IPC is a trust boundary, fuzzed: thousands of seeded, malformed payloads go to every channel
 * through the app's own dispatch path (the handler ipc.ts registers on ipcMain, in front of the
 * real handler map and a real project file), each passed through structured clone as Electron's
 * IPC does. Every one must come back as the typed `invalid-request` error, serialisable, and
 * leave everything as it was: no row changed (SQLite's total_changes on the service's connection
 * around each payload, and a checksum of every table), no file written, no event sent, no
 * dialog, process or PDF started. Then hostile strings in valid-shaped requests: any typed answer
 * will do, never an internal error. Electron is a fake here (only ipcMain.handle is needed).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelNames, ipcInvokeChannel, requestSchemas, type Channel, type InvokeResult } from '../../src-main/common/contract';
import { errorCodes } from '../../src-main/common/errors';
import { labelSetPresets } from '../../src-main/common/labels';
import { Project } from '../../src-main/node/db/project';
import { importFile } from '../../src-main/node/ingest/importer';
import type { StudioService } from '../../src-main/node/services';
import { bindStudioIpc, type StudioIpc } from '../../src-main/electron/ipc';
import { fuzzExamples, isPathField, pathRoot, spawnsProcess } from '../helpers/fuzzExamples';
import {
  fieldAt,
  fieldPaths,
  hostileStrings,
  hostileValues,
  isTopLevelInvalid,
  isWrongFor,
  randomTree,
  seededRandom,
  setAt,
  typeMutations,
  unknownKeyPayloads,
} from '../helpers/hostilePayloads';
import { tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

type IpcHandler = (event: unknown, channel: unknown, payload: unknown) => Promise<InvokeResult<Channel>>;
const registered = vi.hoisted(() => new Map<string, unknown>());
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: unknown) => registered.set(channel, handler),
    removeHandler: (channel: string) => registered.delete(channel),
  },
}));

/** Random payloads per channel on top of the systematic ones. */
const randomPerChannel = 60;
const seed = 0x1f2e3d;

const t = tempDir('sstudio-fuzz-');
const fixturePath = join(t.dir, 'fixture.sstudio');
const examples = fuzzExamples(t.dir);
const sideEffects = { dialogs: 0, processes: 0, pdfs: 0, windowEvents: 0 };
const rendererUrl = 'file:///app/out/renderer/index.html';
let ipc: StudioIpc;
let service: StudioService;
let dispatch: IpcHandler;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

/** Exactly what ipc.ts receives from Electron: the sender, then the structured-cloned arguments. */
function send(channel: unknown, payload: unknown): Promise<InvokeResult<Channel>> {
  const event = { sender: { id: 1 }, senderFrame: { parent: null, url: rendererUrl } };
  return dispatch(event, structuredClone(channel), structuredClone(payload));
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return [path, ...files(path)];
    // SQLite's shared-memory index changes on reads; the WAL is covered by total_changes.
    if (/-(shm|wal)$/.test(entry.name)) return [];
    const { size, mtimeMs } = statSync(path);
    return [`${path} ${size} ${mtimeMs}`];
  });
}

/** What a request could change in the project or the app, cheap enough to take around each payload. */
function state(): string {
  const project = service.project;
  const changes = project ? (project.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n : null;
  return JSON.stringify({ project: project?.path ?? null, changes, sideEffects });
}

/** A checksum of every row of every table, read on the service's own connection. */
function contentChecksum(): string {
  const db = service.project!.db;
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const table of tables) {
    hash.update(table);
    for (const row of db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).raw().iterate()) {
      hash.update(JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('base64') : value)));
    }
  }
  return hash.digest('hex');
}

function describeResult(result: unknown): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === 'string' && value.length > 160 ? `${value.slice(0, 160)}…` : value));
}

/** A typed, serialisable answer: what the renderer's `call` turns into a StudioCallError. */
function typedProblem(result: InvokeResult<Channel>): string | null {
  try {
    structuredClone(result);
  } catch {
    return 'the answer cannot cross IPC';
  }
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') return `not an InvokeResult: ${describeResult(result)}`;
  if (result.ok) return null;
  const { code, message } = result.error;
  if (!errorCodes.includes(code) || typeof message !== 'string' || message.length === 0) return `not a typed error: ${describeResult(result)}`;
  if (code === 'internal') return `an internal error (a handler crashed): ${message}`;
  return null;
}

let failures: string[] = [];
const counts = new Map<string, { invalid: number; hostileValid: number }>();
const countFor = (channel: string) => counts.get(channel) ?? counts.set(channel, { invalid: 0, hostileValid: 0 }).get(channel)!;

/** Sends a payload that must be refused, and checks that it was, with nothing changed. */
async function mustRefuse(channel: unknown, what: string, payload: unknown, countAs = String(channel)): Promise<void> {
  countFor(countAs).invalid++;
  const before = state();
  const result = await send(channel, payload);
  const problem = typedProblem(result);
  if (problem) failures.push(`${countAs} (${what}): ${problem}`);
  else if (result.ok || result.error.code !== 'invalid-request') failures.push(`${countAs} (${what}): not refused: ${describeResult(result)}`);
  if (state() !== before) failures.push(`${countAs} (${what}): something changed although the payload was refused`);
}

/** Puts the fixture project back when a valid request replaced or closed it, and stops long work. */
async function restore(): Promise<void> {
  if (service.activity === 'training') await send('train:cancel', {});
  if (service.activity === 'import') await send('import:cancel', {});
  await expect.poll(() => service.activity).toBeNull();
  if (service.project?.path !== fixturePath) {
    const reopened = await send('project:open', { path: fixturePath });
    if (!reopened.ok) throw new Error(`could not reopen the fixture: ${reopened.error.message}`);
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  mkdirSync(pathRoot(t.dir), { recursive: true });
  mkdirSync(join(t.dir, 'no-demo'));
  const fixture = Project.create(fixturePath, { name: 'Fuzz target', labels: [...labelSetPresets.binary] });
  const reviews = [...toyReviews(30), { text: '<img src=x onerror="window.__pwned=1"> \u202Eevil', label: 'negative' }];
  await importFile(fixture, { path: writeJsonl(join(t.dir, 'reviews.jsonl'), reviews), columns: { textColumn: 'text', labelColumn: 'label' }, annotator: 'fixture' });
  // Indexed now, so the service's background indexer has nothing left to write during the fuzz.
  while (!fixture.searchIndex.indexFor(1000));
  fixture.close();

  ipc = bindStudioIpc({
    service: {
      appVersion: '0.0.0-fuzz',
      annotator: 'fuzz',
      userDataDir: join(t.dir, 'user-data'),
      demoSource: join(t.dir, 'no-demo'),
      dialogs: {
        open: async () => (sideEffects.dialogs++, null),
        save: async () => (sideEffects.dialogs++, null),
      },
      printPdf: async () => (sideEffects.pdfs++, Buffer.from('%PDF-1.4\n')),
      // Nothing invalid may get as far as starting a process; one that does dies at once, so
      // the slip shows up as a failure here rather than as a request waiting forever.
      spawnTrainer: () => {
        sideEffects.processes++;
        let exit: (code: number | null, signal: string | null, detail: string) => void = () => {};
        return {
          send: () => setImmediate(() => exit(1, null, 'the fuzz test starts no training process')),
          onMessage: () => {},
          onExit: (listener) => (exit = listener),
          kill: () => exit(null, 'SIGTERM', ''),
        };
      },
    },
    isRendererUrl: (url) => url === rendererUrl,
  });
  const window = { webContents: { id: 1, isDestroyed: () => false, send: () => void sideEffects.windowEvents++ }, once: () => {} };
  ipc.attach(window as never);
  service = ipc.serviceOf(window as never)!;
  dispatch = registered.get(ipcInvokeChannel) as IpcHandler;
  const opened = await send('project:open', { path: fixturePath });
  expect(opened).toMatchObject({ ok: true, value: { items: 31, readOnly: false } });
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await ipc?.dispose();
  t.cleanup();
});

describe('IPC fuzz', () => {
  it('has a valid example for every channel, so that one wrong field makes a payload invalid', () => {
    expect(Object.keys(examples).sort(), 'every channel needs a valid example in test/helpers/fuzzExamples.ts').toEqual([...channelNames].sort());
    for (const channel of channelNames) {
      const parsed = requestSchemas[channel].safeParse(examples[channel].payload);
      expect(parsed.error?.issues, channel).toBeUndefined();
    }
  });

  it('refuses thousands of malformed payloads on every channel with a typed error, changing nothing', { timeout: 120_000 }, async () => {
    failures = [];
    const random = seededRandom(seed);
    const checksum = contentChecksum();
    for (const channel of channelNames) {
      // Files are compared per channel: listing the folder around every payload would double the run time.
      const filesBefore = files(t.dir);
      const { payload: example, rules } = examples[channel];
      const base = example as Record<string, unknown>;
      for (const [i, value] of hostileValues().entries()) {
        if (isTopLevelInvalid(value)) await mustRefuse(channel, `payload #${i}`, value);
      }
      for (const { field, payload } of typeMutations(base, rules)) await mustRefuse(channel, `wrong type in ${field}`, payload);
      for (const { field, payload } of unknownKeyPayloads(base)) await mustRefuse(channel, `unknown key ${field}`, payload);
      for (const path of fieldPaths(base, 3).filter(isPathField)) {
        // SQLite takes a path as a C string: it would open `.../bundle`, past every check on the full name.
        for (const bad of [`${pathRoot(t.dir)}/bundle\u0000.sstudio`, `${pathRoot(t.dir)}/${'p'.repeat(5000)}`]) {
          await mustRefuse(channel, `bad path in ${path.join('.')}`, setAt(base, path, bad));
        }
      }

      const free = (field: string) => rules?.free?.some((f) => field === f || field.startsWith(`${f}.`)) ?? false;
      const paths = fieldPaths(base, 3).filter((path) => !free(path.join('.')));
      for (let i = 0; i < randomPerChannel; i++) {
        const pick = random();
        if (pick < 0.35 || (pick < 0.7 && paths.length === 0)) {
          const value = randomTree(random, 4);
          const payload = isTopLevelInvalid(value) ? value : { ...(value as object), [`k${i}`]: randomTree(random, 2) };
          await mustRefuse(channel, `random #${i}`, payload);
        } else if (pick < 0.7) {
          const path = paths[Math.floor(random() * paths.length)]!;
          const nullable = rules?.nullable?.includes(path.join('.'));
          let value = randomTree(random, 3);
          while (!isWrongFor(fieldAt(base, path), value, { nullable })) value = randomTree(random, 3);
          await mustRefuse(channel, `random wrong ${path.join('.')} #${i}`, setAt(base, path, value));
        } else {
          await mustRefuse(channel, `random extra key #${i}`, { ...structuredClone(base), [`k${Math.floor(random() * 1e9)}`]: randomTree(random, 3) });
        }
      }
      expect(files(t.dir), `${channel}: a refused payload wrote a file`).toEqual(filesBefore);
    }
    const names: unknown[] = [42, null, {}, ['app:info'], '', 'APP:INFO', 'fs:readFile', '__proto__', 'constructor', 'toString', 'app:info\u0000', 'x'.repeat(100_000)];
    for (const name of names) {
      const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 20)) : JSON.stringify(name);
      for (const payload of [undefined, {}, { path: fixturePath }]) await mustRefuse(name, `channel ${shown}`, payload, '(unknown channels)');
    }

    expect(failures).toEqual([]);
    expect(contentChecksum()).toBe(checksum);
    for (const channel of channelNames) expect(countFor(channel).invalid, channel).toBeGreaterThanOrEqual(100);
  });

  it('answers hostile strings in valid-shaped requests with a typed error or a result, never a crash', { timeout: 120_000 }, async () => {
    failures = [];
    for (const channel of channelNames.filter((c) => !spawnsProcess.has(c))) {
      const base = examples[channel].payload as Record<string, unknown>;
      for (const path of fieldPaths(base, 3).filter((field) => typeof fieldAt(base, field) === 'string')) {
        const isPath = isPathField(path);
        for (const hostile of hostileStrings) {
          // Paths stay inside the test's folder however many '..' they climb: the fuzz runs as
          // whatever user the suite runs as, and must never write outside its temp folder.
          const value = isPath ? `${pathRoot(t.dir)}/${hostile}` : hostile;
          countFor(channel).hostileValid++;
          const result = await send(channel, setAt(base, path, value));
          const problem = typedProblem(result);
          if (problem) failures.push(`${channel} (${path.join('.')} = ${JSON.stringify(hostile.slice(0, 30))}): ${problem}`);
          await restore();
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('is still serving afterwards, with no unhandled rejection and no polluted prototype', async () => {
    expect(await send('project:summary', {})).toMatchObject({ ok: true, value: { path: fixturePath, items: 31 } });
    expect(unhandled).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('isAdmin');

    const table = [...counts].map(([channel, n]) => `${channel.padEnd(20)} ${String(n.invalid).padStart(5)} ${String(n.hostileValid).padStart(5)}`);
    const total = [...counts.values()].reduce((sum, n) => sum + n.invalid + n.hostileValid, 0);
    console.info(`IPC fuzz: ${total} payloads (channel, refused, hostile-but-valid-shaped)\n${table.join('\n')}`);
  });
});
