#!/usr/bin/env node
/**
 * `npm start`: get everything the desktop app needs, build it, run it.
 *
 * 1. The Electron binary. Found the way electron's own index.js finds it, but without requiring
 *    'electron' (that starts a download with a stack trace when it fails). Missing: one download
 *    attempt through electron's install.js.
 * 2. better-sqlite3 for Electron's ABI. `npm test` runs in plain Node and needs the Node build in
 *    node_modules untouched, so Electron gets its own copy in .electron-native/, rebuilt only when
 *    the Electron or better-sqlite3 version changes. The app receives the .node path in
 *    SENTIMENT_STUDIO_SQLITE_BINDING (better-sqlite3's `nativeBinding` option).
 * 3. `electron-vite build` (a few seconds), then Electron on the project root.
 *
 * Every failure ends with one line on stderr saying what to do, never a stack trace.
 * Ctrl-C (or SIGTERM/SIGHUP) while preparing stops the running tool and removes what it left
 * half-done, so the next start begins clean.
 * Arguments after `npm start --` go to Electron (e.g. `npm start -- --no-sandbox` as root).
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { constants as osConstants, platform as osPlatform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const modules = join(root, 'node_modules');
const electronDir = join(modules, 'electron');
const nativeDir = join(root, '.electron-native');

const minutes = 60_000;
/** Generous: the binary is ~100 MB. Offline, the download fails within a second here. */
const downloadTimeoutMs = 10 * minutes;
/** A prebuilt binary downloads in seconds; compiling SQLite from source takes a few minutes. */
const rebuildTimeoutMs = 15 * minutes;
/** Long steps announce themselves only when they are slow, so a quick failure stays one line. */
const noticeAfterMs = 2_000;
/** How long a stopped tool gets to exit on its own before its whole process group is killed. */
const stopGraceMs = 5_000;
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'];

class StartError extends Error {}
/** Preparation was interrupted by a signal; the message says what was cleaned up. */
class Stopped extends Error {}

function say(line) {
  process.stderr.write(`Sentiment Studio: ${line}\n`);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// ---- child processes and signals ---------------------------------------------------------

/**
 * Tools (download, compiler, bundler) run detached, each leading its own process group, so that a
 * timeout can stop the whole tree (node-gyp -> make -> c++). A detached group does not get the
 * terminal's Ctrl-C, though: without passing the signal on, an interrupted rebuild would keep
 * compiling into .electron-native after this script had exited.
 */
const runningTools = new Set();
/** The first stop signal received while preparing; no further tool starts once it is set. */
let stopSignal;

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Asks a tool's group to stop and kills the group if it is still there after stopGraceMs. */
function stopTool(child, signal) {
  signalGroup(child, signal);
  const killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), stopGraceMs);
  child.once('close', () => clearTimeout(killTimer));
}

function onStopSignal(signal) {
  if (stopSignal) {
    // Asked twice: the user is not waiting for a tidy stop.
    for (const child of runningTools) signalGroup(child, 'SIGKILL');
    return;
  }
  stopSignal = signal;
  for (const child of runningTools) stopTool(child, signal);
}

/**
 * Runs a command with its output captured (shown only if asked), stopping its whole process group
 * after `timeoutMs` or when this script gets a stop signal. Resolves once the group's output has
 * closed, so nothing of it is still writing when the caller cleans up.
 */
function run(command, args, { timeoutMs, notice, cwd = root, env = process.env }) {
  if (stopSignal) return Promise.resolve({ ok: false, timedOut: false, stopped: true, output: '' });
  return new Promise((resolve) => {
    const output = [];
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    runningTools.add(child);
    let timedOut = false;
    const noticeTimer = notice ? setTimeout(() => say(notice), noticeAfterMs) : undefined;
    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      stopTool(child, 'SIGTERM');
    }, timeoutMs);
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    let settled = false;
    const finish = (ok, extra = '') => {
      if (settled) return;
      settled = true;
      runningTools.delete(child);
      clearTimeout(noticeTimer);
      clearTimeout(timeoutTimer);
      const stopped = stopSignal !== undefined;
      resolve({ ok: ok && !timedOut && !stopped, timedOut, stopped, output: Buffer.concat(output).toString('utf8') + extra });
    };
    child.on('error', (error) => finish(false, `\n${error.message}\n`));
    child.on('close', (code) => finish(code === 0));
  });
}

// ---- 1. the Electron binary ------------------------------------------------------------------

/** Same table as electron's install.js. */
function electronExecutableName() {
  switch (process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || osPlatform()) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/**
 * Where the Electron binary is, or `path: undefined` if it is not fully installed. Like install.js,
 * a download counts only once dist/version matches and path.txt exists: install.js writes
 * path.txt last, so without it the binary in dist/ may be half-extracted.
 */
function locateElectron(version) {
  const pathFile = join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return { path: join(override, executable ?? electronExecutableName()), override: true };
  const versionFile = join(electronDir, 'dist', 'version');
  const distVersion = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim().replace(/^v/, '') : undefined;
  const path = executable && distVersion === version ? join(electronDir, 'dist', executable) : undefined;
  return { path: path && existsSync(path) ? path : undefined, override: false };
}

async function ensureElectron(version) {
  const found = locateElectron(version);
  if (found.override) {
    if (existsSync(found.path)) return found.path;
    throw new StartError(`ELECTRON_OVERRIDE_DIST_PATH is set, but ${found.path} does not exist.`);
  }
  if (found.path) return found.path;
  const download = await run(process.execPath, [join(electronDir, 'install.js')], {
    timeoutMs: downloadTimeoutMs,
    notice: `downloading Electron ${version} (first start only)…`,
  });
  const installed = locateElectron(version).path;
  if (download.ok && installed) return installed;
  if (download.stopped) {
    if (installed) throw new Stopped('stopped; Electron had finished downloading and is kept.');
    rmSync(join(electronDir, 'dist'), { recursive: true, force: true });
    rmSync(join(electronDir, 'path.txt'), { force: true });
    throw new Stopped('stopped; the unfinished Electron download was removed.');
  }
  if (process.env.SENTIMENT_STUDIO_VERBOSE) process.stderr.write(download.output);
  const why = download.timedOut ? ' (the download timed out)' : ' (no internet?)';
  throw new StartError(
    `the Electron binary is not installed and could not be downloaded${why}. ` +
      'Connect and run "npm start" again, or set ELECTRON_OVERRIDE_DIST_PATH to an Electron build.',
  );
}

// ---- 2. better-sqlite3 for Electron's ABI --------------------------------------------------

/** The Node build of better-sqlite3: `npm test` runs in plain Node and loads this one. */
const nodeBuildPath = join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

function backUpNodeBuild() {
  if (!existsSync(nodeBuildPath)) return undefined;
  const { mode, atimeMs, mtimeMs } = statSync(nodeBuildPath);
  return { bytes: readFileSync(nodeBuildPath), mode, atimeMs, mtimeMs };
}

/** Puts the Node build back exactly as backed up (bytes, mode, times); true if it had changed. */
function restoreNodeBuild(backup) {
  const current = existsSync(nodeBuildPath) ? readFileSync(nodeBuildPath) : undefined;
  if (!backup) {
    if (!current) return false;
    rmSync(nodeBuildPath, { force: true });
    return true;
  }
  if (current?.equals(backup.bytes)) return false;
  // Replaced by rename, not rewritten in place: a test run may have the old file mapped.
  const restoring = `${nodeBuildPath}.restoring`;
  mkdirSync(dirname(nodeBuildPath), { recursive: true });
  writeFileSync(restoring, backup.bytes);
  chmodSync(restoring, backup.mode);
  utimesSync(restoring, backup.atimeMs / 1000, backup.mtimeMs / 1000);
  renameSync(restoring, nodeBuildPath);
  return true;
}

async function ensureSqliteForElectron(electronVersion) {
  const sqliteVersion = readJson(join(modules, 'better-sqlite3', 'package.json')).version;
  const moduleDir = join(nativeDir, 'node_modules', 'better-sqlite3');
  const binding = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  const stampFile = join(nativeDir, 'stamp.json');
  const wanted = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch };

  const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  if (existsSync(binding) && stamp === JSON.stringify(wanted)) return binding;

  rmSync(nativeDir, { recursive: true, force: true });
  mkdirSync(moduleDir, { recursive: true });
  writeFileSync(
    join(nativeDir, 'package.json'),
    JSON.stringify({ name: 'sentiment-studio-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }),
  );
  // @electron/rebuild rebuilds every copy of the module between its build path and the project
  // root, which it finds by the nearest lockfile: without this one it would climb to the repo and
  // rebuild the Node copy in node_modules too, breaking `npm test`.
  writeFileSync(join(nativeDir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, requires: true, packages: {} }));
  // The copy resolves its own dependencies (prebuild-install, bindings) from the project's
  // node_modules one level up; the Node build in node_modules is left alone.
  cpSync(join(modules, 'better-sqlite3'), moduleDir, {
    recursive: true,
    filter: (source) => relative(join(modules, 'better-sqlite3'), source) !== 'build',
  });

  const nodeBuild = backUpNodeBuild();
  const rebuild = await run(
    process.execPath,
    [
      join(modules, '@electron', 'rebuild', 'lib', 'cli.js'),
      '--version', electronVersion,
      '--module-dir', nativeDir,
      '--only', 'better-sqlite3',
      '--electron-prebuilt-dir', electronDir,
      '--force',
    ],
    {
      cwd: nativeDir,
      timeoutMs: rebuildTimeoutMs,
      notice: `building better-sqlite3 for Electron ${electronVersion} (first start only)…`,
    },
  );
  try {
    if (restoreNodeBuild(nodeBuild)) {
      say('the Electron rebuild had changed node_modules/better-sqlite3 (the build "npm test" uses); it is restored.');
    }
  } catch (error) {
    throw new StartError(
      `the Electron rebuild changed node_modules/better-sqlite3 and restoring it failed (${error.message}); ` +
        'run "npm rebuild better-sqlite3" before "npm test".',
    );
  }
  if (rebuild.stopped) {
    // No stamp was written, so this would be rebuilt anyway; removing it leaves nothing half-built.
    rmSync(nativeDir, { recursive: true, force: true });
    throw new Stopped('stopped; the unfinished better-sqlite3 build for Electron was removed.');
  }
  const log = join(nativeDir, 'rebuild.log');
  writeFileSync(log, rebuild.output);
  if (rebuild.ok && existsSync(binding)) {
    // Written last and only here: a build without it is never taken for a finished one.
    writeFileSync(stampFile, JSON.stringify(wanted));
    return binding;
  }
  throw new StartError(
    `could not build better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}` +
      (rebuild.timedOut ? ' (timed out)' : '') +
      ': it needs internet (a prebuilt binary or the Electron headers) and, without a prebuilt, a C++ toolchain. ' +
      `Details: ${relative(root, log)}`,
  );
}

// ---- 3. build and launch -----------------------------------------------------------------

async function build() {
  const result = await run(process.execPath, [join(modules, 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    timeoutMs: 5 * minutes,
  });
  if (result.stopped) throw new Stopped('stopped.');
  if (!result.ok) {
    process.stderr.write(result.output);
    throw new StartError('the build failed (see above); fix it and run "npm start" again.');
  }
}

function launch(electronPath, sqliteBinding) {
  const env = { ...process.env, SENTIMENT_STUDIO_SQLITE_BINDING: sqliteBinding };
  // Inherited from some shells and tools; it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electronPath, [root, ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    say(`Electron could not be started: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  for (const signal of stopSignals) process.on(signal, onStopSignal);
  if (!existsSync(join(electronDir, 'package.json'))) {
    throw new StartError('the electron package is missing from node_modules; run "npm install" first.');
  }
  const electronVersion = readJson(join(electronDir, 'package.json')).version;
  const electronPath = await ensureElectron(electronVersion);
  const sqliteBinding = await ensureSqliteForElectron(electronVersion);
  await build();
  if (stopSignal) throw new Stopped('stopped.');
  // From here on Electron is in charge of signals (it quits cleanly on SIGINT/SIGTERM).
  for (const signal of stopSignals) process.off(signal, onStopSignal);
  launch(electronPath, sqliteBinding);
}

main().catch((error) => {
  if (stopSignal) {
    say(error instanceof Stopped ? error.message : 'stopped.');
    // Die of the signal, as an uninterrupted tool would, so a calling shell or script stops too.
    for (const signal of stopSignals) process.off(signal, onStopSignal);
    process.kill(process.pid, stopSignal);
    process.exit(128 + (osConstants.signals[stopSignal] ?? 1));
  }
  say(error instanceof StartError ? error.message : `could not start: ${error?.message ?? error}`);
  process.exit(1);
});
