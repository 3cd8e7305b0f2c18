/**
 * A custom label set as the analyst types it, checked row by row so each field can say what is
 * wrong with it (the contract's labelSetSchema checks the whole set again at the boundary).
 */
import { labelDefSchema, type LabelDef } from '@common/labels';
import type { MessageKey } from '../../messages';

export interface LabelDraft {
  /** Stable across edits, for keyed lists and element ids. */
  id: number;
  name: string;
  key: string;
  color: string;
}

export interface LabelDraftErrors {
  name: MessageKey | null;
  key: MessageKey | null;
}

/** Keys the annotate view uses itself (the contract only admits a–z and 0–9 anyway). */
const reservedKeys = new Set([' ', 'space', 'spacebar', 'backspace', 'enter', 'return', 'tab', 'escape', 'esc']);
const reservedNames = new Set(['__proto__', 'constructor', 'prototype']);

const palette = ['#2e9d57', '#d1453b', '#8a8f98', '#3b73d1', '#c98a14', '#8e44ad', '#16a3a3', '#d1458f'];

let nextId = 1;

export function newDraft(existing: readonly LabelDraft[]): LabelDraft {
  const usedKeys = new Set(existing.map((l) => l.key));
  const key = '123456789abcdefghijklmnopqrstuvwxyz'.split('').find((k) => !usedKeys.has(k)) ?? '';
  const usedColors = new Set(existing.map((l) => l.color.toLowerCase()));
  const color = palette.find((c) => !usedColors.has(c)) ?? palette[existing.length % palette.length]!;
  return { id: nextId++, name: '', key, color };
}

export function draftsFrom(labels: readonly LabelDef[]): LabelDraft[] {
  return labels.map((l) => ({ id: nextId++, ...l }));
}

/** What a key field holds after the analyst typed or pressed something: one lower-case character. */
export function normaliseKey(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed === '' && raw !== '') return ' ';
  return trimmed.slice(-1).toLowerCase();
}

export function checkDrafts(drafts: readonly LabelDraft[]): LabelDraftErrors[] {
  const names = new Map<string, number>();
  const keys = new Map<string, number>();
  for (const d of drafts) {
    const name = d.name.trim().toLowerCase();
    if (name) names.set(name, (names.get(name) ?? 0) + 1);
    if (d.key) keys.set(d.key, (keys.get(d.key) ?? 0) + 1);
  }
  return drafts.map((d) => {
    const name = d.name.trim();
    let nameError: MessageKey | null = null;
    if (name === '') nameError = 'labelEditor.error.nameEmpty';
    else if (reservedNames.has(name.toLowerCase())) nameError = 'labelEditor.error.nameReserved';
    else if (!labelDefSchema.shape.name.safeParse(name).success) nameError = 'labelEditor.error.nameInvalid';
    else if ((names.get(name.toLowerCase()) ?? 0) > 1) nameError = 'labelEditor.error.nameDuplicate';

    let keyError: MessageKey | null = null;
    if (d.key === '') keyError = 'labelEditor.error.keyEmpty';
    else if (reservedKeys.has(d.key.toLowerCase())) keyError = 'labelEditor.error.keyReserved';
    else if (!/^[a-z0-9]$/.test(d.key)) keyError = 'labelEditor.error.keyInvalid';
    else if ((keys.get(d.key) ?? 0) > 1) keyError = 'labelEditor.error.keyDuplicate';
    return { name: nameError, key: keyError };
  });
}

/** The label set to create, or null while any row has an error. */
export function labelsFromDrafts(drafts: readonly LabelDraft[]): LabelDef[] | null {
  if (drafts.length < 2) return null;
  if (checkDrafts(drafts).some((e) => e.name || e.key)) return null;
  return drafts.map((d) => ({ name: d.name.trim(), key: d.key, color: d.color.toLowerCase() }));
}
