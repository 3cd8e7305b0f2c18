/**
 * What the analyst takes away, end to end with the real trainer and scoring processes: a file
 * labelled on the Predict screen (the current model to XLSX, an exported bundle to JSON Lines,
 * and a bundle with no project open), the run report as HTML and PDF, the model bundle with its
 * zip, labelled data as XLSX, and fine-tuning from a run and from a bundle.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunHistoryEntry } from '@common/contract';
import { labelSetPresets } from '@common/labels';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

async function invoke<T>(app: StudioApp, channel: string, payload: unknown): Promise<T> {
  const result = await app.service.invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

const tiny = { epochs: 1, units: 4, embedDim: 8, maxLen: 16, minCount: 1, vocabSize: 200 };

/** The run's end (train:finished), once the controller has let go of it. */
async function finished(app: StudioApp, runId: number): Promise<string> {
  const ended = () => app.events.find((e) => e.name === 'train:finished' && (e.payload as { runId: number }).runId === runId);
  await expect.poll(ended, { timeout: 60_000 }).toBeDefined();
  await expect.poll(() => app.service.activity).toBeNull();
  return (ended()!.payload as { status: string }).status;
}

/** "Film reviews": 300 toy reviews (one of them longer than an Excel cell), a tiny run marked current. */
async function projectWithRun(app: StudioApp, options: { longReview?: boolean } = {}): Promise<number> {
  await invoke(app, 'project:create', { path: join(app.dir, 'films.sstudio'), name: 'Film reviews', labels: [...labelSetPresets.binary] });
  const rows = toyReviews(300);
  if (options.longReview) rows[1]!.text = `${'long '.repeat(7000)}review`;
  const file = writeJsonl(join(app.dir, 'toy.jsonl'), rows);
  await invoke(app, 'import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
  const { runId } = await invoke<{ runId: number }>(app, 'train:start', { preset: 'fast', baseline: false, overrides: tiny });
  expect(await finished(app, runId)).toBe('done');
  await invoke(app, 'runs:setCurrent', { runId });
  await app.page.reload();
  return runId;
}

async function openSection(page: Page, name: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Records the highest value the progress bar showed, however briefly it was on screen. */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __progressSeen: { max: number; texts: string[] } };
    w.__progressSeen = { max: 0, texts: [] };
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Reviews labelled"]');
      if (!bar) return;
      w.__progressSeen.max = Math.max(w.__progressSeen.max, Number(bar.getAttribute('aria-valuenow')));
      w.__progressSeen.texts.push(bar.getAttribute('aria-valuetext') ?? '');
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

const progressSeen = (page: Page) => page.evaluate(() => (window as unknown as { __progressSeen: { max: number; texts: string[] } }).__progressSeen);

describe('Predict screen', () => {
  it('labels a file with the current model as XLSX, with an exported bundle as JSON Lines, and with no project open', async () => {
    const app = await e2e.open({ dialogs: true, viewport: { width: 1280, height: 900 } });
    const { page } = app;
    const runId = await projectWithRun(app);
    const reviews = toyReviews(6000, 9);
    const input = join(app.dir, 'new-reviews.csv');
    writeFileSync(input, 'stars,review\n' + reviews.map((r, i) => `${i % 5},"${r.text}"`).join('\n') + '\n3,\n');

    await openSection(page, 'Predict', 'Predict');
    const form = page.getByRole('form', { name: 'Batch prediction' });
    await expect.poll(() => form.getByRole('radio', { name: 'The project’s current model' }).isChecked()).toBe(true);
    await form.getByText(`Run #${runId} · GRU`).first().waitFor();

    // The file through the open dialog: its columns, the text column picked, its first reviews shown.
    app.dialogAnswers.push(input);
    await form.getByRole('button', { name: 'Browse…' }).click();
    const column = form.getByLabel('Column with the review text');
    await expect.poll(() => column.locator('option').allTextContents()).toEqual(['stars', 'review']);
    await column.selectOption('review');
    await expect.poll(() => form.getByRole('group', { name: 'First reviews in this column' }).textContent()).toContain(reviews[0]!.text);

    // Saved as XLSX: the format picker and the save dialog's name agree.
    const xlsx = join(app.dir, 'scored.xlsx');
    await form.getByRole('radio', { name: 'Excel (XLSX)' }).check();
    await expect.poll(() => form.getByLabel('Results file').inputValue()).toBe(join(app.dir, 'new-reviews-predictions.xlsx'));
    app.dialogAnswers.push(xlsx);
    await form.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => form.getByLabel('Results file').inputValue()).toBe(xlsx);
    await app.screenshot('predict-01-form');

    await watchProgress(page);
    await form.getByRole('button', { name: 'Label the reviews' }).click();
    const summary = page.getByRole('region', { name: '6,000 reviews labelled' });
    await summary.waitFor({ timeout: 60_000 });
    const seen = await progressSeen(page);
    expect(seen.max).toBeGreaterThan(0);
    expect(seen.texts.some((text) => /rows · .* of /.test(text))).toBe(true);
    expect(app.events.filter((e) => e.name === 'predict:progress').length).toBeGreaterThan(1);

    await expect.poll(() => summary.getByText(xlsx).isVisible()).toBe(true);
    expect(await summary.locator('dd').allTextContents()).toEqual(['6,000', '1', expect.stringMatching(/^\d+(\.\d)? s$/), expect.any(String)]);
    const counts = summary.getByRole('list', { name: 'Predicted labels' });
    expect(await counts.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-label')))).toEqual(['positive', 'negative']);
    const preview = page.getByRole('table', { name: 'Predicted labels, first rows' });
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(20);
    const first = preview.locator('tbody tr').first();
    expect(await first.getByRole('cell').nth(1).textContent()).toBe(reviews[0]!.text);
    expect(await first.getByRole('cell').first().textContent()).toBe('2');
    const firstLabel = (await first.getByRole('cell').nth(2).textContent())!.trim();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('Predictions')!;
    expect(sheet.rowCount).toBe(6001);
    expect(sheet.getRow(2).getCell(3).value).toBe(firstLabel);
    await app.screenshot('predict-02-summary');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('predict-02-summary-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await invoke(app, 'app:setSettings', { language: 'zh-CN' });
    await page.getByRole('region', { name: '已标注 6,000 条评论' }).waitFor();
    await app.screenshot('predict-02-summary-zh');
    await invoke(app, 'app:setSettings', { language: 'en' });

    // The same model from an exported bundle, to JSON Lines.
    const bundle = join(app.dir, 'film-model');
    await invoke(app, 'runs:export', { runId, path: bundle, zip: false });
    await summary.getByRole('button', { name: 'Label another file' }).click();
    await form.getByRole('radio', { name: 'An exported model bundle' }).check();
    app.dialogAnswers.push(bundle);
    await form.getByRole('button', { name: 'Choose folder…' }).click();
    await form.getByText(`Run #${runId} of “Film reviews” · GRU · labels positive, negative`).waitFor();
    expect(await column.inputValue()).toBe('review');

    // A large file, cancelled while it runs: back to the form, no error, no results file.
    const large = join(app.dir, 'large.csv');
    writeFileSync(large, 'review\n' + toyReviews(80_000, 3).map((r) => r.text).join('\n') + '\n');
    app.dialogAnswers.push(large);
    await form.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => form.getByLabel('Results file').inputValue()).toBe(join(app.dir, 'large-predictions.xlsx'));
    await form.getByRole('radio', { name: 'JSON Lines' }).check();
    const cancelled = join(app.dir, 'large-predictions.jsonl');
    expect(await form.getByLabel('Results file').inputValue()).toBe(cancelled);
    await form.getByRole('button', { name: 'Label the reviews' }).click();
    const bar = page.getByRole('progressbar', { name: 'Reviews labelled' });
    await expect.poll(() => bar.getAttribute('aria-valuenow').then(Number), { timeout: 30_000 }).toBeGreaterThan(0);
    await app.screenshot('predict-03-progress');
    await page.getByRole('region', { name: 'Labelling the reviews…' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await summary.count()).toBe(0);
    expect(existsSync(cancelled)).toBe(false);

    app.dialogAnswers.push(input);
    await form.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => form.getByText('504 KB', { exact: false }).count()).toBe(1);
    const jsonl = join(app.dir, 'scored.jsonl');
    app.dialogAnswers.push(jsonl);
    await form.getByRole('button', { name: 'Save as…' }).click();
    await app.screenshot('predict-04-bundle');
    await form.getByRole('button', { name: 'Label the reviews' }).click();
    await summary.waitFor({ timeout: 60_000 });
    const lines = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; label: string });
    expect(lines).toHaveLength(6000);
    expect(lines[0]).toMatchObject({ line: 2, label: firstLabel });

    // A bundle needs no project: Predict is on the start screen's bar too.
    await invoke(app, 'project:close', {});
    await page.reload();
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Predict' }).click();
    await page.getByRole('heading', { level: 1, name: 'Predict' }).waitFor();
    await form.getByText('No project is open').waitFor();
    expect(await form.getByRole('radio').first().getAttribute('value')).toBe('bundle');
    await form.getByLabel('Bundle folder').fill(bundle);
    await form.getByLabel('Bundle folder').press('Tab');
    await form.getByText(`Run #${runId} of “Film reviews”`, { exact: false }).waitFor();
    await form.getByLabel('File (CSV, TSV, JSON Lines, JSON, XLSX or TXT)').fill(input);
    await form.getByLabel('File (CSV, TSV, JSON Lines, JSON, XLSX or TXT)').press('Tab');
    await expect.poll(() => column.inputValue()).toBe('review');
    await expect.poll(() => form.getByLabel('Results file').inputValue()).toBe(join(app.dir, 'new-reviews-predictions.csv'));
    await app.screenshot('predict-05-no-project');
    await form.getByRole('button', { name: 'Label the reviews' }).click();
    await summary.waitFor({ timeout: 60_000 });
    // With a BOM, so Excel reads the CSV as UTF-8.
    expect(readFileSync(join(app.dir, 'new-reviews-predictions.csv'), 'utf8').split(/\r?\n/)[0]).toBe('\ufeffline,text,label,p_positive,p_negative');

    // A file that is there already is not replaced unasked: the handler's message is shown.
    await summary.getByRole('button', { name: 'Label another file' }).click();
    await form.getByLabel('Results file').fill(jsonl);
    await form.getByRole('button', { name: 'Label the reviews' }).click();
    await expect.poll(() => form.getByRole('alert').filter({ hasText: 'already exists' }).isVisible()).toBe(true);
  }, 240_000);
});

describe('Runs screen exports and the labelled-data export', () => {
  it('writes the run report as HTML and PDF, the model bundle with its zip, and labelled data as XLSX', async () => {
    const app = await e2e.open({ dialogs: true, viewport: { width: 1280, height: 900 } });
    const { page } = app;
    const runId = await projectWithRun(app, { longReview: true });
    await openSection(page, 'Runs', 'Runs');
    await page.getByRole('checkbox', { name: `Select run #${runId}` }).check();
    const actions = page.getByRole('toolbar', { name: 'Run actions' });

    // HTML: the default format; the save dialog suggests the report's name.
    await actions.getByRole('button', { name: 'Report…' }).click();
    const dialog = page.getByRole('dialog', { name: `Report on run #${runId}` });
    const html = join(app.dir, `Film reviews-run-${runId}-report.html`);
    app.dialogAnswers.push(html);
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await expect.poll(() => dialog.getByLabel('Report file').inputValue()).toBe(html);
    await dialog.getByText('Written in English').waitFor();
    await app.screenshot('exports-01-report-dialog');
    await dialog.getByRole('button', { name: 'Write report' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Report written to ${html}` }).isVisible(), { timeout: 60_000 }).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain(`#${runId}`);

    // PDF: choosing it renames the file; Chromium prints it.
    await actions.getByRole('button', { name: 'Report…' }).click();
    await dialog.getByRole('radio', { name: /^PDF/ }).check();
    const pdf = join(app.dir, 'report.pdf');
    app.dialogAnswers.push(pdf);
    await dialog.getByRole('button', { name: 'Save as…' }).click();
    await dialog.getByRole('button', { name: 'Write report' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Report written to ${pdf}` }).isVisible(), { timeout: 60_000 }).toBe(true);
    expect(readFileSync(pdf).subarray(0, 4).toString('latin1')).toBe('%PDF');
    await app.screenshot('exports-02-report-written');

    // The model bundle and its zip, both named in the notice.
    const bundle = join(app.dir, 'film-model');
    app.dialogAnswers.push(bundle);
    await actions.getByRole('button', { name: 'Export model…' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Model bundle written to ${bundle}, and as one file to send: ${bundle}.zip.` }).isVisible()).toBe(true);
    expect(existsSync(`${bundle}.zip`)).toBe(true);

    // Labelled data from the Overview: XLSX, current labels, one text cut to fit a cell.
    await openSection(page, 'Overview', 'Film reviews');
    await page.getByRole('button', { name: 'Export labelled data…' }).click();
    const exportDialog = page.getByRole('dialog', { name: 'Export labelled data' });
    await exportDialog.getByRole('radio', { name: /^Excel \(XLSX\)/ }).check();
    const xlsx = join(app.dir, 'labels.xlsx');
    app.dialogAnswers.push(xlsx);
    await exportDialog.getByRole('button', { name: 'Save as…' }).click();
    await app.screenshot('exports-03-data-dialog');
    await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: `Exported 300 rows to ${xlsx}. Texts cut to Excel’s 32,767-character cell limit: 1.` }).isVisible())
      .toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    expect(book.getWorksheet('Labels')!.rowCount).toBe(301);
    await app.screenshot('exports-04-data-exported');

    // The full history through the menu command, as JSON Lines.
    await page.evaluate(() => (window as unknown as { __studioEmit: (e: string, p: unknown) => void }).__studioEmit('app:command', { command: 'export' }));
    await exportDialog.getByRole('radio', { name: /^Full label history/ }).check();
    await exportDialog.getByRole('radio', { name: /^JSON Lines/ }).check();
    const history = join(app.dir, 'history.jsonl');
    await exportDialog.getByLabel('File', { exact: true }).fill(history);
    await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Exported 300 rows to ${history}.` }).isVisible()).toBe(true);
    expect(readFileSync(history, 'utf8').trim().split('\n')).toHaveLength(300);
  }, 240_000);
});

describe('fine-tuning from the app', () => {
  it('fine-tunes a run from the Runs screen and a bundle from the Train screen, with the architecture locked', async () => {
    const app = await e2e.open({ dialogs: true, viewport: { width: 1280, height: 1000 } });
    const { page } = app;
    const parent = await projectWithRun(app);
    await openSection(page, 'Runs', 'Runs');
    await page.getByRole('checkbox', { name: `Select run #${parent}` }).check();
    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Fine-tune…' }).click();
    await page.getByRole('heading', { level: 1, name: 'Train a model' }).waitFor();

    const banner = page.getByRole('region', { name: `Fine-tuning run #${parent} (GRU, max len 16, 4 units, embed 8, vocab 200) on the current labels` });
    await banner.waitFor();
    const form = page.getByRole('form', { name: 'Training settings' });
    await form.locator('summary', { hasText: 'Advanced' }).click();
    for (const name of ['maxLen', 'units', 'embedDim', 'vocabSize', 'cell', 'bidirectional']) expect(await form.locator(`#hp-${name}`).isDisabled()).toBe(true);
    expect(await form.locator('#hp-maxLen').inputValue()).toBe('16');
    for (const name of ['epochs', 'learningRate', 'batchSize', 'patience', 'freezeEmbedding']) expect(await form.locator(`#hp-${name}`).isDisabled()).toBe(false);
    await form.getByRole('checkbox', { name: /^Freeze the embedding/ }).check();
    expect(await form.locator('#hp-freezeEmbedding').isChecked()).toBe(true);
    await form.getByRole('checkbox', { name: /^Also train the baseline/ }).uncheck();
    await app.screenshot('exports-05-fine-tune-run');

    await form.getByRole('button', { name: 'Start fine-tuning' }).click();
    await expect.poll(() => invoke<RunHistoryEntry[]>(app, 'runs:list', {}).then((runs) => runs.length)).toBe(2);
    const child = (await invoke<RunHistoryEntry[]>(app, 'runs:list', {})).at(-1)!.id;
    expect(await finished(app, child)).toBe('done');
    const runs = await invoke<RunHistoryEntry[]>(app, 'runs:list', {});
    expect(runs.find((r) => r.id === child)).toMatchObject({ parentRunId: parent, hyperparameters: { freezeEmbedding: true, maxLen: 16, units: 4 } });
    await page.getByRole('button', { name: 'See all runs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    const row = (id: number) => page.getByRole('table', { name: 'Run history' }).locator(`tr[data-run-id="${id}"]`);
    await expect.poll(() => row(child).getByText(`fine-tuned from #${parent}`).isVisible()).toBe(true);

    // A bundle from the Train screen: what it holds is shown before it is used.
    const bundle = join(app.dir, 'shared-model');
    await invoke(app, 'runs:export', { runId: parent, path: bundle, zip: false });
    await openSection(page, 'Train', 'Train a model');
    await page.getByRole('button', { name: 'Fine-tune a bundle…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Fine-tune an exported model' });
    // A folder that is no bundle: the handler's message, and nothing to start.
    app.dialogAnswers.push(app.dir);
    await dialog.getByRole('button', { name: 'Choose folder…' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('is not a model bundle');
    expect(await dialog.getByRole('button', { name: 'Fine-tune this model' }).isDisabled()).toBe(true);
    app.dialogAnswers.push(bundle);
    await dialog.getByRole('button', { name: 'Choose folder…' }).click();
    await dialog.getByText(`Run #${parent} of “Film reviews”`).waitFor();
    await app.screenshot('exports-06-bundle-dialog');
    await dialog.getByRole('button', { name: 'Fine-tune this model' }).click();
    await page.getByRole('region', { name: /^Fine-tuning the bundle “shared-model”/ }).waitFor();
    expect(await form.locator('#hp-units').isDisabled()).toBe(true);
    await form.getByRole('checkbox', { name: /^Also train the baseline/ }).uncheck();
    await app.screenshot('exports-07-fine-tune-bundle');
    await form.getByRole('button', { name: 'Start fine-tuning' }).click();
    await expect.poll(() => invoke<RunHistoryEntry[]>(app, 'runs:list', {}).then((list) => list.length)).toBe(3);
    const bundleChild = (await invoke<RunHistoryEntry[]>(app, 'runs:list', {})).at(-1)!.id;
    expect(await finished(app, bundleChild)).toBe('done');
    await openSection(page, 'Runs', 'Runs');
    await expect.poll(() => row(bundleChild).getByText('fine-tuned from bundle shared-model').isVisible()).toBe(true);
    await app.screenshot('exports-08-lineage');
  }, 240_000);
});
