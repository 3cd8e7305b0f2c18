/**
 * The Start screen and the app frame, end to end in Chromium with the real handler map: recent
 * projects (missing ones removable), a project with custom labels (keys and colours, validated),
 * the demo project, the language switch (persisted across a reload), the dark theme, commands
 * from the native menu, and a project already open elsewhere opening read-only.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppCommand } from '@common/appSettings';
import type { Channel, InvokeResult } from '@common/contract';
import { labelSetPresets } from '@common/labels';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();
const binary = labelSetPresets.binary.map((l) => ({ ...l }));

async function ok<C extends Channel>(app: StudioApp, channel: C, payload: unknown) {
  const result = (await app.service.invoke(channel, payload)) as InvokeResult<C>;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** What the Electron main sends when a menu item is chosen. */
async function menu(page: Page, command: AppCommand): Promise<void> {
  await page.evaluate(
    ([name, payload]) => (window as unknown as { __studioEmit(e: string, p: unknown): void }).__studioEmit(name, payload),
    ['app:command', command] as const,
  );
}

const stat = (page: Page, name: string) =>
  page.locator('.stat').filter({ has: page.getByRole('term').getByText(name, { exact: true }) }).getByRole('definition');

describe('Start screen', () => {
  it('lists recent projects, opens one, and removes a missing one from the list', async () => {
    const app = await e2e.open();
    const { page } = app;
    const hotels = join(app.dir, 'hotels.sstudio');
    const gone = join(app.dir, 'gone.sstudio');
    await ok(app, 'project:create', { path: gone, name: 'Old survey', labels: binary });
    await ok(app, 'project:create', { path: hotels, name: 'Hotel reviews', labels: binary });
    await ok(app, 'project:close', {});
    rmSync(gone);
    rmSync(`${gone}-lock`, { force: true });
    await page.reload();

    const list = page.getByRole('region', { name: 'Recent projects' });
    await list.getByRole('button', { name: 'Open Hotel reviews' }).waitFor();
    await expect.poll(() => list.getByText('File not found').isVisible()).toBe(true);
    await expect.poll(() => list.getByText('0 items · 0 labelled').isVisible()).toBe(true);
    await app.screenshot('start-01-recent');

    await list.getByRole('button', { name: 'Remove Old survey from the list' }).click();
    await expect.poll(() => list.getByText('Old survey').count()).toBe(0);
    expect((await ok(app, 'app:recent', {})).map((r) => r.name)).toEqual(['Hotel reviews']);

    await list.getByRole('button', { name: 'Open Hotel reviews' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hotel reviews' }).waitFor();
  });

  it('creates a project with custom labels, keys and colours, chosen with Browse…', async () => {
    const app = await e2e.open({ dialogs: true });
    const { page } = app;
    const form = page.getByRole('form', { name: 'New project' });
    await form.getByLabel('Name').fill('Support tickets');
    await form.getByLabel('Labels').selectOption('custom');

    const editor = form.getByRole('group', { name: 'Custom labels' });
    await editor.getByLabel('Label 1 name').fill('praise');
    await editor.getByLabel('Label 2 name').fill('question');
    await editor.getByLabel('Label 3 name').fill('complaint');
    await editor.getByLabel('Label 2 key').fill('1');
    await editor.getByLabel('Label 3 key').fill(' ');
    await editor.getByRole('button', { name: 'Add label' }).click();
    await editor.getByLabel('Label 4 name').fill('Praise');

    const path = join(app.dir, 'tickets');
    app.dialogAnswers.push(path);
    await form.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => form.getByLabel('Project file').inputValue()).toBe(`${path}.sstudio`);

    await form.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => editor.getByText('Another label uses this key.').count()).toBe(2);
    await expect.poll(() => editor.getByText(/Space, Backspace and Enter are used by the annotate view/).isVisible()).toBe(true);
    await expect.poll(() => editor.getByText('Another label already has this name.').count()).toBe(2);
    expect(await editor.getByLabel('Label 3 key').getAttribute('aria-invalid')).toBe('true');
    await app.screenshot('start-02-custom-labels-errors');

    await editor.getByLabel('Label 2 key').fill('q');
    await editor.getByLabel('Label 3 key').fill('C');
    await editor.getByLabel('Label 4 name').fill('spam');
    await editor.getByLabel('Label 4 key').fill('x');
    await editor.getByLabel('Label 4 colour').fill('#7a3fd1');
    await expect.poll(() => editor.locator('.field-error').count()).toBe(0);
    await app.screenshot('start-03-custom-labels');
    await form.getByRole('button', { name: 'Create project' }).click();

    await page.getByRole('heading', { level: 1, name: 'Support tickets' }).waitFor();
    const summary = await ok(app, 'project:summary', {});
    expect(summary.path).toBe(`${path}.sstudio`);
    expect(summary.labels.map((l) => [l.name, l.key])).toEqual([
      ['praise', '1'],
      ['question', 'q'],
      ['complaint', 'c'],
      ['spam', 'x'],
    ]);
    expect(summary.labels[3]!.color).toBe('#7a3fd1');
    const labels = page.getByRole('region', { name: 'Labels' });
    await expect.poll(() => labels.getByRole('row', { name: /spam/ }).getByText('x', { exact: true }).isVisible()).toBe(true);
    await app.screenshot('start-04-custom-summary');
  });

  it('opens the demo project with its counts, and reopens the same one later', async () => {
    const app = await e2e.open();
    const { page } = app;
    await page.getByRole('button', { name: 'Open the demo project' }).click();
    await page.getByRole('heading', { level: 1, name: 'IMDB movie reviews (demo)' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => stat(page, 'Items').textContent()).toBe('2,000');
    await expect.poll(() => stat(page, 'Labelled').textContent()).toBe('1,500');
    await expect.poll(() => stat(page, 'Unlabelled').textContent()).toBe('500');
    await app.screenshot('start-05-demo');
    const first = (await ok(app, 'project:summary', {})).path;

    await page.getByRole('button', { name: 'Close project' }).click();
    const list = page.getByRole('region', { name: 'Recent projects' });
    await expect.poll(() => list.getByText('2,000 items · 1,500 labelled').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Open the demo project' }).click();
    await page.getByRole('heading', { level: 1, name: 'IMDB movie reviews (demo)' }).waitFor();
    expect((await ok(app, 'project:summary', {})).path).toBe(first);
  });

  it('switches to Simplified Chinese, keeps it across a reload, and back through the menu', async () => {
    const app = await e2e.open();
    const { page } = app;
    await page.getByRole('heading', { name: 'New project' }).waitFor();
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '新建项目' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect((await ok(app, 'app:settings', {})).settings.language).toBe('zh-CN');

    await page.reload();
    await page.getByRole('heading', { name: '新建项目' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: '打开示例项目' }).isVisible()).toBe(true);
    await app.screenshot('start-06-chinese');

    await menu(page, { command: 'set-language', language: 'en' });
    await page.getByRole('heading', { name: 'New project' }).waitFor();
    expect((await ok(app, 'app:settings', {})).settings.language).toBe('en');
  });

  it('follows a dark OS theme, and an explicit choice overrides it', async () => {
    const app = await e2e.open();
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'dark' });
    await ok(app, 'project:create', { path: join(app.dir, 'dark.sstudio'), name: 'Night shift', labels: binary });
    await ok(app, 'project:close', {});
    await page.reload();
    await page.getByRole('heading', { name: 'New project' }).waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await expect.poll(background).toBe('rgb(21, 24, 29)');
    await app.screenshot('start-07-dark');

    await page.getByRole('button', { name: 'Open the demo project' }).click();
    await page.getByRole('heading', { level: 1, name: 'IMDB movie reviews (demo)' }).waitFor({ timeout: 20_000 });
    await app.screenshot('start-08-demo-dark');

    await page.getByLabel('Appearance').selectOption('light');
    await expect.poll(background).toBe('rgb(246, 247, 249)');
    expect((await ok(app, 'app:settings', {})).settings.theme).toBe('light');
  });
});

describe('menu commands', () => {
  it('shows shortcuts with the label keys, data credits, and guards project commands', async () => {
    const app = await e2e.open();
    const { page } = app;
    await page.getByRole('heading', { name: 'New project' }).waitFor();

    await menu(page, { command: 'import' });
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Open or create a project first.' }).isVisible()).toBe(true);

    await menu(page, { command: 'open-path', path: (await ok(app, 'project:create', { path: join(app.dir, 'm.sstudio'), name: 'Menus', labels: binary })).path });
    await page.getByRole('heading', { level: 1, name: 'Menus' }).waitFor();
    await menu(page, { command: 'show-shortcuts' });
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.waitFor();
    await expect.poll(() => shortcuts.getByText('Label the review “negative”').isVisible()).toBe(true);
    await app.screenshot('start-09-shortcuts');
    // Escape, then at once another dialog: the first one's close event (a task later) must not
    // close the second.
    await page.keyboard.press('Escape');
    await menu(page, { command: 'show-credits' });
    await expect.poll(() => shortcuts.isVisible()).toBe(false);
    const credits = page.getByRole('dialog', { name: 'Data credits' });
    await credits.getByText(/Learning Word Vectors for Sentiment Analysis/).waitFor();
    await credits.getByRole('button', { name: 'Close' }).click();

    await menu(page, { command: 'import' });
    await expect.poll(() => page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Import' }).getAttribute('aria-current')).toBe('page');
    expect(app.service.view).toBe('import');

    await menu(page, { command: 'new-project' });
    await page.getByRole('heading', { name: 'New project' }).waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('name');
  });

  it('exports labelled data to the file the save dialog names', async () => {
    const app = await e2e.open({ dialogs: true });
    const { page } = app;
    await page.getByRole('button', { name: 'Open the demo project' }).click();
    await page.getByRole('heading', { level: 1, name: 'IMDB movie reviews (demo)' }).waitFor({ timeout: 20_000 });
    const target = join(app.dir, 'demo-labels.csv');
    app.dialogAnswers.push(target);
    await menu(page, { command: 'export' });
    // The menu opens the export dialog (format, current labels or history); CSV is its default.
    const dialog = page.getByRole('dialog', { name: 'Export labelled data' });
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Exported 1,500 rows to ${target}.` }).isVisible()).toBe(true);
  });
});

describe('a project open in two windows', () => {
  it('opens read-only in the second window, with a banner saying why', async () => {
    const first = await e2e.open();
    const second = await e2e.open();
    const path = join(first.dir, 'shared.sstudio');
    await ok(first, 'project:create', { path, name: 'Shared', labels: binary });

    const form = second.page.getByRole('form', { name: 'Open project' });
    await form.getByLabel('Project file').fill(path);
    await form.getByRole('button', { name: 'Open project' }).click();
    await second.page.getByRole('heading', { level: 1, name: /Shared/ }).waitFor();
    const banner = second.page.getByRole('status').filter({ hasText: 'already open in another window' });
    await expect.poll(() => banner.isVisible()).toBe(true);
    await second.screenshot('start-10-open-elsewhere');

    await ok(first, 'project:close', {});
    await banner.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => banner.isVisible()).toBe(false);
    expect((await ok(second, 'project:summary', {})).readOnly).toBe(false);
  });
});
