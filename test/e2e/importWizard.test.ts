/**
 * The Import wizard as an analyst uses it: legacy-encoded files (Windows-1252, GBK) chosen with
 * the file dialog, typed, or dropped on the window; detected encodings, the preview, label value
 * counts and mapping, progress and the summary; and the promise that a malformed file or a
 * Cancel leaves the project exactly as it was.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labelSetPresets } from '@common/labels';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();
const fixtures = join(import.meta.dirname, '../fixtures/import-wizard');
const westernFile = join(fixtures, 'hotels-fr-de.windows-1252.csv');
const chineseFile = join(fixtures, 'hotels-zh.gbk.csv');

async function openImportWizard(app: StudioApp, { name = 'Hotel reviews', section = 'Import', firstStep = 'File' } = {}): Promise<void> {
  const created = await app.service.invoke('project:create', {
    path: join(app.dir, 'hotels.sstudio'),
    name,
    labels: [...labelSetPresets.ternary],
  });
  expect(created.ok).toBe(true);
  // Fail at the step that went wrong rather than at the test's timeout.
  app.page.setDefaultTimeout(15_000);
  // The shell asks for the open project when it starts.
  await app.page.reload();
  await app.page.getByRole('navigation').getByRole('button', { name: section, exact: true }).click();
  await stepHeading(app.page, firstStep).waitFor();
}

const stepHeading = (page: Page, name: string): Locator => page.getByRole('heading', { level: 2, name, exact: true });

async function itemCount(app: StudioApp): Promise<number> {
  const listed = await app.service.invoke('items:list', { limit: 1 });
  if (!listed.ok) throw new Error(listed.error.message);
  // Counted: the request leaves withTotal at its default (true).
  return listed.value.total!;
}

async function itemsMatching(app: StudioApp, search: string) {
  const listed = await app.service.invoke('items:list', { search, limit: 10 });
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value.items;
}

/** The figure under a term of the summary ("Imported" -> "12"). */
function figure(page: Page, term: string): Locator {
  return page
    .getByRole('group', { name: 'Import figures' })
    .locator('.stat')
    .filter({ has: page.getByRole('term').getByText(term, { exact: true }) })
    .getByRole('definition')
    .first();
}

/** The row of the label value table for one value: [count, chosen label]. */
async function labelValueRow(page: Page, value: string): Promise<[string, string]> {
  const row = page.getByRole('table', { name: 'Label values' }).getByRole('row').filter({
    has: page.getByRole('rowheader', { name: value, exact: true }),
  });
  const count = (await row.getByRole('cell').first().textContent()) ?? '';
  const choice = await page.getByRole('combobox', { name: `Label for ${value}`, exact: true }).inputValue();
  return [count.trim(), choice];
}

/** Tabs forward until the focused element is the named button (keyboard users have no mouse). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el instanceof HTMLButtonElement ? el.textContent?.trim() : null;
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached the '${name}' button`);
}

/** Tabs forward until the focused element is the named control. */
async function tabToControl(page: Page, label: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    if (focused === label) return;
  }
  throw new Error(`Tab never reached '${label}'`);
}

describe('import wizard', () => {
  it('the fixtures really are legacy-encoded', () => {
    for (const file of [westernFile, chineseFile]) expect(isUtf8(readFileSync(file))).toBe(false);
  });

  it('imports a Windows-1252 file with the dialog and a GBK file with the keyboard alone', async () => {
    const app = await e2e.open({ dialogs: true });
    const { page } = app;
    await openImportWizard(app);
    await app.screenshot('import-01-file');

    // ---- Windows-1252, French Excel style (semicolons, star ratings), picked in the dialog.
    app.dialogAnswers.push(westernFile);
    await page.getByRole('button', { name: 'Browse…' }).click();
    await stepHeading(page, 'Format & preview').waitFor();
    const detected = page.getByRole('group', { name: 'Detected' });
    await expect.poll(() => detected.textContent()).toContain('Windows-1252 (Western European)');
    expect(await detected.textContent()).toContain('Semicolon ;');
    expect(await detected.textContent()).toContain('CSV');
    const preview = page.getByRole('table', { name: 'The first rows of the file' });
    for (const text of ['Très déçu, la chambre était sale.', 'Für 180 € pro Nacht erwartet man deutlich mehr.', 'Décoration un peu naïve, mais tout était propre.']) {
      await expect.poll(() => preview.getByRole('cell', { name: text, exact: true }).first().isVisible()).toBe(true);
    }
    expect(await preview.getByRole('columnheader').allTextContents()).toEqual(['Line', 'id', 'review', 'rating']);
    await expect.poll(() => page.getByText('All 14 rows of the file').isVisible()).toBe(true);
    await app.screenshot('import-02-preview-windows-1252');

    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, 'Columns').waitFor();
    expect(await page.getByLabel('Text column').inputValue()).toBe('review');
    expect(await page.getByLabel('Label column').inputValue()).toBe('rating');
    expect(await page.getByLabel('ID column').inputValue()).toBe('id');
    await app.screenshot('import-03-columns');

    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, 'Label values').waitFor();
    // Star ratings 1–5: 2 or less negative, 4 or more positive, 3 neutral (the project has it).
    expect(await labelValueRow(page, '1')).toEqual(['3', 'label:negative']);
    expect(await labelValueRow(page, '2')).toEqual(['3', 'label:negative']);
    expect(await labelValueRow(page, '3')).toEqual(['3', 'label:neutral']);
    expect(await labelValueRow(page, '4')).toEqual(['2', 'label:positive']);
    expect(await labelValueRow(page, '5')).toEqual(['3', 'label:positive']);
    await app.screenshot('import-04-label-values');

    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, 'Import').waitFor();
    await app.screenshot('import-05-review');
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { name: 'Imported 12 new reviews' }).waitFor();
    expect(await figure(page, 'Rows read').textContent()).toBe('14');
    expect(await figure(page, 'Imported').textContent()).toBe('12');
    expect(await figure(page, 'Duplicates').textContent()).toBe('1');
    expect(await figure(page, 'Skipped').textContent()).toBe('1');
    expect(await figure(page, 'Errors').textContent()).toBe('0');
    const written = page.getByRole('region', { name: 'Labels written' });
    expect(await written.getByRole('row', { name: /negative/ }).getByRole('cell').textContent()).toBe('5');
    expect(await written.getByRole('row', { name: /neutral/ }).getByRole('cell').textContent()).toBe('2');
    expect(await written.getByRole('row', { name: /positive/ }).getByRole('cell').textContent()).toBe('5');
    expect(app.events.filter((e) => e.name === 'import:progress').length).toBeGreaterThan(0);
    await app.screenshot('import-06-summary');

    expect(await itemCount(app)).toBe(12);
    const [euro] = await itemsMatching(app, '180 €');
    expect(euro).toMatchObject({ text: 'Für 180 € pro Nacht erwartet man deutlich mehr.', label: 'negative', externalId: '4' });
    const [decu] = await itemsMatching(app, 'Très déçu');
    expect(decu).toMatchObject({ text: 'Très déçu, la chambre était sale.', label: 'negative' });

    // ---- GBK with Chinese label names, from the keyboard: type the path, map values with arrows.
    await page.getByRole('button', { name: 'Import another file' }).click();
    await stepHeading(page, 'File').waitFor();
    await page.getByLabel('File to import').focus();
    await page.keyboard.type(chineseFile);
    await page.keyboard.press('Enter');
    await stepHeading(page, 'Format & preview').waitFor();
    await expect.poll(() => detected.textContent()).toContain('GB18030 / GBK (Simplified Chinese)');
    await expect.poll(() => preview.getByRole('cell', { name: '酒店很干净，房间也很大', exact: true }).first().isVisible()).toBe(true);
    expect(await preview.getByRole('cell', { name: '服务太差，前台态度冷淡', exact: true }).isVisible()).toBe(true);
    expect(await preview.getByRole('columnheader').allTextContents()).toEqual(['Line', '评论', '情感']);
    await app.screenshot('import-07-preview-gbk');
    await tabTo(page, 'Next');
    await page.keyboard.press('Enter');
    await stepHeading(page, 'Columns').waitFor();
    expect(await page.getByLabel('Text column').inputValue()).toBe('评论');
    expect(await page.getByLabel('Label column').inputValue()).toBe('情感');
    await tabTo(page, 'Next');
    await page.keyboard.press('Enter');
    await stepHeading(page, 'Label values').waitFor();
    expect(await labelValueRow(page, '正面')).toEqual(['5', '']);
    expect(await labelValueRow(page, '负面')).toEqual(['4', '']);
    expect(await labelValueRow(page, '中性')).toEqual(['2', '']);
    expect(await labelValueRow(page, '未知')).toEqual(['1', '']);
    await expect.poll(() => page.getByText('4 values need a decision before importing.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await app.screenshot('import-08-label-values-undecided');
    // Options: Choose… (disabled), positive, neutral, negative, Import unlabelled.
    for (const [value, downs] of [['正面', 1], ['负面', 3], ['中性', 2], ['未知', 4]] as const) {
      await tabToControl(page, `Label for ${value}`);
      for (let i = 0; i < downs; i++) await page.keyboard.press('ArrowDown');
    }
    expect(await labelValueRow(page, '正面')).toEqual(['5', 'label:positive']);
    expect(await labelValueRow(page, '负面')).toEqual(['4', 'label:negative']);
    expect(await labelValueRow(page, '中性')).toEqual(['2', 'label:neutral']);
    expect(await labelValueRow(page, '未知')).toEqual(['1', 'unlabelled']);
    await app.screenshot('import-09-label-values-mapped');
    await tabTo(page, 'Next');
    await page.keyboard.press('Enter');
    await stepHeading(page, 'Import').waitFor();
    await tabTo(page, 'Start import');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Imported 11 new reviews' }).waitFor();
    expect(await figure(page, 'Rows read').textContent()).toBe('12');
    expect(await figure(page, 'Duplicates').textContent()).toBe('1');
    expect(await figure(page, 'Skipped').textContent()).toBe('0');
    const applied = page.getByRole('region', { name: 'Label values applied' });
    expect(await applied.getByRole('row', { name: /未知 → unlabelled/ }).getByRole('cell').textContent()).toBe('1');
    await app.screenshot('import-10-summary-gbk');

    expect(await itemCount(app)).toBe(23);
    const [dirty] = await itemsMatching(app, '服务太差');
    expect(dirty).toMatchObject({ text: '服务太差，前台态度冷淡', label: 'negative' });
    const [unknown] = await itemsMatching(app, '卫生间有异味');
    expect(unknown).toMatchObject({ label: null });
    const summary = await app.service.invoke('project:summary', {});
    expect(summary).toMatchObject({ ok: true, value: { items: 23, labelled: 22, perLabel: { positive: 9, neutral: 4, negative: 9 } } });
  });

  it('shows the line of a malformed file, and a failed import leaves the project unchanged', async () => {
    const app = await e2e.open();
    const { page } = app;
    await openImportWizard(app);
    const seeded = await app.service.invoke('import:run', { path: westernFile, read: { encoding: 'windows-1252' }, columns: { textColumn: 'review' } });
    expect(seeded.ok).toBe(true);
    const changesBefore = app.events.filter((e) => e.name === 'project:changed').length;

    // Outside the desktop app the dialog is unsupported: the wizard says so and keeps the path field.
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => page.getByText('File dialogs are only available in the desktop app').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Browse…' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('path');

    // A file that does not exist stays on the first step with the handler's message.
    await page.getByLabel('File to import').fill(join(app.dir, 'missing.csv'));
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'missing.csv' }).isVisible()).toBe(true);
    await stepHeading(page, 'File').waitFor();

    // A quote that never closes: the preview step names the line, and the wizard goes no further.
    await page.getByLabel('File to import').fill(join(fixtures, 'unterminated-quote.csv'));
    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, 'Format & preview').waitFor();
    const alert = page.getByRole('alert').filter({ hasText: 'unterminated quote' });
    await expect.poll(() => alert.textContent()).toBe('line 5: unterminated quote');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await app.screenshot('import-11-malformed-preview');

    // A bad value deep in a file fails the import itself: the line, the row, nothing written.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByLabel('File to import').fill(join(fixtures, 'bad-split.csv'));
    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, 'Format & preview').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.getByLabel('Split column').inputValue()).toBe('split');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await labelValueRow(page, 'positive')).toEqual(['3', 'label:positive']);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start import' }).click();
    const failure = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
    await failure.waitFor();
    expect(await failure.getByText('Line 6', { exact: true }).isVisible()).toBe(true);
    expect(await failure.textContent()).toContain("split 'holdout' is not train, validation (val, dev) or test");
    const record = page.getByRole('table', { name: 'The row at line 6, as the preview read it' });
    expect(await record.getByRole('cell', { name: 'Friendly staff' }).isVisible()).toBe(true);
    await app.screenshot('import-12-import-failed');

    expect(await itemCount(app)).toBe(12);
    expect(await itemsMatching(app, 'Friendly staff')).toEqual([]);
    expect(app.events.filter((e) => e.name === 'project:changed').length).toBe(changesBefore);

    // Back to the settings: choose 'Put every row in Train' instead of the split column, and import.
    await page.getByRole('button', { name: 'Back to the settings' }).click();
    // A path typed but not opened does not replace the previewed file: the later steps stay shut
    // until Next reads it (they describe bad-split.csv).
    const steps = page.getByRole('navigation', { name: 'Import steps' });
    await steps.getByRole('button', { name: /File/ }).click();
    await page.getByLabel('File to import').fill(join(fixtures, 'unterminated-quote.csv'));
    await steps.getByRole('button', { name: /Columns/ }).click();
    await stepHeading(page, 'File').waitFor();
    await page.getByLabel('File to import').fill(join(fixtures, 'bad-split.csv'));
    await page.getByRole('button', { name: /Columns/ }).click();
    await page.getByLabel('Put every row of this file in').selectOption('train');
    await page.getByRole('button', { name: /Import$/ }).last().click();
    await stepHeading(page, 'Import').waitFor();
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { name: 'Imported 6 new reviews' }).waitFor();
    expect(await itemCount(app)).toBe(18);
  });

  it('Cancel before or during an import leaves the project unchanged', async () => {
    const app = await e2e.open({ dialogs: true });
    const { page } = app;
    await openImportWizard(app);

    // Before: every step filled in, then Cancel.
    app.dialogAnswers.push(westernFile);
    await page.getByRole('button', { name: 'Browse…' }).click();
    for (const next of ['Columns', 'Label values', 'Import']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await stepHeading(page, next).waitFor();
    }
    await page.getByRole('button', { name: 'Cancel' }).click();
    await stepHeading(page, 'Import').waitFor({ state: 'detached' });
    expect(await itemCount(app)).toBe(0);
    expect(app.events.filter((e) => e.name === 'project:changed' || e.name.startsWith('import:'))).toEqual([]);
    // The wizard starts afresh next time.
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Import' }).click();
    await stepHeading(page, 'File').waitFor();
    expect(await page.getByLabel('File to import').inputValue()).toBe('');

    // During: a file that takes seconds to import (about 50,000 rows a second here).
    const big = join(app.dir, 'many-reviews.csv');
    const lines = Array.from({ length: 400_000 }, (_, i) => `Review number ${i}: the room was ${i % 2 ? 'lovely' : 'noisy'},${i % 2 ? 'positive' : 'negative'}`);
    writeFileSync(big, ['text,label', ...lines].join('\n'));
    app.dialogAnswers.push(big);
    await page.getByRole('button', { name: 'Browse…' }).click();
    await stepHeading(page, 'Format & preview').waitFor();
    await expect.poll(() => page.getByText('First 50 of 5,000 rows read for the preview').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, 'Label values').waitFor();
    // The preview saw 5,000 of 400,000 rows, so the wizard asks about values it has not seen.
    expect(await page.getByRole('radio', { name: 'Stop the import and report the line' }).isChecked()).toBe(true);
    await app.screenshot('import-13-label-values-sampled');
    await page.getByRole('button', { name: 'Next' }).click();
    // While it imports, the main process reads messages only between chunks of the file (the
    // importer does not yield to the event loop), so a click sent from here could arrive after
    // the last row. The page presses Cancel itself on the first progress report instead.
    await page.evaluate(() => {
      const observer = new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"]');
        if (!bar || Number(bar.getAttribute('aria-valuenow') ?? 0) === 0) return;
        observer.disconnect();
        document.body.dataset['cancelledAt'] = bar.getAttribute('aria-valuetext') ?? '';
        [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel import')?.click();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { name: 'Import cancelled' }).waitFor();
    expect(await page.evaluate(() => document.body.dataset['cancelledAt'])).toMatch(/^[\d,]+ rows read$/);
    expect(await page.getByText('Nothing was imported; the project is unchanged.').isVisible()).toBe(true);
    await app.screenshot('import-15-cancelled');
    expect(app.events.some((e) => e.name === 'import:progress')).toBe(true);
    expect(app.events.some((e) => e.name === 'project:changed')).toBe(false);
    expect(await itemCount(app)).toBe(0);
  });

  it('imports a file dropped on the window (dark theme)', async () => {
    const app = await e2e.open();
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'dark' });
    await openImportWizard(app);
    copyFileSync(chineseFile, join(app.dir, 'hotels-zh.gbk.csv'));

    const drag = (type: 'dragover' | 'drop', names: string[]) =>
      page.evaluate(
        ([eventType, fileNames]) => {
          const data = new DataTransfer();
          for (const name of fileNames) data.items.add(new File(['(bytes on disk)'], name, { type: 'text/csv' }));
          document.body.dispatchEvent(new DragEvent(eventType, { dataTransfer: data, bubbles: true, cancelable: true }));
        },
        [type, names] as const,
      );

    await drag('dragover', ['hotels-zh.gbk.csv']);
    await expect.poll(() => page.getByText('Drop the file to import it').isVisible()).toBe(true);
    await app.screenshot('import-16-drop-dark');
    await drag('drop', ['a.csv', 'b.csv']);
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Drop one file at a time; 2 were dropped.' }).isVisible()).toBe(true);
    expect(await page.getByText('Drop the file to import it').count()).toBe(0);

    await drag('drop', ['hotels-zh.gbk.csv']);
    await stepHeading(page, 'Format & preview').waitFor();
    const detected = page.getByRole('group', { name: 'Detected' });
    await expect.poll(() => detected.textContent()).toContain('GB18030 / GBK (Simplified Chinese)');
    await expect.poll(() => page.getByRole('cell', { name: '酒店很干净，房间也很大', exact: true }).first().isVisible()).toBe(true);
    await app.screenshot('import-17-preview-dark');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await stepHeading(page, 'Label values').waitFor();
    for (const [value, label] of [['正面', 'positive'], ['负面', 'negative'], ['中性', 'neutral'], ['未知', 'unlabelled']] as const) {
      await page.getByRole('combobox', { name: `Label for ${value}`, exact: true }).selectOption(label === 'unlabelled' ? label : `label:${label}`);
    }
    await app.screenshot('import-18-label-values-dark');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { name: 'Imported 11 new reviews' }).waitFor();
    await app.screenshot('import-19-summary-dark');
    const summary = await app.service.invoke('project:summary', {});
    expect(summary).toMatchObject({ ok: true, value: { items: 11, labelled: 10, perLabel: { positive: 4, neutral: 2, negative: 4 } } });
  });

  it('speaks Simplified Chinese when the system does', async () => {
    const app = await e2e.open();
    const { page } = app;
    await page.addInitScript(() => Object.defineProperty(navigator, 'languages', { get: () => ['zh-CN', 'zh'] }));
    await openImportWizard(app, { name: '酒店评论', section: '导入', firstStep: '文件' });
    await page.getByLabel('要导入的文件').fill(chineseFile);
    await page.getByRole('button', { name: '下一步' }).click();
    await stepHeading(page, '格式与预览').waitFor();
    await expect.poll(() => page.getByRole('group', { name: '检测结果' }).textContent()).toContain('GB18030 / GBK（简体中文）');
    await app.screenshot('import-20-preview-zh');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('button', { name: '下一步' }).click();
    await stepHeading(page, '标签值').waitFor();
    await expect.poll(() => page.getByText('还有 4 个取值需要确定对应标签才能导入。').isVisible()).toBe(true);
    await app.screenshot('import-21-label-values-zh');
  });
});
