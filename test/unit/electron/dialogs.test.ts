/**
 * The native file dialogs behind dialog:open / dialog:save: a title and filters per purpose,
 * modal to the asking window, null when cancelled, and each purpose reopening in the folder of
 * its last choice. Electron's dialog module is a fake.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dialogPurposes } from '@common/contract';
import { dialogSpec, electronFileDialogs } from '../../../src-main/electron/dialogs';
import { shellStrings } from '../../../src-main/electron/shellStrings';

const fake = vi.hoisted(() => ({
  answers: [] as { canceled: boolean; filePaths?: string[]; filePath?: string }[],
  calls: [] as { kind: string; parent: unknown; options: Record<string, unknown> }[],
}));

vi.mock('electron', () => {
  const record = (kind: string) => async (...args: unknown[]) => {
    const [parent, options] = args.length === 2 ? args : [null, args[0]];
    fake.calls.push({ kind, parent, options: options as Record<string, unknown> });
    return fake.answers.shift() ?? { canceled: true, filePaths: [] };
  };
  return { dialog: { showOpenDialog: record('open'), showSaveDialog: record('save') } };
});

const en = shellStrings('en');
const parentWindow = { id: 'window-1' };

beforeEach(() => {
  fake.answers.length = 0;
  fake.calls.length = 0;
});

function dialogs(parent: unknown = parentWindow) {
  return electronFileDialogs({ parent: () => parent as never, strings: () => en, startFolder: '/home/me/Documents' });
}

describe('native file dialogs', () => {
  it('opens a project with the project filter, modal to the window, in the start folder', async () => {
    fake.answers.push({ canceled: false, filePaths: ['/data/hotels.sstudio'] });
    await expect(dialogs().open('project')).resolves.toBe('/data/hotels.sstudio');
    expect(fake.calls[0]).toMatchObject({
      kind: 'open',
      parent: parentWindow,
      options: { title: 'Open a project', defaultPath: '/home/me/Documents', properties: ['openFile'] },
    });
    expect((fake.calls[0]!.options['filters'] as { extensions: string[] }[])[0]!.extensions).toEqual(['sstudio']);
  });

  it('answers null when the analyst cancels', async () => {
    fake.answers.push({ canceled: true, filePaths: [] });
    await expect(dialogs().open('import')).resolves.toBeNull();
    fake.answers.push({ canceled: true, filePath: '' });
    await expect(dialogs().save('export-data')).resolves.toBeNull();
  });

  it('remembers the folder of the last choice per purpose', async () => {
    const d = dialogs();
    fake.answers.push({ canceled: false, filePaths: ['/data/in/reviews.csv'] });
    await d.open('import');
    await d.open('import');
    await d.open('project');
    expect(fake.calls.map((c) => c.options['defaultPath'])).toEqual(['/home/me/Documents', '/data/in', '/home/me/Documents']);
  });

  it('saves under a suggested name, offering overwrite confirmation', async () => {
    fake.answers.push({ canceled: false, filePath: '/out/labels.csv' });
    await expect(dialogs(null).save('export-data', '../Hotels.csv')).resolves.toBe('/out/labels.csv');
    expect(fake.calls[0]).toMatchObject({
      kind: 'save',
      parent: null,
      options: { defaultPath: join('/home/me/Documents', 'Hotels.csv'), properties: ['createDirectory', 'showOverwriteConfirmation'] },
    });
  });

  it('picks a folder for a model bundle, and gives every purpose a title', () => {
    expect(dialogSpec('bundle', en).folder).toBe(true);
    for (const purpose of dialogPurposes) expect(dialogSpec(purpose, en).title).not.toBe('');
    expect(dialogSpec('project', shellStrings('zh-CN')).title).toBe('打开项目');
  });
});
