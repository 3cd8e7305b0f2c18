/**
 * Runs crashWorker.ts in a child process and kills it with SIGKILL at a chosen moment.
 *
 * The worker is bundled once per test file (esbuild, which tsx and vite both install) rather than
 * started through `--import tsx`: tsx resolves and transforms the handler map's ~200 modules on
 * every start (1.2 s each, measured), the bundle loads in 0.45 s, and 60 kills pay that 60 times.
 * Of those 0.45 s, 0.28 s is loading exceljs (and 0.06 s jszip), which only xlsx files and zip
 * exports use: the bundle replaces them with a stand-in that throws if anything calls it (0.22 s
 * of CPU per start then), so the handler map's own code is unchanged and a scenario that did need
 * them would fail loudly.
 * The bundle sits inside the repository so its bare imports (better-sqlite3, zod…) resolve to
 * node_modules as the Electron main bundle's do.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = join(import.meta.dirname, '../..');

export interface CrashWorker {
  script: string;
  cleanup(): void;
}

const unusedLibraries: Plugin = {
  name: 'unused-libraries',
  setup(b) {
    b.onResolve({ filter: /^(exceljs|jszip)$/ }, (args) => ({ path: args.path, namespace: 'unused' }));
    b.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      contents: `export default new Proxy({}, { get() { throw new Error('${args.path} is not loaded in the crash worker'); } });`,
      loader: 'js',
    }));
  },
};

/**
 * Lets every user pass through the folders above `path` (adds o+x where it is missing) and
 * returns how to undo it. A fresh clone inside a `mktemp -d` folder (0700) is otherwise out of
 * reach of the ordinary-user process that opens a project in a read-only folder.
 */
export function letEveryoneReach(path: string): () => void {
  const changed: { dir: string; mode: number }[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      changed.push({ dir, mode });
    }
    if (dirname(dir) === dir) break;
  }
  return () => {
    for (const { dir, mode } of changed.reverse()) chmodSync(dir, mode);
  };
}

export async function bundleCrashWorker(): Promise<CrashWorker> {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'crash-worker-'));
  // Readable by everyone: a test may run the worker as an ordinary user (see faultsProject.test.ts).
  chmodSync(dir, 0o755);
  const script = join(dir, 'crashWorker.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'crashWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: script,
    plugins: [unusedLibraries],
    logLevel: 'error',
  });
  return { script, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface KilledRun {
  /** Every complete line the worker printed before it died. */
  lines: string[];
  /** Milliseconds from the worker's start to the kill. */
  killedAtMs: number;
}

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

export interface WorkerProcess {
  readonly pid: number;
  /** The complete lines printed so far. */
  readonly lines: string[];
  /** The first line (printed already or still to come) that `match` accepts. */
  waitFor(match: (line: string) => boolean): Promise<string>;
  /** SIGKILL now; resolves once the process is gone and reaped (a zombie still holds its lock). */
  kill(): Promise<KilledRun>;
  /** Resolves when the process has ended, however it ended. */
  readonly ended: Promise<Ended>;
}

export interface StartOptions {
  /** Called with each line and the milliseconds since the start. */
  onLine?: (line: string, atMs: number) => void;
  /** Run as this user and group (root only): how a test sees what an ordinary user sees. */
  uid?: number;
  gid?: number;
}

export function startWorker(worker: CrashWorker, args: string[], options: StartOptions = {}): WorkerProcess {
  const started = performance.now();
  const child = spawn(process.execPath, [worker.script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], uid: options.uid, gid: options.gid });
  const lines: string[] = [];
  const waiting: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let pending = '';
  let stderr = '';
  let killedAtMs = -1;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      options.onLine?.(line, performance.now() - started);
      for (const w of waiting.splice(0)) (w.match(line) ? w.resolve(line) : waiting.push(w));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, lines, stderr }));
  });
  const describe = (e: Ended) => `the worker ended (code ${e.code}, signal ${e.signal}):\n${e.lines.slice(-5).join('\n')}\n${e.stderr}`;
  return {
    pid: child.pid!,
    lines,
    waitFor(match) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiting.push({ match, resolve })),
        ended.then((e) => Promise.reject(new Error(`waited for a line in vain; ${describe(e)}`))),
      ]);
    },
    async kill() {
      if (killedAtMs < 0 && child.exitCode === null && child.signalCode === null) {
        killedAtMs = performance.now() - started;
        child.kill('SIGKILL');
      }
      const e = await ended;
      if (e.signal !== 'SIGKILL' || killedAtMs < 0) throw new Error(`it was not killed: ${describe(e)}`);
      return { lines, killedAtMs };
    },
    ended,
  };
}

/**
 * When to kill: called with each line the worker prints and the milliseconds since it started;
 * a number (re)schedules the kill that many milliseconds from now, null leaves the plan as it is.
 */
export type KillPlan = (line: string, atMs: number) => number | null;

/** Starts the worker and SIGKILLs it when `plan` says; rejects if it ends by itself first. */
export function runAndKill(worker: CrashWorker, args: string[], plan: KillPlan): Promise<KilledRun> {
  let timer: NodeJS.Timeout | null = null;
  let killing: Promise<KilledRun> | null = null;
  let settle: (run: Promise<KilledRun>) => void = () => {};
  const result = new Promise<KilledRun>((resolve) => (settle = (run) => resolve(run)));
  const running = startWorker(worker, args, {
    onLine(line, atMs) {
      if (killing) return;
      const delay = plan(line, atMs);
      if (delay === null) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => settle((killing = running.kill())), Math.max(0, delay));
    },
  });
  void running.ended.then(
    () => {
      if (timer) clearTimeout(timer);
      if (!killing) settle(running.kill());
    },
    (error: unknown) => settle(Promise.reject(error)),
  );
  return result;
}

/** Runs `task(0…n-1)` with at most `concurrency` at a time, in order of index. */
export async function inTurns(n: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}
