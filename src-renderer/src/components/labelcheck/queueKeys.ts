/**
 * What a key press means in the suspect queue. The project's label keys win over the queue's own
 * letters (a custom set may use c or s): the arrows and the buttons still do those jobs. Digits
 * 1–9 pick the n-th label when no label claims the digit, as on the Annotate screen.
 */
import type { LabelDef } from '@common/labels';

export type QueueAction =
  | { kind: 'label'; label: string }
  | { kind: 'confirm' }
  | { kind: 'skip' }
  | { kind: 'previous' }
  | { kind: 'undo' };

export interface QueueKeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

/** Fields, drop-downs, radios and the tab strip keep their own keys (arrows move a radio or a tab). */
function ownKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'button') return true;
  return target.closest('[role="tablist"], dialog, summary') !== null;
}

export function queueKey(press: QueueKeyPress, labels: readonly LabelDef[]): QueueAction | null {
  if (ownKeys(press.target)) return null;
  const command = press.ctrlKey || press.metaKey;
  if (command && !press.altKey && press.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (command || press.altKey) return null;
  if (press.key === 'ArrowRight') return { kind: 'skip' };
  if (press.key === 'ArrowLeft') return { kind: 'previous' };
  const key = press.key.toLowerCase();
  const own = labels.find((l) => l.key === key);
  if (own) return { kind: 'label', label: own.name };
  if (key === 'c') return { kind: 'confirm' };
  if (key === 's') return { kind: 'skip' };
  if (/^[1-9]$/.test(key)) {
    const nth = labels[Number(key) - 1];
    if (nth) return { kind: 'label', label: nth.name };
  }
  return null;
}
