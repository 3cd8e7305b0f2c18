/**
 * Remembers the main window's size, position and maximised state between runs, in
 * `<userData>/window-state.json`. A saved position that no longer lies on any display (a monitor
 * was unplugged) is dropped so the window never opens off screen.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';

export interface WindowState {
  bounds: Partial<Rectangle> & { width: number; height: number };
  maximized: boolean;
}

const defaults: WindowState = { bounds: { width: 1200, height: 800 }, maximized: false };

function stateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

export function loadWindowState(): WindowState {
  try {
    const saved = JSON.parse(readFileSync(stateFile(), 'utf8')) as WindowState;
    const { x, y, width, height } = saved.bounds;
    if (!(width >= 400 && height >= 300)) return defaults;
    if (typeof x !== 'number' || typeof y !== 'number' || !isOnSomeDisplay({ x, y, width, height })) {
      return { bounds: { width, height }, maximized: saved.maximized === true };
    }
    return { bounds: { x, y, width, height }, maximized: saved.maximized === true };
  } catch {
    return defaults;
  }
}

function isOnSomeDisplay(bounds: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: area }) => {
    const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const overlapY = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return overlapX >= 100 && overlapY >= 50;
  });
}

/** Saves the window's state when it closes. */
export function rememberWindowState(window: BrowserWindow): void {
  window.on('close', () => {
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      writeFileSync(stateFile(), JSON.stringify(state));
    } catch {
      // Losing the window size is not worth bothering the user about.
    }
  });
}
