// @vitest-environment jsdom
/**
 * The Annotate screen's keys: label keys and digits, undo, skip, back, search, and silence while
 * the analyst types in a field. And the pace shown in the progress strip.
 */
import { describe, expect, it } from 'vitest';
import type { LabelDef } from '@common/labels';
import { keyAction, type KeyPress } from '../../../src-renderer/src/components/annotate/keys';
import { labelsPerMinute } from '../../../src-renderer/src/components/annotate/rate';

const binary: LabelDef[] = [
  { name: 'positive', key: '1', color: '#2e9d57' },
  { name: 'negative', key: '2', color: '#d1453b' },
];
const lettered: LabelDef[] = [
  { name: 'joy', key: 'j', color: '#ffcc00' },
  { name: 'anger', key: 'a', color: '#cc0000' },
];

function press(key: string, extra: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, target: document.body, ...extra };
}

describe('annotate keys', () => {
  it('labels with a label’s own key, or with its position when no label claims the digit', () => {
    expect(keyAction(press('2'), binary)).toEqual({ kind: 'label', label: 'negative' });
    expect(keyAction(press('3'), binary)).toBeNull();
    expect(keyAction(press('J'), lettered)).toEqual({ kind: 'label', label: 'joy' });
    expect(keyAction(press('2'), lettered)).toEqual({ kind: 'label', label: 'anger' });
  });

  it('maps Enter to accepting a suggestion, except on a focused button, which keeps its own Enter', () => {
    expect(keyAction(press('Enter'), binary)).toEqual({ kind: 'accept' });
    const button = document.createElement('button');
    const inner = button.appendChild(document.createElement('span'));
    expect(keyAction(press('Enter', { target: button }), binary)).toBeNull();
    expect(keyAction(press('Enter', { target: inner }), binary)).toBeNull();
    expect(keyAction(press('Enter', { target: document.createElement('input') }), binary)).toBeNull();
  });

  it('maps undo, skip, back and search', () => {
    expect(keyAction(press('Backspace'), binary)).toEqual({ kind: 'undo' });
    expect(keyAction(press('z', { ctrlKey: true }), binary)).toEqual({ kind: 'undo' });
    expect(keyAction(press('Z', { metaKey: true }), binary)).toEqual({ kind: 'undo' });
    expect(keyAction(press(' '), binary)).toEqual({ kind: 'skip' });
    expect(keyAction(press('ArrowRight'), binary)).toEqual({ kind: 'skip' });
    expect(keyAction(press('ArrowLeft'), binary)).toEqual({ kind: 'back' });
    expect(keyAction(press('/'), binary)).toEqual({ kind: 'search' });
    expect(keyAction(press('1', { ctrlKey: true }), binary)).toBeNull();
    expect(keyAction(press('1', { altKey: true }), binary)).toBeNull();
  });

  it('does nothing while the analyst types in a field, except "/" on the queue drop-down', () => {
    const search = document.createElement('input');
    search.type = 'search';
    for (const key of ['1', ' ', 'Backspace', '/', 'ArrowLeft']) expect(keyAction(press(key, { target: search }), binary)).toBeNull();
    expect(keyAction(press('z', { ctrlKey: true, target: search }), binary)).toBeNull();
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(keyAction(press('1', { target: checkbox }), binary)).toEqual({ kind: 'label', label: 'positive' });
    const select = document.createElement('select');
    expect(keyAction(press('1', { target: select }), binary)).toBeNull();
    expect(keyAction(press('/', { target: select }), binary)).toEqual({ kind: 'search' });
  });
});

describe('labels per minute', () => {
  it('needs two labels, and averages over the last five minutes', () => {
    const now = 10 * 60_000;
    expect(labelsPerMinute([], now)).toBeNull();
    expect(labelsPerMinute([now - 1000], now)).toBeNull();
    expect(labelsPerMinute([now - 120_000, now - 60_000, now], now)).toBeCloseTo(1.5);
    // Labels older than the window no longer count.
    expect(labelsPerMinute([0, 1000, now - 60_000, now], now)).toBeCloseTo(2);
  });
});
