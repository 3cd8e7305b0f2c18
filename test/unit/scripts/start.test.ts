/**
 * scripts/start.mjs (`npm start`) against fake tools: no Electron binary, no compiler, no network.
 * Covers what a Ctrl-C during the long first start must not leave behind (a compile still writing
 * into .electron-native, a half-extracted Electron, a changed Node build of better-sqlite3) and
 * that a half-built .electron-native is never taken for a finished one.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeProject, isRunning, nodeBuildBytes, waitForFile, type FakeProject, type StartResult } from './fakeProject';

const stopped = (result: StartResult, signal: NodeJS.Signals): boolean =>
  result.signal === signal || result.code === 128 + (signal === 'SIGINT' ? 2 : 15);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.platform === 'win32')('npm start (scripts/start.mjs)', () => {
  let project: FakeProject;
  let withElectron: Record<string, string>;

  beforeEach(() => {
    project = createFakeProject();
    withElectron = { ELECTRON_OVERRIDE_DIST_PATH: project.overrideDist };
  });
  afterEach(() => project.dispose());

  it('offline without Electron: one line on stderr, a non-zero exit, quickly', async () => {
    const result = await project.start({ FAKE_DOWNLOAD: 'offline' });
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^Sentiment Studio: the Electron binary is not installed and could not be downloaded/),
    ]);
    expect(result.ms).toBeLessThan(5_000);
  });

  it('builds better-sqlite3 once, then launches Electron with that binding and the extra arguments', async () => {
    const first = await project.start({ ...withElectron, FAKE_REBUILD: 'ok' });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const binding = join(project.nativeDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const [launchedBinding, appDir, ...args] = project.launched(project.overrideDist) ?? [];
    expect([launchedBinding, resolve(appDir ?? ''), args]).toEqual([binding, project.root, ['--fake-flag']]);
    expect(existsSync(join(project.nativeDir, 'stamp.json'))).toBe(true);

    await project.start({ ...withElectron, FAKE_REBUILD: 'fail' });
    expect(project.calls('rebuild')).toBe(1);
    expect(project.calls('build')).toBe(2);
  });

  it('rebuilds a .electron-native that has a binding but no stamp (an unfinished earlier build)', async () => {
    const binding = join(project.nativeDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(binding, '..'), { recursive: true });
    writeFileSync(binding, 'half-linked');
    const result = await project.start({ ...withElectron, FAKE_REBUILD: 'fail' });
    expect(project.calls('rebuild')).toBe(1);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not build better-sqlite3 .* Details: \.electron-native\/rebuild\.log/);
    expect(existsSync(join(project.nativeDir, 'stamp.json'))).toBe(false);
  });

  it('restores the Node build of better-sqlite3 byte for byte if the rebuild overwrote it, and says so', async () => {
    const before = statSync(project.nodeBuildPath);
    const result = await project.start({ ...withElectron, FAKE_REBUILD: 'clobber' });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/changed node_modules\/better-sqlite3 .* it is restored/);
    expect(readFileSync(project.nodeBuildPath).equals(nodeBuildBytes)).toBe(true);
    const after = statSync(project.nodeBuildPath);
    expect(after.mode).toBe(before.mode);
    expect(Math.abs(after.mtimeMs - before.mtimeMs)).toBeLessThan(0.01);
  });

  it('Ctrl-C during the rebuild stops the whole compile, removes the half-built folder and restores the Node build', async () => {
    const result = await project.start({ ...withElectron, FAKE_REBUILD: 'hang' }, (child) => {
      void waitForFile(join(project.root, 'rebuild-started')).then(() => child.kill('SIGINT'));
    });
    expect(stopped(result, 'SIGINT')).toBe(true);
    expect(result.stderr).toMatch(/the unfinished better-sqlite3 build for Electron was removed/);
    expect(result.stderr).toMatch(/it is restored/);
    expect(readFileSync(project.nodeBuildPath).equals(nodeBuildBytes)).toBe(true);

    const compiler = Number(readFileSync(join(project.root, 'compiler.pid'), 'utf8'));
    await sleep(200);
    expect(isRunning(compiler)).toBe(false);
    expect(existsSync(project.nativeDir)).toBe(false);
    expect(project.calls('build')).toBe(0);
  });

  it('a tool that ignores the signal is killed after a grace period, at once on a second Ctrl-C', async () => {
    const graceful = await project.start({ ...withElectron, FAKE_REBUILD: 'stubborn' }, (child) => {
      void waitForFile(join(project.root, 'rebuild-started')).then(() => child.kill('SIGTERM'));
    });
    expect(stopped(graceful, 'SIGTERM')).toBe(true);
    expect(graceful.ms).toBeGreaterThan(4_000);
    expect(isRunning(Number(readFileSync(join(project.root, 'compiler.pid'), 'utf8')))).toBe(false);
    expect(existsSync(project.nativeDir)).toBe(false);

    const impatient = await project.start({ ...withElectron, FAKE_REBUILD: 'stubborn' }, (child) => {
      void waitForFile(join(project.root, 'rebuild-started'))
        .then(() => child.kill('SIGINT'))
        .then(() => sleep(200))
        .then(() => child.kill('SIGINT'));
    });
    expect(stopped(impatient, 'SIGINT')).toBe(true);
    expect(impatient.ms).toBeLessThan(4_000);
    expect(isRunning(Number(readFileSync(join(project.root, 'compiler.pid'), 'utf8')))).toBe(false);
    expect(existsSync(project.nativeDir)).toBe(false);
  }, 20_000);

  it('SIGTERM during the Electron download removes the half-extracted binary', async () => {
    const result = await project.start({ FAKE_DOWNLOAD: 'hang' }, (child) => {
      void waitForFile(join(project.root, 'download-started')).then(() => child.kill('SIGTERM'));
    });
    expect(stopped(result, 'SIGTERM')).toBe(true);
    expect(result.stderr).toMatch(/the unfinished Electron download was removed/);
    expect(existsSync(join(project.electronDir, 'dist'))).toBe(false);
    expect(project.calls('rebuild')).toBe(0);
  });

  it('does not launch an Electron binary whose extraction never finished (no path.txt)', async () => {
    const dist = join(project.electronDir, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\n# truncated', { mode: 0o755 });
    const result = await project.start({ FAKE_DOWNLOAD: 'offline', FAKE_REBUILD: 'ok' });
    expect(project.calls('download')).toBe(1);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not be downloaded/);
  });

  it('downloads Electron when missing and launches it from node_modules/electron/dist', async () => {
    const result = await project.start({ FAKE_DOWNLOAD: 'ok', FAKE_REBUILD: 'ok' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(resolve(project.launched(join(project.electronDir, 'dist'))?.[1] ?? '')).toBe(project.root);
  });
});
