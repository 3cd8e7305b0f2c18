/**
 * Opening and creating project files: one SQLite file per project, WAL, foreign keys on,
 * migrations applied in one transaction, and clear refusals for files we must not touch.
 */
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StudioError } from '../../common/errors';
import type { LabelDef } from '../../common/labels';
import { latestSchemaVersion, migrations, type Migration } from './migrations';

export type Db = Database.Database;

/** 'SStd' — marks the file as ours in the SQLite header (PRAGMA application_id). */
export const applicationId = 0x53537464;

export interface OpenOptions {
  readOnly?: boolean;
  /** Path of a better-sqlite3 binary built for another ABI (Electron); plain Node uses its own. */
  nativeBinding?: string;
  /** Migrations to apply; tests pass a longer list to exercise upgrades. */
  migrations?: Migration[];
}

export interface NewProject {
  name: string;
  labels: LabelDef[];
  splitSeed?: number;
  /** Shares of train / validation / test for automatic assignment (default 0.8 / 0.1 / 0.1). */
  splitFractions?: { train: number; validation: number; test: number };
}

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1');

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const n = readSync(fd, header, 0, 16, 0);
    return header.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Why this process cannot change the project at `path`, for the analyst, or null when it can.
 * Checked before opening: SQLite would open such a file read-write and fail at the first write,
 * or (in a read-only folder, where the WAL's shared-memory file cannot be made) at the first read.
 * access() answers for this process's user, so root is told the truth too (it can write a 0555
 * folder; a read-only mount refuses everyone).
 */
export function readOnlyReason(path: string): string | null {
  const folder = dirname(path);
  const copy = 'To make changes, copy the project to a folder you can write to and open the copy.';
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `${path} is in a folder this app cannot write to (${folder}), so it is open read-only: you can look at it and export from it, but not change it. ${copy}`;
  }
  try {
    accessSync(path, constants.W_OK);
  } catch {
    return `${path} is a read-only file, so it is open read-only: you can look at it and export from it, but not change it. Make the file writable, or: ${copy}`;
  }
  return null;
}

/** SQLite's answers when a WAL file's -shm index cannot be created beside it. */
const cannotIndexWal = new Set(['SQLITE_READONLY_DIRECTORY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_CANTLOCK']);

/**
 * A read-only project in a folder where SQLite cannot create the WAL index (-shm) cannot be read
 * in place; SQLite's way round that (the `immutable` URI flag) needs URI file names, which
 * better-sqlite3 enables only process-wide from an environment variable. So the file is read into
 * memory instead, marked as a rollback-journal file (header bytes 18 and 19: 2 is WAL), which
 * costs its size in memory for as long as it is open.
 */
function inMemoryCopy(path: string, options: OpenOptions): Db {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new StudioError(
      'read-only',
      `${path} has changes in ${basename(wal)} that were never merged into it, and its folder is read-only, so they cannot be read. ` +
        'Open it once where its folder is writable (copy the project together with that file), then open it here again.',
    );
  }
  const bytes = readFileSync(path);
  bytes[18] = 1;
  bytes[19] = 1;
  const dbOptions: Database.Options = { readonly: true };
  if (options.nativeBinding) dbOptions.nativeBinding = options.nativeBinding;
  return new Database(bytes, dbOptions);
}

function connect(path: string, options: OpenOptions): Db {
  const dbOptions: Database.Options = { fileMustExist: true, readonly: options.readOnly ?? false };
  if (options.nativeBinding) dbOptions.nativeBinding = options.nativeBinding;
  let db = new Database(path, dbOptions);
  if (options.readOnly) {
    try {
      db.pragma('schema_version');
    } catch (error) {
      db.close();
      const code = (error as { code?: string }).code ?? '';
      if (!cannotIndexWal.has(code) || readOnlyReason(path) === null) throw error;
      db = inMemoryCopy(path, options);
    }
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // 64 MB of page cache: imports insert into a random-order hash index that thrashes the 2 MB default.
  db.pragma('cache_size = -65536');
  if (!options.readOnly) {
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL survives a killed process (only an OS crash can lose the last commits).
    db.pragma('synchronous = NORMAL');
  }
  return db;
}

function migrate(db: Db, path: string, list: Migration[], readOnly: boolean): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list[list.length - 1]!.version;
  if (current > latest) {
    throw new StudioError(
      'project-newer',
      `${path} was saved by a newer Sentiment Studio (project format ${current}; this version reads up to ${latest}). Update the app to open it.`,
    );
  }
  if (current === latest) return;
  if (readOnly) {
    throw new StudioError(
      'read-only',
      `${path} uses an older project format (${current}) that must be upgraded, which needs write access. Open it writable once.`,
    );
  }
  const pending = list.filter((m) => m.version > current);
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

/** Opens an existing project, migrating an older one. */
export function openProjectDb(path: string, options: OpenOptions = {}): Db {
  if (!existsSync(path)) throw new StudioError('not-found', `No project file at ${path}.`);
  if (statSync(path).isDirectory()) throw new StudioError('not-a-project', `${path} is a folder, not a project file.`);
  const header = readHeader(path);
  if (header.length < 16 || !header.equals(sqliteMagic)) {
    throw new StudioError('not-a-project', `${path} is not a Sentiment Studio project (not an SQLite file).`);
  }
  let db: Db;
  try {
    db = connect(path, options);
  } catch (error) {
    if (StudioError.is(error)) throw error;
    throw new StudioError('not-a-project', `${path} could not be opened: ${(error as Error).message}`, { cause: error });
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== applicationId) {
      throw new StudioError('not-a-project', `${path} is an SQLite file but not a Sentiment Studio project.`);
    }
    migrate(db, path, options.migrations ?? migrations, options.readOnly ?? false);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Creates a new project file; refuses to overwrite anything and leaves no file behind on failure. */
export function createProjectDb(path: string, project: NewProject, options: OpenOptions = {}): Db {
  if (existsSync(path)) throw new StudioError('invalid-input', `${path} already exists; choose another file name.`);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new StudioError('not-found', `The folder ${folder} does not exist; choose where to save the project.`);
  }
  const dbOptions: Database.Options = {};
  if (options.nativeBinding) dbOptions.nativeBinding = options.nativeBinding;
  let db: Db;
  try {
    db = new Database(path, dbOptions);
  } catch (error) {
    throw new StudioError('invalid-input', `Cannot create ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma(`application_id = ${applicationId}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    // Schema and settings in one transaction: a crash leaves an empty file, never half a project.
    db.transaction(() => {
      migrate(db, path, options.migrations ?? migrations, false);
      const now = new Date().toISOString();
      const setMeta = db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)');
      setMeta.run('name', project.name);
      setMeta.run('created_at', now);
      setMeta.run('split_seed', String(project.splitSeed ?? 42));
      setMeta.run('split_fractions', JSON.stringify(project.splitFractions ?? { train: 0.8, validation: 0.1, test: 0.1 }));
      const addLabel = db.prepare('INSERT INTO label_set(name, key, color, position) VALUES (?, ?, ?, ?)');
      project.labels.forEach((l, i) => addLabel.run(l.name, l.key, l.color, i));
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    throw StudioError.is(error)
      ? error
      : new StudioError('invalid-input', `Cannot create ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export { latestSchemaVersion };
