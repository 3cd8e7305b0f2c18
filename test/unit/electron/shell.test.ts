/**
 * Shell behaviour around the window: the project file a (second) launch names, commands going
 * out on the studio event channel, and the question before a close interrupts work.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageBoxSyncOptions } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ipcEventChannel } from '@common/contract';
import { confirmInterrupt, projectPathFromArgv, sendCommand } from '../../../src-main/electron/shell';
import { shellStrings } from '../../../src-main/electron/shellStrings';

vi.mock('electron', () => ({}));

const dir = mkdtempSync(join(tmpdir(), 'sstudio-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('project path from the command line', () => {
  const project = join(dir, 'Hotel reviews.sstudio');
  writeFileSync(project, '');
  mkdirSync(join(dir, 'folder.sstudio'));

  it('finds an existing project file, relative to the launch folder', () => {
    expect(projectPathFromArgv(['/opt/studio/sentiment-studio', project], '/')).toBe(project);
    expect(projectPathFromArgv(['/opt/studio/sentiment-studio', '--no-sandbox', 'Hotel reviews.sstudio'], dir)).toBe(project);
    // The last file named wins (a shell glob, or a file manager passing several).
    const other = join(dir, 'other.SSTUDIO');
    writeFileSync(other, '');
    expect(projectPathFromArgv(['studio', project, other], '/')).toBe(other);
  });

  it('ignores flags, other files, missing files and folders', () => {
    expect(projectPathFromArgv(['studio', '--inspect=5858'], dir)).toBeNull();
    expect(projectPathFromArgv(['studio', 'reviews.csv'], dir)).toBeNull();
    expect(projectPathFromArgv(['studio', 'missing.sstudio'], dir)).toBeNull();
    expect(projectPathFromArgv(['studio', 'folder.sstudio'], dir)).toBeNull();
  });
});

describe('commands to the window', () => {
  it('go out on the studio event channel as app:command', () => {
    const contents = { isDestroyed: () => false, send: vi.fn() };
    expect(sendCommand(contents, { command: 'open-path', path: '/p/a.sstudio' })).toBe(true);
    expect(contents.send).toHaveBeenCalledWith(ipcEventChannel, 'app:command', { command: 'open-path', path: '/p/a.sstudio' });
  });

  it('are dropped for a window that is gone', () => {
    const contents = { isDestroyed: () => true, send: vi.fn() };
    expect(sendCommand(contents, { command: 'undo' })).toBe(false);
    expect(contents.send).not.toHaveBeenCalled();
  });
});

describe('closing while work runs', () => {
  const en = shellStrings('en');

  it('closes without asking when nothing runs', () => {
    const ask = vi.fn(() => 0);
    expect(confirmInterrupt(null, en, ask)).toBe(true);
    expect(ask).not.toHaveBeenCalled();
  });

  it('asks about training, keeping the window by default', () => {
    const ask = vi.fn(() => 0);
    expect(confirmInterrupt('training', en, ask)).toBe(false);
    expect(ask).toHaveBeenCalledWith(
      expect.objectContaining({ message: en.interruptTraining, buttons: ['Keep Working', 'Close Anyway'], cancelId: 0, defaultId: 0 }),
    );
  });

  it('closes an import when the analyst says so', () => {
    const ask = vi.fn((_options: MessageBoxSyncOptions) => 1);
    expect(confirmInterrupt('import', en, ask)).toBe(true);
    expect(ask.mock.calls[0]![0].message).toBe(en.interruptImport);
  });
});
