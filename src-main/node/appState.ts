/**
 * The app's own small memory: recent projects and settings, in `<userData>/app-state.json`.
 * Without a folder (the CLI, most tests) it lives in memory only.
 *
 * Every change re-reads the file first: each window has its own service (and store) in the one
 * main process, and both must see what the other recorded. Writes go to a temp file that is then
 * renamed over the old one, so a crash mid-write leaves the previous file, never half of one. A
 * file that cannot be read is moved aside (`app-state.json.corrupt`) and reported once; the app
 * carries on with defaults rather than refusing to start.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import {
  appSettingsSchema,
  defaultAppSettings,
  maxRecentProjects,
  type AppSettings,
  type RecentProject,
} from '../common/appSettings';

const stateFileName = 'app-state.json';

const recentEntrySchema = z.object({
  path: z.string().min(1),
  name: z.string(),
  lastOpened: z.string(),
  items: z.number().int().nonnegative().nullable().default(null),
  labelled: z.number().int().nonnegative().nullable().default(null),
});
type RecentEntry = z.output<typeof recentEntrySchema>;

const stateSchema = z.object({
  version: z.literal(1),
  recent: z.array(recentEntrySchema).default([]),
  settings: appSettingsSchema.default(defaultAppSettings),
});
type StoredState = z.output<typeof stateSchema>;

const emptyState = (): StoredState => ({ version: 1, recent: [], settings: { ...defaultAppSettings } });

export interface RecordedProject {
  path: string;
  name: string;
  items?: number;
  labelled?: number;
}

export interface AppStateStore {
  /** Where the state lives; null when in memory. */
  readonly folder: string | null;
  recent(): RecentProject[];
  /** Puts the project first in the list (opening or creating it). */
  recordOpened(project: RecordedProject): RecentProject[];
  /** Refreshes the counts of a listed project without moving it. */
  updateCounts(project: RecordedProject): void;
  forget(path: string): RecentProject[];
  settings(): AppSettings;
  updateSettings(changes: Partial<AppSettings>): AppSettings;
  /** A problem met reading the file (reported once, then null). */
  takeProblem(): string | null;
}

export function createAppStateStore(folder?: string | null, now: () => Date = () => new Date()): AppStateStore {
  const file = folder ? join(folder, stateFileName) : null;
  let memory = emptyState();
  let problem: string | null = null;

  function read(): StoredState {
    if (!file || !existsSync(file)) return memory;
    let parsed: StoredState;
    try {
      parsed = stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      setAside(error);
      return memory;
    }
    memory = parsed;
    return parsed;
  }

  function setAside(error: unknown): void {
    const reason = error instanceof z.ZodError ? 'it is not in the expected format' : (error as Error).message;
    const backup = `${file}.corrupt`;
    try {
      renameSync(file!, backup);
      problem = `The list of recent projects and settings could not be read (${reason}) and was reset. The old file was kept as ${backup}.`;
    } catch {
      problem = `The list of recent projects and settings could not be read (${reason}) and was reset.`;
    }
    memory = emptyState();
  }

  function write(next: StoredState): void {
    memory = next;
    if (!file) return;
    try {
      mkdirSync(folder!, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(next, null, 2));
      renameSync(temp, file);
    } catch (error) {
      // Losing the recent list is not worth stopping the analyst's work: keep it in memory.
      problem = `Your recent projects and settings could not be saved: ${(error as Error).message}`;
    }
  }

  const view = (entry: RecentEntry): RecentProject => ({ ...entry, exists: existsSync(entry.path) });
  const samePath = (a: string, b: string): boolean => resolve(a) === resolve(b);

  return {
    folder: folder ?? null,
    recent: () => read().recent.map(view),
    recordOpened(project) {
      const state = read();
      const entry: RecentEntry = {
        path: resolve(project.path),
        name: project.name,
        lastOpened: now().toISOString(),
        items: project.items ?? null,
        labelled: project.labelled ?? null,
      };
      const others = state.recent.filter((r) => !samePath(r.path, project.path));
      const recent = [entry, ...others].slice(0, maxRecentProjects);
      write({ ...state, recent });
      return recent.map(view);
    },
    updateCounts(project) {
      const state = read();
      const found = state.recent.find((r) => samePath(r.path, project.path));
      if (!found) return;
      const updated = { ...found, name: project.name, items: project.items ?? found.items, labelled: project.labelled ?? found.labelled };
      write({ ...state, recent: state.recent.map((r) => (r === found ? updated : r)) });
    },
    forget(path) {
      const state = read();
      const recent = state.recent.filter((r) => !samePath(r.path, path));
      write({ ...state, recent });
      return recent.map(view);
    },
    settings: () => ({ ...read().settings }),
    updateSettings(changes) {
      const state = read();
      const settings = appSettingsSchema.parse({ ...state.settings, ...changes });
      write({ ...state, settings });
      return { ...settings };
    },
    takeProblem() {
      const taken = problem;
      problem = null;
      return taken;
    },
  };
}
