/**
 * The handler map: every channel of the contract, implemented once and served to the Electron
 * IPC layer, the CLI and the tests alike. Payloads are validated here, at the trust boundary;
 * failures come back as typed errors, never as thrown exceptions.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import {
  type Channel,
  type DialogPurpose,
  type EventMap,
  type EventName,
  type InvokeResult,
  type ParsedRequestOf,
  type ProjectSummary,
  type ResponseOf,
} from '../common/contract';
import { StudioError, toErrorData } from '../common/errors';
import type { AppView } from '../common/appSettings';
import type { ImportSummary } from '../common/ingest';
import { createAppStateStore } from './appState';
import { defaultDemoSource, ensureDemoProject } from './demoProject';
import { acquireProjectLock, heldElsewhereMessage, projectLockKey, type LockOwner, type ProjectLock } from './projectLock';
import { latestSchemaVersion } from './db/open';
import { storageFailure } from './db/storageErrors';
import { Project } from './db/project';
import { exportLabelledData } from './export/data';
import { importFile } from './ingest/importer';
import { previewFile } from './ingest/preview';
import { processIsAlive, Runs } from './db/runs';
import type { SpawnTrainer } from './train/trainerClient';
import { TrainingController } from './trainingController';
import { StudyController } from './studyController';
import { Studies } from './db/studies';
import { AssistController } from './assistController';
import { createLabelHandlers } from './labelHandlers';
import { checkRequest } from './requestCheck';
import { ExplainService } from './explainService';
import { PredictService } from './predict/predictService';
import { createAnalysisHandlers } from './analysisHandlers';
import { createHistoryHandlers } from './historyHandlers';
import { profileLabelledData } from './train/dataProfile';
import { SearchIndexing } from './searchIndexing';

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
  /** Where recent projects, settings and the demo project live (Electron: userData); unset keeps them in memory. */
  userDataDir?: string;
  /** The folder holding the bundled demo data (resources/demo). */
  demoSource?: string;
  /** HTML to PDF (Electron's printToPDF in the app, Chromium's page.pdf in tests); without it reports are HTML only. */
  printPdf?: (html: string) => Promise<Buffer>;
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
  /** Long work a window close or quit would interrupt, for the shell to ask about first. */
  readonly activity: 'import' | 'training' | null;
  readonly view: AppView;
  dispose(): Promise<void>;
}

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

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
  const appState = createAppStateStore(options.userDataDir);
  /** This window's write lock on the open project (null when open read-only). */
  let lock: ProjectLock | null = null;
  let openElsewhere: LockOwner | null = null;
  let view: AppView = 'start';
  // Indexes only between requests that write: never during an import's open transaction.
  const searchIndexing = new SearchIndexing(() => (busy ? null : project), {
    onError: (error) => console.error('Search indexing stopped:', error),
  });

  function emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const cb of listeners.get(event) ?? []) (cb as (p: EventMap[E]) => void)(payload);
  }

  const training = new TrainingController({ emit, appVersion: options.appVersion, spawnTrainer: options.spawnTrainer });
  const studies = new StudyController(training, emit);
  const explainer = new ExplainService(options.spawnTrainer);
  const predictions = new PredictService(options.spawnTrainer);
  const assist = new AssistController({
    training,
    predictions,
    emit,
    otherWork: () => busy?.what ?? (studies.running ? studies.describe() : null),
    annotator: () => annotator,
  });
  /** A run or a study (which holds the training slot between its runs). */
  const trainingBusy = () => training.running || studies.running;

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
    if (p.readOnly) {
      throw new StudioError(
        'read-only',
        openElsewhere
          ? heldElsewhereMessage(p.path, openElsewhere)
          : (p.readOnlyReason ?? 'This project was opened read-only; open it again without read-only to make changes.'),
      );
    }
    return p;
  }

  /**
   * Opens `path` in place of the current project. A writable open first takes the project's
   * lock; when another window or process holds it, the project opens read-only instead and the
   * summary says who has it.
   */
  function replaceProject(path: string, wantWrite: boolean, open: (readOnly: boolean) => Project): Project {
    notBusy();
    if (trainingBusy()) throw new StudioError('busy', 'A model is training; cancel it before opening another project.');
    const reopening = lock !== null && lock.path === projectLockKey(path);
    const keepsLock = reopening && wantWrite;
    const taken = !wantWrite ? null : keepsLock ? ({ acquired: true, lock: lock! } as const) : acquireProjectLock(path);
    let next: Project;
    try {
      next = open(taken?.acquired !== true);
    } catch (error) {
      if (taken?.acquired && !keepsLock) taken.lock.release();
      throw error;
    }
    rememberCounts();
    project?.close();
    // Also when the same file is reopened read-only: a lock nobody uses would keep every later
    // writable open, in any window, read-only.
    if (!keepsLock) lock?.release();
    project = next;
    searchIndexing.kick();
    // A project whose file or folder keeps it read-only holds no lock: it could not write anyway.
    if (taken?.acquired && next.readOnly) taken.lock.release();
    lock = taken?.acquired && !next.readOnly ? taken.lock : null;
    openElsewhere = taken && !taken.acquired ? taken.owner : null;
    const summary = next.summary();
    emit('app:recentChanged', appState.recordOpened({ ...summary, path }));
    return next;
  }

  function summarize(p: Project): ProjectSummary {
    return { ...p.summary(), openElsewhere, readOnlyReason: openElsewhere ? heldElsewhereMessage(p.path, openElsewhere) : p.readOnlyReason };
  }

  /** Keeps the recent list's counts current for the project being closed. */
  function rememberCounts(): void {
    if (!project) return;
    try {
      const { name, items, labelled } = project.summary();
      appState.updateCounts({ path: project.path, name, items, labelled });
    } catch {
      // The counts are a convenience; a project that cannot summarise still closes.
    }
  }

  function closeProject(): void {
    rememberCounts();
    project?.close();
    lock?.release();
    project = null;
    lock = null;
    openElsewhere = null;
  }

  const analysis = createAnalysisHandlers({
    options,
    annotator,
    emit,
    requireProject,
    requireWritable,
    openProject: () => project,
    trainingBusy,
    explainer,
    predictions,
    whileImporting: async (what: string, task: (signal: AbortSignal) => Promise<ImportSummary>) => {
      const abort = new AbortController();
      busy = { what, abort };
      try {
        return await task(abort.signal);
      } finally {
        busy = null;
        searchIndexing.kick();
      }
    },
  });

  const labelling = createLabelHandlers({ emit, annotator, requireProject, requireWritable, currentProject: () => project, assist });
  const history = createHistoryHandlers({ options, emit, requireProject, requireWritable, studies });

  const handlers: Handlers = {
    'app:info': () => ({
      name: 'Sentiment Studio',
      version: options.appVersion,
      schemaVersion: latestSchemaVersion,
      platform: process.platform,
    }),
    'dialog:open': async (r) => ({ path: options.dialogs ? await options.dialogs.open(r.purpose) : noDialogs() }),
    'dialog:save': async (r) => ({ path: options.dialogs ? await options.dialogs.save(r.purpose, r.defaultName) : noDialogs() }),
    'app:recent': () => appState.recent(),
    'app:forgetRecent': (r) => {
      const recent = appState.forget(r.path);
      emit('app:recentChanged', recent);
      return recent;
    },
    'app:settings': () => ({ settings: appState.settings(), problem: appState.takeProblem() }),
    'app:setSettings': (r) => {
      const settings = appState.updateSettings(r);
      emit('app:settingsChanged', settings);
      return settings;
    },
    'app:setView': (r) => {
      view = r.view;
      emit('app:viewChanged', { view });
      return { view };
    },
    'project:create': async (r) => {
      if (assist.running) await assist.stop();
      const p = replaceProject(r.path, true, (readOnly) => {
        // Project.create's own "already exists" is the message that helps, also when the file is open elsewhere.
        if (readOnly && !existsSync(r.path)) throw new StudioError('busy', `${r.path} is being created in another window.`);
        return Project.create(r.path, { name: r.name, labels: r.labels }, dbOptions);
      });
      return summarize(p);
    },
    'project:open': async (r) => {
      if (assist.running) await assist.stop();
      const p = replaceProject(r.path, !(r.readOnly ?? false), (readOnly) => Project.open(r.path, { ...dbOptions, readOnly }));
      if (!p.readOnly) {
        new Runs(p.db).failInterrupted(processIsAlive);
        new Studies(p.db).markInterrupted(processIsAlive);
      }
      return summarize(p);
    },
    'project:openDemo': async () => {
      if (!options.userDataDir) throw new StudioError('unsupported', 'The demo project needs the desktop app (a folder for app data).');
      notBusy();
      // The first time, an import builds the demo: hold other writes off as an import would.
      busy = { what: 'Preparing the demo project', abort: new AbortController() };
      let path: string;
      try {
        path = await ensureDemoProject(options.userDataDir, options.demoSource ?? defaultDemoSource, { db: dbOptions, annotator });
      } finally {
        busy = null;
        // The open project's indexing stopped meanwhile; it goes on if the demo cannot be built.
        searchIndexing.kick();
      }
      if (assist.running) await assist.stop();
      return summarize(replaceProject(path, true, (readOnly) => Project.open(path, { ...dbOptions, readOnly })));
    },
    'project:close': async () => {
      notBusy();
      if (assist.running) await assist.stop();
      if (trainingBusy()) throw new StudioError('busy', 'A model is training; cancel it before closing the project.');
      const closed = project !== null;
      closeProject();
      return { closed };
    },
    'project:summary': () => summarize(requireProject()),
    'import:preview': (r) => previewFile(r.path, r.read ?? {}, r.sampleRows ?? 2000),
    'import:run': async (r) => {
      // Only awaited when there is something to stop: otherwise the import holds the project
      // before any other request can slip in.
      if (assist.running) await assist.stop();
      const p = requireWritable();
      // The import's transaction stays open across awaits; the trainer's records must not land in it.
      if (trainingBusy()) throw new StudioError('busy', 'A model is training; import when it has finished, or cancel it.');
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
        // Indexing stopped while the import held the project; a failed or cancelled one too.
        searchIndexing.kick();
      }
    },
    'import:cancel': () => {
      if (!busy) return { cancelled: false };
      busy.abort.abort();
      return { cancelled: true };
    },
    'data:export': (r) => exportLabelledData(requireProject(), r),
    'train:start': async (r) => {
      if (assist.running) await assist.stop(); // the analyst's run comes first
      const p = requireWritable();
      if (studies.running) throw new StudioError('busy', `${studies.describe()}; cancel it or wait for it to finish.`);
      return training.start(p, r);
    },
    // The Train screen has one Cancel: during a study it stops the study too.
    'train:cancel': () => ({ cancelled: studies.cancel() || training.cancel() }),
    'train:dataProfile': () => profileLabelledData(requireProject().db),
    'train:status': () => ({ ...training.status(), study: project ? studies.current() : null }),
    ...labelling,
    ...history,
    ...analysis,
  };

  return {
    get project() {
      return project;
    },
    get activity() {
      if (busy) return 'import';
      return trainingBusy() ? 'training' : null;
    },
    get view() {
      return view;
    },
    async invoke<C extends Channel>(name: C | (string & {}), payload: unknown): Promise<InvokeResult<C>> {
      const checked = checkRequest<C>(name, payload);
      if (!checked.ok) return checked;
      const { channel, request } = checked;
      try {
        const handler = handlers[channel] as (r: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
        return { ok: true, value: await handler(request) };
      } catch (error) {
        return { ok: false, error: toErrorData(storageFailure(error, project?.path ?? null) ?? error) };
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
      explainer.dispose();
      const assistStopped = assist.stop();
      predictions.dispose();
      await studies.dispose();
      await training.dispose();
      await assistStopped.catch(() => {});
      searchIndexing.dispose();
      closeProject();
      listeners.clear();
    },
  };
}
