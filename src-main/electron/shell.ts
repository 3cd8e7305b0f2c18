/**
 * Small pieces of the desktop shell's behaviour, apart from main.ts so they can be tested with a
 * fake Electron: which project file a command line names, how a command reaches a window, and
 * asking before a close would interrupt an import or a training run.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { MessageBoxSyncOptions, WebContents } from 'electron';
import type { AppCommand } from '../common/appSettings';
import { ipcEventChannel } from '../common/channels';
import type { ShellStrings } from './shellStrings';

export const projectExtension = '.sstudio';

/**
 * The project file a command line asks to open: the last argument naming an existing
 * `.sstudio` file (relative to the launch folder). Flags and Electron's own arguments never
 * name one, and a second launch's argv starts with the executable path, which does not either.
 */
export function projectPathFromArgv(argv: readonly string[], cwd: string): string | null {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i]!;
    if (arg.startsWith('-') || !arg.toLowerCase().endsWith(projectExtension)) continue;
    const path = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

/** Delivers a command through the same event path as the service's events. */
export function sendCommand(contents: Pick<WebContents, 'isDestroyed' | 'send'>, command: AppCommand): boolean {
  if (contents.isDestroyed()) return false;
  contents.send(ipcEventChannel, 'app:command', command);
  return true;
}

/**
 * Whether closing may go ahead with this work running: asks the analyst when there is any.
 * `ask` is Electron's showMessageBoxSync (bound to the window), returning the button index.
 */
export function confirmInterrupt(
  activity: 'import' | 'training' | null,
  strings: ShellStrings,
  ask: (options: MessageBoxSyncOptions) => number,
): boolean {
  if (!activity) return true;
  const choice = ask({
    type: 'warning',
    title: strings.interruptTitle,
    message: activity === 'import' ? strings.interruptImport : strings.interruptTraining,
    buttons: [strings.interruptCancel, strings.interruptClose],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  return choice === 1;
}
