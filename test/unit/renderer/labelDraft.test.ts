/**
 * Custom label rows on the New project form: each field says what is wrong with it (empty,
 * reserved, duplicate, not a single letter or digit), and only a clean set becomes labels.
 */
import { describe, expect, it } from 'vitest';
import { labelSetSchema } from '@common/labels';
import { checkDrafts, draftsFrom, labelsFromDrafts, newDraft, normaliseKey, type LabelDraft } from '../../../src-renderer/src/components/start/labelDraft';

const row = (name: string, key: string, color = '#112233'): LabelDraft => ({ id: Math.random(), name, key, color });

describe('custom label drafts', () => {
  it('accepts distinct names and keys, trimming names and lower-casing colours', () => {
    const labels = labelsFromDrafts([row(' praise ', '1', '#AABBCC'), row('complaint', 'c')]);
    expect(labels).toEqual([
      { name: 'praise', key: '1', color: '#aabbcc' },
      { name: 'complaint', key: 'c', color: '#112233' },
    ]);
    expect(labelSetSchema.safeParse(labels).success).toBe(true);
  });

  it('flags both rows of a duplicate name (any case) or key', () => {
    expect(checkDrafts([row('Praise', '1'), row('praise', '1'), row('other', '2')])).toEqual([
      { name: 'labelEditor.error.nameDuplicate', key: 'labelEditor.error.keyDuplicate' },
      { name: 'labelEditor.error.nameDuplicate', key: 'labelEditor.error.keyDuplicate' },
      { name: null, key: null },
    ]);
  });

  it('refuses empty, reserved and malformed names and keys', () => {
    const errors = checkDrafts([row('', ''), row('__proto__', ' '), row('a,b', '!'), row('ok', 'Q')]);
    expect(errors.map((e) => e.name)).toEqual([
      'labelEditor.error.nameEmpty',
      'labelEditor.error.nameReserved',
      'labelEditor.error.nameInvalid',
      null,
    ]);
    expect(errors.map((e) => e.key)).toEqual([
      'labelEditor.error.keyEmpty',
      'labelEditor.error.keyReserved',
      'labelEditor.error.keyInvalid',
      'labelEditor.error.keyInvalid',
    ]);
    expect(labelsFromDrafts([row('only', '1')])).toBeNull();
  });

  it('keeps the last character typed in a key field, lower-cased; a space stays a space', () => {
    expect(normaliseKey('aB')).toBe('b');
    expect(normaliseKey(' ')).toBe(' ');
    expect(normaliseKey('')).toBe('');
  });

  it('gives a new row an unused key and colour', () => {
    const drafts = draftsFrom([
      { name: 'positive', key: '1', color: '#2e9d57' },
      { name: 'negative', key: '2', color: '#d1453b' },
    ]);
    const added = newDraft(drafts);
    expect(added.key).toBe('3');
    expect(['#2e9d57', '#d1453b']).not.toContain(added.color);
  });
});
