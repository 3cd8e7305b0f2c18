/**
 * The handler map: every channel of the contract, implemented once and served to the Electron
 * IPC layer, the CLI and the tests alike. Payloads are validated here, at the trust boundary;
 * failures come back as typed errors, never as thrown exceptions.
 */
import { userInfo } from 'node:os';
import {
  channelNames,
  requestSchemas,
  type Channel,
  type DialogPurpose,
  type EventMap,
  type EventName,
  type InvokeResult,
  type ParsedRequestOf,
  type ResponseOf,
} from '../common/contract';
import { StudioError, toErrorData } from '../common/errors';
import { latestSchemaVersion } from './db/open';
import { Project } from './db/project';
import { exportLabelledData } from './export/data';
import { importFile } from './ingest/importer';
import { previewFile } from './ingest/preview';
import { baselineComparison, processIsAlive, runSummary, Runs } from './db/runs';
import type { SpawnTrainer } from './train/trainerClient';
import { TrainingController } from './trainingController';

export interface StudioServiceOptions {
  appVersion: string;
  /** How the training process starts: child_process.fork (default) or Electron's utilityProcess. */
  spawnTrainer?: SpawnTrainer;
  /** Who label events are attributed to; defaults to the OS user name. */
  annotator?: string;
  /** An Electron-ABI build of better-sqlite3 (the app); plain Node leaves it unset. */
  sqliteNativeBinding?: string;
  /** Native file dialogs (the app, or a test's stand-in); without them the dialog channels are unsupported. */
  dialogs?: FileDialogs;
}

export interface FileDialogs {
  open(purpose: DialogPurpose): Promise<string | null>;
  save(purpose: DialogPurpose, defaultName?: string): Promise<string | null>;
}

function noDialogs(): never {
  throw new StudioError('unsupported', 'File dialogs are only available in the desktop app; type the path instead.');
}

export interface StudioService {
  /** Accepts any string: channel names arriving over IPC are checked here, not trusted. */
  invoke<C extends Channel>(channel: C | (string & {}), payload: unknown): Promise<InvokeResult<C>>;
  on<E extends EventName>(event: E, callback: (payload: EventMap[E]) => void): () => void;
  /** The open project, for in-process callers such as the CLI. */
  readonly project: Project | null;
  dispose(): Promise<void>;
}

type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

function defaultAnnotator(): string {
  try {
    return userInfo().username || 'analyst';
  } catch {
    return 'analyst';
  }
}

export function createStudioService(options: StudioServiceOptions): StudioService {
  const annotator = options.annotator ?? defaultAnnotator();
  const dbOptions = options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {};
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let project: Project | null = null;
  /** The long write that holds the project (an import awaits the file between rows). */
  let busy: { what: string; abort: AbortController } | null = null;

  function emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const cb of listeners.get(event) ?? []) (cb as (p: EventMap[E]) => void)(payload);
  }

  const training = new TrainingController({ emit, appVersion: options.appVersion, spawnTrainer: options.spawnTrainer });

  function notBusy(): void {
    // An import holds an open transaction across awaits: anything that reads or writes the
    // project on this connection meanwhile would see, or join, uncommitted rows.
    if (busy) throw new StudioError('busy', `${busy.what} is running; wait for it to finish or cancel it.`);
  }

  function requireProject(): Project {
    notBusy();
    if (!project) throw new StudioError('no-project', 'Open or create a project first.');
    return project;
  }

  function requireWritable(): Project {
    const p = requireProject();
    if (p.readOnly) throw new StudioError('read-only', 'This project is open read-only.');
    return p;
  }

  function replaceProject(open: () => Project): Project {
    notBusy();
    if (training.running) throw new StudioError('busy', 'A model is training; cancel it before opening another project.');
    const next = open();
    project?.close();
    project = next;
    return next;
  }

  const handlers: Handlers = {
    'app:info': () => ({
      name: 'Sentiment Studio',
      version: options.appVersion,
      schemaVersion: latestSchemaVersion,
      platform: process.platform,
    }),
    'dialog:open': async (r) => ({ path: options.dialogs ? await options.dialogs.open(r.purpose) : noDialogs() }),
    'dialog:save': async (r) => ({ path: options.dialogs ? await options.dialogs.save(r.purpose, r.defaultName) : noDialogs() }),
    'project:create': (r) => replaceProject(() => Project.create(r.path, { name: r.name, labels: r.labels }, dbOptions)).summary(),
    'project:open': (r) => {
      const p = replaceProject(() => Project.open(r.path, { ...dbOptions, readOnly: r.readOnly ?? false }));
      if (!p.readOnly) new Runs(p.db).failInterrupted(processIsAlive);
      return p.summary();
    },
    'project:close': () => {
      notBusy();
      if (training.running) throw new StudioError('busy', 'A model is training; cancel it before closing the project.');
      const closed = project !== null;
      project?.close();
      project = null;
      return { closed };
    },
    'project:summary': () => requireProject().summary(),
    'import:preview': (r) => previewFile(r.path, r.read ?? {}, r.sampleRows ?? 2000),
    'import:run': async (r) => {
      const p = requireWritable();
      // The import's transaction stays open across awaits; the trainer's records must not land in it.
      if (training.running) throw new StudioError('busy', 'A model is training; import when it has finished, or cancel it.');
      const abort = new AbortController();
      busy = { what: 'An import', abort };
      try {
        const summary = await importFile(p, { ...r, annotator: r.annotator === 'import' ? annotator : r.annotator }, {
          signal: abort.signal,
          onProgress: (progress) => emit('import:progress', progress),
        });
        emit('project:changed', p.summary());
        return summary;
      } finally {
        busy = null;
      }
    },
    'import:cancel': () => {
      if (!busy) return { cancelled: false };
      busy.abort.abort();
      return { cancelled: true };
    },
    'items:list': (r) => requireProject().listItems(r),
    'labels:set': (r) => {
      const p = requireWritable();
      const label = r.label === null ? null : p.meta.requireLabel(r.label);
      const result = p.setLabels(r.itemIds, label, r.origin, r.annotator ?? annotator);
      emit('project:changed', p.summary());
      return result;
    },
    'labels:undo': (r) => {
      const p = requireWritable();
      const result = p.undo(annotator, r.actionId);
      if (result.undoneActionId !== null) emit('project:changed', p.summary());
      return result;
    },
    'labels:history': (r) => requireProject().labelEvents.history(r.itemId),
    'data:export': (r) => exportLabelledData(requireProject(), r),
    'train:start': (r) => training.start(requireWritable(), r),
    'train:cancel': () => ({ cancelled: training.cancel() }),
    'runs:list': () => {
      const runs = new Runs(requireProject().db);
      return runs.list().map((r) => runSummary(r, baselineComparison(runs, r)));
    },
  };

  return {
    get project() {
      return project;
    },
    async invoke<C extends Channel>(name: C | (string & {}), payload: unknown): Promise<InvokeResult<C>> {
      if (!(channelNames as readonly string[]).includes(name)) {
        return { ok: false, error: { code: 'invalid-request', message: `Unknown channel '${String(name)}'.` } };
      }
      const channel = name as C;
      const parsed = requestSchemas[channel].safeParse(payload ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.length ? issue.path.join('.') : 'payload';
        return { ok: false, error: { code: 'invalid-request', message: `${channel}: ${field}: ${issue.message}` } };
      }
      try {
        const handler = handlers[channel] as (r: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
        return { ok: true, value: await handler(parsed.data as ParsedRequestOf<C>) };
      } catch (error) {
        return { ok: false, error: toErrorData(error) };
      }
    },
    on(event, callback) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback as (payload: never) => void);
      return () => set.delete(callback as (payload: never) => void);
    },
    async dispose() {
      busy?.abort.abort();
      await training.dispose();
      project?.close();
      project = null;
      listeners.clear();
    },
  };
}
