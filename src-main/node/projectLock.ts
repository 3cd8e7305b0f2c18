/**
 * Who has a project file open for writing. SQLite would let two writers take turns, but two
 * windows each holding their own idea of the label history, the undo stack and the running
 * training would still corrupt the project's meaning. So the first writer takes a lock file
 * beside the project (`<file>-lock`, created exclusively), and a second open of the same file,
 * from this process (another window) or another one, opens read-only and says who holds it.
 *
 * A lock is stale, and taken over, when its process is gone (same host; SQLite files on network
 * shares are not supported by SQLite's own locking either) or the lock file is unreadable.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { processIsAlive } from './db/runs';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface ProjectLock {
  readonly path: string;
  release(): void;
}

export type LockResult = { acquired: true; lock: ProjectLock } | { acquired: false; owner: LockOwner };

/** Locks this process holds, by resolved project path: two windows share one process id. */
const heldHere = new Map<string, LockOwner>();

export const lockFileFor = (projectPath: string): string => `${resolve(projectPath)}-lock`;

function readOwner(lockFile: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, since: typeof parsed.since === 'string' ? parsed.since : '' };
  } catch {
    return null;
  }
}

function isStale(owner: LockOwner | null): boolean {
  if (!owner) return true;
  if (owner.host !== hostname()) return false;
  // Our own pid, but not held by a window of ours: left behind by a crash of an earlier process
  // that had the same pid.
  if (owner.pid === process.pid) return true;
  return !processIsAlive(owner.pid);
}

function tryCreate(lockFile: string, owner: LockOwner): boolean {
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
  const key = resolve(projectPath);
  const mine = heldHere.get(key);
  if (mine) return { acquired: false, owner: mine };

  const lockFile = lockFileFor(projectPath);
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: now().toISOString() };
  let onDisk = true;
  try {
    if (!tryCreate(lockFile, owner)) {
      const existing = readOwner(lockFile);
      if (!isStale(existing)) return { acquired: false, owner: existing! };
      rmSync(lockFile, { force: true });
      // Another process may have taken it over between our check and now: exclusive create decides.
      if (!tryCreate(lockFile, owner)) {
        const winner = readOwner(lockFile);
        if (winner) return { acquired: false, owner: winner };
        return { acquired: false, owner };
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
        const current = readOwner(lockFile);
        if (current && current.pid === owner.pid && current.since === owner.since) rmSync(lockFile, { force: true });
      },
    },
  };
}
