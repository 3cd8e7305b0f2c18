/**
 * A throwaway copy of the project for running scripts/start.mjs without Electron: the real script
 * next to fake tools in node_modules. Each fake reads what to do from an environment variable and
 * leaves traces (invocation counts, pids, "started" markers) in the project folder.
 *
 *   FAKE_DOWNLOAD  offline | ok | hang     node_modules/electron/install.js
 *   FAKE_REBUILD   ok | clobber | hang | stubborn | fail
 *                                          node_modules/@electron/rebuild/lib/cli.js
 *     clobber:  overwrites the Node build of better-sqlite3, as a rebuild gone wrong would
 *     hang:     clobbers too, then keeps writing into .electron-native from a grandchild
 *     stubborn: like hang, but the whole tree ignores SIGINT and SIGTERM
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const startScript = fileURLToPath(new URL('../../../scripts/start.mjs', import.meta.url));

export const electronVersion = '45.0.0-fake';
/** Stands in for the Node-ABI better-sqlite3 build that `npm test` needs. */
export const nodeBuildBytes = Buffer.from('node-abi build of better-sqlite3\n'.repeat(1000));

/**
 * Appends to <root>/calls.log, so a test can count how often each fake ran, and to pids.log, so
 * that `dispose` can kill whatever a failing test left running.
 */
const recordCall = `
const fs = require('node:fs');
const path = require('node:path');
const projectRoot = path.resolve(__dirname, process.env.FAKE_ROOT_FROM_HERE);
fs.appendFileSync(path.join(projectRoot, 'calls.log'), process.env.FAKE_NAME + '\\n');
fs.appendFileSync(path.join(projectRoot, 'pids.log'), process.pid + '\\n');
`;

const fakeElectronExecutable = `#!/bin/sh
printf '%s\\n' "$SENTIMENT_STUDIO_SQLITE_BINDING" "$@" > "$(dirname "$0")/launched.txt"
`;

const fakeInstall = `
process.env.FAKE_NAME = 'download';
process.env.FAKE_ROOT_FROM_HERE = '../..';
${recordCall}
const dist = path.join(__dirname, 'dist');
const mode = process.env.FAKE_DOWNLOAD || 'offline';
if (mode === 'offline') {
  console.error('RequestError: getaddrinfo EAI_AGAIN github.com\\n    at ClientRequest.<anonymous> (node_modules/got/index.js:1:1)');
  process.exit(1);
}
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(path.join(dist, 'version'), 'v${electronVersion}');
if (mode === 'ok') {
  fs.writeFileSync(path.join(dist, 'electron'), ${JSON.stringify(fakeElectronExecutable)}, { mode: 0o755 });
  fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
} else {
  // hang: half of the executable is extracted, path.txt (written last) is not.
  fs.writeFileSync(path.join(dist, 'electron'), '#!/bin/sh\\n# truncated');
  fs.writeFileSync(path.join(projectRoot, 'download-started'), '');
  setInterval(() => {}, 1000);
}
`;

/** Keeps writing into .electron-native, as a compiler left running would. */
const fakeCompiler = `
const fs = require('node:fs');
const path = require('node:path');
if (process.argv[3] === 'stubborn') for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => {});
setInterval(() => {
  fs.mkdirSync(path.join(process.argv[2], 'obj'), { recursive: true });
  fs.appendFileSync(path.join(process.argv[2], 'obj', 'sqlite3.o'), 'x');
}, 20);
`;

const fakeRebuild = `
process.env.FAKE_NAME = 'rebuild';
process.env.FAKE_ROOT_FROM_HERE = '../../../..';
${recordCall}
const { spawn } = require('node:child_process');
const mode = process.env.FAKE_REBUILD || 'ok';
const moduleDir = process.argv[process.argv.indexOf('--module-dir') + 1];
const nodeBuild = path.join(projectRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const binding = path.join(moduleDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
if (mode === 'fail') {
  console.error('gyp ERR! build error');
  process.exit(1);
}
if (mode !== 'ok') fs.writeFileSync(nodeBuild, 'electron-abi build');
if (mode === 'ok' || mode === 'clobber') {
  fs.mkdirSync(path.dirname(binding), { recursive: true });
  fs.writeFileSync(binding, 'electron-abi build');
  process.exit(0);
}
if (mode === 'stubborn') for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => {});
const compiler = spawn(process.execPath, ['-e', ${JSON.stringify(fakeCompiler)}, moduleDir, mode], { stdio: 'ignore' });
fs.writeFileSync(path.join(projectRoot, 'compiler.pid'), String(compiler.pid));
fs.appendFileSync(path.join(projectRoot, 'pids.log'), compiler.pid + '\\n');
fs.writeFileSync(path.join(projectRoot, 'rebuild-started'), '');
setInterval(() => {}, 1000);
`;

const fakeElectronVite = `
process.env.FAKE_NAME = 'build';
process.env.FAKE_ROOT_FROM_HERE = '../../..';
${recordCall}
`;

function write(path: string, text: string | Buffer, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (mode !== undefined) chmodSync(path, mode);
}

export interface StartResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

export interface FakeProject {
  root: string;
  nativeDir: string;
  nodeBuildPath: string;
  electronDir: string;
  /** A folder holding a fake Electron, for ELECTRON_OVERRIDE_DIST_PATH. */
  overrideDist: string;
  /** How often each fake ran so far. */
  calls(name: 'download' | 'rebuild' | 'build'): number;
  /** What the fake Electron was started with (the binding path first), if it was. */
  launched(distDir: string): string[] | undefined;
  /** Runs start.mjs; `whileRunning` gets the process to send signals to. */
  start(env: Record<string, string>, whileRunning?: (child: ChildProcess) => void): Promise<StartResult>;
  dispose(): void;
}

export function createFakeProject(): FakeProject {
  const root = mkdtempSync(join(tmpdir(), 'sstudio-start-'));
  const modules = join(root, 'node_modules');
  const electronDir = join(modules, 'electron');
  const nodeBuildPath = join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const overrideDist = join(root, 'electron-override');
  const commonjs = JSON.stringify({ type: 'commonjs' });

  write(join(root, 'scripts', 'start.mjs'), readFileSync(startScript));
  write(join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: electronVersion, type: 'commonjs' }));
  write(join(electronDir, 'install.js'), fakeInstall);
  write(join(modules, 'better-sqlite3', 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.0.0', type: 'commonjs' }));
  write(join(modules, 'better-sqlite3', 'lib', 'index.js'), 'module.exports = {};');
  write(nodeBuildPath, nodeBuildBytes, 0o755);
  write(join(modules, '@electron', 'rebuild', 'package.json'), commonjs);
  write(join(modules, '@electron', 'rebuild', 'lib', 'cli.js'), fakeRebuild);
  write(join(modules, 'electron-vite', 'package.json'), commonjs);
  write(join(modules, 'electron-vite', 'bin', 'electron-vite.js'), fakeElectronVite);
  write(join(overrideDist, 'electron'), fakeElectronExecutable, 0o755);

  return {
    root,
    nativeDir: join(root, '.electron-native'),
    nodeBuildPath,
    electronDir,
    overrideDist,
    calls(name) {
      const log = join(root, 'calls.log');
      return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line === name).length : 0;
    },
    launched(distDir) {
      const file = join(distDir, 'launched.txt');
      return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n') : undefined;
    },
    start(env, whileRunning) {
      const began = Date.now();
      const inherited = { ...process.env };
      delete inherited.ELECTRON_OVERRIDE_DIST_PATH;
      const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--fake-flag'], {
        cwd: root,
        env: { ...inherited, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const stderr: Buffer[] = [];
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      whileRunning?.(child);
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code, signal) =>
          resolve({ code, signal, stderr: Buffer.concat(stderr).toString('utf8'), ms: Date.now() - began }),
        );
      });
    },
    dispose() {
      const pids = join(root, 'pids.log');
      const leftovers = existsSync(pids) ? readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number) : [];
      for (const pid of leftovers.filter(isRunning)) process.kill(pid, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Resolves once `path` exists (a fake's "started" marker). */
export async function waitForFile(path: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a process is still running (a zombie left for init to reap does not count). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
