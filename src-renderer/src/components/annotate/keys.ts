/**
 * What a key press means on the Annotate screen. A label's own key labels; digits 1–9 pick the
 * n-th label when no label claims that digit (custom sets may use letters). Nothing fires while
 * the analyst types in a field: the search box handles its own Enter and Escape. Enter elsewhere
 * accepts the model's suggestion for an unlabelled review, when it has one.
 */
import type { LabelDef } from '@common/labels';

export type KeyAction =
  | { kind: 'label'; label: string }
  | { kind: 'accept' }
  | { kind: 'undo' }
  | { kind: 'skip' }
  | { kind: 'back' }
  | { kind: 'search' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

function activatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], summary, [role="button"]') !== null;
}

export function keyAction(press: KeyPress, labels: readonly LabelDef[]): KeyAction | null {
  // A focused drop-down (the queue) takes letters and digits for type-ahead, but not "/".
  if (press.key === '/' && press.target instanceof HTMLSelectElement) return { kind: 'search' };
  if (typingInto(press.target)) return null;
  const command = press.ctrlKey || press.metaKey;
  if (command && !press.altKey && press.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (command || press.altKey) return null;
  switch (press.key) {
    case 'Backspace':
      return { kind: 'undo' };
    case ' ':
    case 'ArrowRight':
      return { kind: 'skip' };
    case 'ArrowLeft':
      return { kind: 'back' };
    case '/':
      return { kind: 'search' };
    case 'Enter':
      // A focused button or link keeps its own Enter; the view decides whether there is a suggestion.
      return activatable(press.target) ? null : { kind: 'accept' };
  }
  const key = press.key.toLowerCase();
  const own = labels.find((l) => l.key === key);
  if (own) return { kind: 'label', label: own.name };
  if (/^[1-9]$/.test(key)) {
    const nth = labels[Number(key) - 1];
    if (nth) return { kind: 'label', label: nth.name };
  }
  return null;
}

/** The key shown on a label's button: its own key. */
export function labelKey(label: LabelDef): string {
  return label.key.toUpperCase();
}
