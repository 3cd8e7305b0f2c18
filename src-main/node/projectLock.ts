/**
 * Who has a project file open for writing. SQLite would let two writers take turns, but two
 * windows each holding their own idea of the label history, the undo stack and the running
 * training would still corrupt the project's meaning. So the first writer takes a lock file
 * beside the project (`<file>-lock`, created exclusively), and a second open of the same file,
 * from this process (another window) or another one, opens read-only and says who holds it.
 *
 * A lock is stale, and taken over, when its process is gone (same host; SQLite files on network
 * shares are not supported by SQLite's own locking either) or the lock file is unreadable.
 *
 * Both the lock file and this process's record of its locks are keyed on the file's real path:
 * a symlink, or another spelling of the name on a case-insensitive disk, is the same project.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { processIsAlive } from './db/runs';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface ProjectLock {
  /** The project's real path (see projectLockKey). */
  readonly path: string;
  release(): void;
}

export type LockResult = { acquired: true; lock: ProjectLock } | { acquired: false; owner: LockOwner };

/** What the lock file holds: the owner, and a token that tells this lock from any other. */
interface LockRecord extends LockOwner {
  token: string;
}

/** Locks this process holds, by real project path: two windows share one process id. */
const heldHere = new Map<string, LockRecord>();

/**
 * The real path of a project file, or of the file it would be once created (the real folder and
 * the name as given). realpathSync.native, unlike the JS realpathSync, also returns the name's
 * case as stored on case-insensitive disks.
 */
export function projectLockKey(projectPath: string): string {
  const absolute = resolve(projectPath);
  try {
    return realpathSync.native(absolute);
  } catch {
    try {
      return join(realpathSync.native(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

export const lockFileFor = (projectPath: string): string => `${projectLockKey(projectPath)}-lock`;

const ownerOf = ({ pid, host, since }: LockRecord): LockOwner => ({ pid, host, since });

function readRecord(lockFile: string): LockRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockRecord>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return {
      pid: parsed.pid,
      host: parsed.host,
      since: typeof parsed.since === 'string' ? parsed.since : '',
      token: typeof parsed.token === 'string' ? parsed.token : '',
    };
  } catch {
    return null;
  }
}

function heldByThisProcess(record: LockRecord): boolean {
  if (!record.token) return false;
  for (const held of heldHere.values()) if (held.token === record.token) return true;
  return false;
}

function isStale(record: LockRecord | null): boolean {
  if (!record) return true;
  if (record.host !== hostname()) return false;
  // Our own pid is live only if one of our windows holds this very lock (a path spelled another
  // way can reach it); otherwise a crashed earlier process with the same pid left it behind.
  if (record.pid === process.pid) return !heldByThisProcess(record);
  return !processIsAlive(record.pid);
}

function tryCreate(lockFile: string, owner: LockRecord): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the write lock on a project file, or says who holds it. A folder where no lock file can
 * be written (read-only media) gives a lock that guards this process only: the project open
 * itself will say whether writing is possible.
 */
export function acquireProjectLock(projectPath: string, now: () => Date = () => new Date()): LockResult {
  const key = projectLockKey(projectPath);
  const mine = heldHere.get(key);
  if (mine) return { acquired: false, owner: ownerOf(mine) };

  const lockFile = `${key}-lock`;
  const owner: LockRecord = { pid: process.pid, host: hostname(), since: now().toISOString(), token: randomUUID() };
  let onDisk = true;
  try {
    if (!tryCreate(lockFile, owner)) {
      const existing = readRecord(lockFile);
      if (!isStale(existing)) return { acquired: false, owner: ownerOf(existing!) };
      rmSync(lockFile, { force: true });
      // Another process may have taken it over between our check and now: exclusive create decides.
      if (!tryCreate(lockFile, owner)) {
        const winner = readRecord(lockFile);
        return { acquired: false, owner: ownerOf(winner ?? owner) };
      }
    }
  } catch {
    onDisk = false;
  }

  heldHere.set(key, owner);
  let released = false;
  return {
    acquired: true,
    lock: {
      path: key,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(key);
        if (!onDisk) return;
        // Only remove a lock that is still ours (never one a later owner took over).
        if (readRecord(lockFile)?.token === owner.token) rmSync(lockFile, { force: true });
      },
    },
  };
}

/** Why a writable open came back read-only, and what the analyst can do about it. */
export function heldElsewhereMessage(projectPath: string, owner: LockOwner): string {
  const since = owner.since ? `, since ${owner.since}` : '';
  if (owner.pid === process.pid && owner.host === hostname()) {
    return `${projectPath} is open for changes in another window of this app${since}, so it is read-only here. Close it there, then open it again here.`;
  }
  return (
    `${projectPath} is open for changes in another Sentiment Studio (process ${owner.pid} on ${owner.host}${since}), so it is read-only here. ` +
    `Close it there, then open it again; if that program is no longer running, delete ${lockFileFor(projectPath)} and open the project again.`
  );
}
