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
 * Arguments after `npm start --` go to Electron (e.g. `npm start -- --no-sandbox` as root).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { platform as osPlatform } from 'node:os';
import { join, relative } from 'node:path';
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

class StartError extends Error {}

function say(line) {
  process.stderr.write(`Sentiment Studio: ${line}\n`);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Runs a command with its output captured (shown only if asked), killing its whole process group
 * after `timeoutMs`.
 */
function run(command, args, { timeoutMs, notice, cwd = root, env = process.env }) {
  return new Promise((resolve) => {
    const output = [];
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    const noticeTimer = notice ? setTimeout(() => say(notice), noticeAfterMs) : undefined;
    const killTimer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    }, timeoutMs);
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    const finish = (ok, extra = '') => {
      clearTimeout(noticeTimer);
      clearTimeout(killTimer);
      resolve({ ok: ok && !timedOut, timedOut, output: Buffer.concat(output).toString('utf8') + extra });
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

function locateElectron() {
  const pathFile = join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : electronExecutableName();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  return override
    ? { path: join(override, executable), override: true }
    : { path: join(electronDir, 'dist', executable), override: false };
}

async function ensureElectron(version) {
  const found = locateElectron();
  if (existsSync(found.path)) return found.path;
  if (found.override) {
    throw new StartError(`ELECTRON_OVERRIDE_DIST_PATH is set, but ${found.path} does not exist.`);
  }
  const download = await run(process.execPath, [join(electronDir, 'install.js')], {
    timeoutMs: downloadTimeoutMs,
    notice: `downloading Electron ${version} (first start only)…`,
  });
  const installed = locateElectron();
  if (download.ok && existsSync(installed.path)) return installed.path;
  if (process.env.SENTIMENT_STUDIO_VERBOSE) process.stderr.write(download.output);
  const why = download.timedOut ? ' (the download timed out)' : ' (no internet?)';
  throw new StartError(
    `the Electron binary is not installed and could not be downloaded${why}. ` +
      'Connect and run "npm start" again, or set ELECTRON_OVERRIDE_DIST_PATH to an Electron build.',
  );
}

// ---- 2. better-sqlite3 for Electron's ABI --------------------------------------------------

/** Size and time of the Node build of better-sqlite3, which the Electron rebuild must not touch. */
function nodeBuildStamp() {
  try {
    const { size, mtimeMs } = statSync(join(modules, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    return `${size}:${mtimeMs}`;
  } catch {
    return 'missing';
  }
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

  const nodeBuildBefore = nodeBuildStamp();
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
  if (nodeBuildStamp() !== nodeBuildBefore) {
    throw new StartError('the rebuild touched node_modules/better-sqlite3; run "npm rebuild better-sqlite3" to restore it for the tests.');
  }
  const log = join(nativeDir, 'rebuild.log');
  writeFileSync(log, rebuild.output);
  if (rebuild.ok && existsSync(binding)) {
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
  if (!existsSync(join(electronDir, 'package.json'))) {
    throw new StartError('the electron package is missing from node_modules; run "npm install" first.');
  }
  const electronVersion = readJson(join(electronDir, 'package.json')).version;
  const electronPath = await ensureElectron(electronVersion);
  const sqliteBinding = await ensureSqliteForElectron(electronVersion);
  await build();
  launch(electronPath, sqliteBinding);
}

main().catch((error) => {
  say(error instanceof StartError ? error.message : `could not start: ${error?.message ?? error}`);
  process.exit(1);
});
