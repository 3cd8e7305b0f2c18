/**
 * Which Evaluate tab to open with, remembered for the window's session (sessionStorage outlives a
 * reload, not the window): a reload or a visit to another screen comes back to the same tab. A
 * run asked for from elsewhere (Runs ▸ Evaluate on another run) opens its model errors instead.
 */
export type EvaluateTab = 'errors' | 'labels';

const key = 'sentiment-studio.evaluate.tab';

interface Remembered {
  tab: EvaluateTab;
  /** The run the Model errors tab showed last. */
  run: number | null;
}

function read(): Remembered {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key) ?? 'null') as Partial<Remembered> | null;
    return { tab: stored?.tab === 'labels' ? 'labels' : 'errors', run: typeof stored?.run === 'number' ? stored.run : null };
  } catch {
    return { tab: 'errors', run: null };
  }
}

function write(change: Partial<Remembered>): void {
  try {
    sessionStorage.setItem(key, JSON.stringify({ ...read(), ...change }));
  } catch {
    // Storage off: the tab is simply not remembered.
  }
}

/** `requestedRun`: the run the app asks the screen to show (null after a reload). */
export function initialTab(requestedRun: number | null): EvaluateTab {
  const remembered = read();
  return remembered.tab === 'labels' && (requestedRun === null || requestedRun === remembered.run) ? 'labels' : 'errors';
}

export const rememberTab = (tab: EvaluateTab): void => write({ tab });
export const rememberRun = (run: number): void => write({ run });
