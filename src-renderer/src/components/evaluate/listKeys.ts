/**
 * What a key press means in the error list. The project's label keys win over the list's own
 * letters (a custom set may use c or e): arrows and the row's buttons still do those jobs.
 * Digits 1–9 pick the n-th label when no label claims the digit, as on the Annotate screen.
 */
import type { LabelDef } from '@common/labels';

export type ListAction =
  | { kind: 'move'; step: number }
  | { kind: 'label'; label: string }
  | { kind: 'confirm' }
  | { kind: 'explain' }
  | { kind: 'details' }
  | { kind: 'undo' };

export interface ListKeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function listKey(press: ListKeyPress, labels: readonly LabelDef[]): ListAction | null {
  const command = press.ctrlKey || press.metaKey;
  if (command && !press.altKey && press.key.toLowerCase() === 'z') return { kind: 'undo' };
  if (command || press.altKey) return null;
  switch (press.key) {
    case 'ArrowDown':
      return { kind: 'move', step: 1 };
    case 'ArrowUp':
      return { kind: 'move', step: -1 };
    case 'Enter':
      return { kind: 'details' };
  }
  const key = press.key.toLowerCase();
  const own = labels.find((l) => l.key === key);
  if (own) return { kind: 'label', label: own.name };
  switch (key) {
    case 'j':
      return { kind: 'move', step: 1 };
    case 'k':
      return { kind: 'move', step: -1 };
    case 'c':
      return { kind: 'confirm' };
    case 'e':
      return { kind: 'explain' };
  }
  if (/^[1-9]$/.test(key)) {
    const nth = labels[Number(key) - 1];
    if (nth) return { kind: 'label', label: nth.name };
  }
  return null;
}
