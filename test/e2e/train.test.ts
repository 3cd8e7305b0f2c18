/**
 * The Train screen end to end, with the real trainer process: a tiny run started from the form
 * streams into the charts and ends with test metrics and the baseline comparison; a second run
 * survives a reload mid-run (the screen reattaches) and is cancelled, keeping its best model.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '@common/contract';
import { labelSetPresets } from '@common/labels';
import { setupE2E, type StudioApp } from './harness';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

const e2e = setupE2E();

async function invoke<T>(app: StudioApp, channel: string, payload: unknown): Promise<T> {
  const result = await app.service.invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

/** A project of 300 toy reviews, shown in the page (it picks the open project up on load). */
async function toyProject(app: StudioApp): Promise<void> {
  await invoke(app, 'project:create', { path: join(app.dir, 'toy.sstudio'), name: 'Toy reviews', labels: [...labelSetPresets.binary] });
  const file = writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(300));
  await invoke(app, 'import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
  await app.page.reload();
  await openTrain(app.page);
}

async function openTrain(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Train' }).click();
  await page.getByRole('heading', { level: 1, name: 'Train a model' }).waitFor();
}

/** By hyperparameter name (each field shows it beside its label). */
const tiny: Record<string, string> = { maxLen: '24', embedDim: '8', units: '4', batchSize: '32', vocabSize: '200' };

async function fillAdvanced(page: Page, values: Record<string, string>): Promise<void> {
  const form = page.getByRole('form', { name: 'Training settings' });
  for (const [name, value] of Object.entries(values)) await form.locator(`#hp-${name}`).fill(value);
}

const attribute = (page: Page, selector: string, name: string) => page.locator(selector).first().getAttribute(name).then(Number);

async function runs(app: StudioApp): Promise<RunSummary[]> {
  return invoke<RunSummary[]>(app, 'runs:list', {});
}

describe('Train screen', () => {
  it('trains a tiny model from the form, streams the charts and shows the test metrics and the baseline comparison', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    await toyProject(app);

    // The data panel: per-split counts and the length histogram with the max length marked.
    const data = page.getByRole('region', { name: 'Data for this run' });
    await expect.poll(() => data.locator('figure[data-bins]').count()).toBe(1);
    await expect.poll(() => attribute(page, 'figure[data-bins]', 'data-max-len')).toBe(400);
    await expect.poll(() => data.getByRole('rowheader', { name: 'Train' }).isVisible()).toBe(true);
    await app.screenshot('train-01-form');

    const form = page.getByRole('form', { name: 'Training settings' });
    await form.locator('summary', { hasText: 'Advanced' }).click();
    // A value out of range is flagged inline, in the CLI's words, and the run cannot start.
    await fillAdvanced(page, { maxLen: '5' });
    await expect.poll(() => form.getByText('5 is below the minimum 8 (allowed 8–2,000)').isVisible()).toBe(true);
    expect(await form.getByRole('button', { name: 'Start training' }).isDisabled()).toBe(true);
    await fillAdvanced(page, { ...tiny, maxLen: '8', epochs: '3' });
    // 8 tokens cut most toy reviews: the warning says so, the histogram moves its mark, and one
    // click takes a length that fits nine reviews in ten.
    await expect.poll(() => data.getByText(/A max length of 8 tokens cuts/).isVisible()).toBe(true);
    await expect.poll(() => attribute(page, 'figure[data-bins]', 'data-max-len')).toBe(8);
    await app.screenshot('train-02-advanced');
    await data.getByRole('button', { name: 'Use 24' }).click();
    expect(await form.locator('#hp-maxLen').inputValue()).toBe('24');
    await expect.poll(() => data.getByText(/A max length of/).count()).toBe(0);

    await form.getByRole('button', { name: 'Start training' }).click();
    const monitor = page.getByRole('region', { name: /^Run \d+$/ });
    await monitor.waitFor();
    // The automatic baseline goes first, then the batch-loss chart fills and the epoch panels follow.
    await expect.poll(() => attribute(page, 'figure[data-points]', 'data-points'), { timeout: 90_000 }).toBeGreaterThan(0);
    await expect.poll(() => monitor.getByText(/Backend: wasm/).isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => attribute(page, 'figure[data-epochs]', 'data-epochs'), { timeout: 90_000 }).toBe(3);
    await expect.poll(() => monitor.getAttribute('data-status'), { timeout: 90_000 }).toBe('done');

    const results = monitor.getByRole('region', { name: 'Test results' });
    await expect.poll(() => results.getByText('Accuracy').first().isVisible()).toBe(true);
    await expect.poll(() => results.getByText(/(beats|falls short of|ties with) the baseline/).isVisible()).toBe(true);
    expect(await monitor.getByText(/The n-gram baseline \(run \d+\) is trained/).isVisible()).toBe(true);
    const all = await runs(app);
    const baseline = all.find((r) => r.kind === 'nbsvm');
    const run = all.find((r) => r.kind !== 'nbsvm');
    expect(baseline).toMatchObject({ kind: 'nbsvm', status: 'done' });
    expect(run).toMatchObject({ status: 'done', hyperparameters: { maxLen: 24, embedDim: 8, units: 4, epochs: 3 } });
    expect(run!.baseline?.text).toBeTruthy();
    expect(app.events.filter((e) => e.name === 'train:evaluating').length).toBeGreaterThan(0);
    await app.screenshot('train-03-done-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('train-04-done-dark');
  }, 240_000);

  it('reattaches after a reload mid-run, and a cancel keeps the best model so far', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    await toyProject(app);
    const form = page.getByRole('form', { name: 'Training settings' });
    await form.locator('summary', { hasText: 'Advanced' }).click();
    // Many epochs and no early stopping: the run is still going when the page reloads.
    await fillAdvanced(page, { ...tiny, epochs: '400', patience: '0' });
    await form.getByRole('button', { name: 'Start training' }).click();

    const monitor = page.getByRole('region', { name: /^Run \d+$/ });
    await expect.poll(() => attribute(page, 'figure[data-epochs]', 'data-epochs'), { timeout: 90_000 }).toBeGreaterThanOrEqual(1);
    const runId = Number(await monitor.getAttribute('data-run-id'));

    await page.reload();
    await openTrain(page);
    // The same run, its epochs and its batch losses redrawn from train:status, and still streaming.
    await expect.poll(() => monitor.getAttribute('data-run-id')).toBe(String(runId));
    await expect.poll(() => attribute(page, 'figure[data-epochs]', 'data-epochs')).toBeGreaterThanOrEqual(1);
    const pointsAfterReload = await attribute(page, 'figure[data-points]', 'data-points');
    expect(pointsAfterReload).toBeGreaterThan(0);
    await expect.poll(() => attribute(page, 'figure[data-points]', 'data-points'), { timeout: 60_000 }).toBeGreaterThan(pointsAfterReload);
    await expect.poll(() => monitor.getByText(/Backend: /).isVisible()).toBe(true);
    await app.screenshot('train-05-reattached');

    await monitor.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => monitor.getAttribute('data-status'), { timeout: 90_000 }).toBe('cancelled');
    await expect.poll(() => monitor.getByText(/The best model so far \(epoch \d+\) is kept/).isVisible()).toBe(true);
    const run = (await runs(app)).find((r) => r.id === runId)!;
    expect(run.status).toBe('cancelled');
    expect(run.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(run.test).not.toBeNull();
    await app.screenshot('train-06-cancelled');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('train-07-cancelled-dark');
  }, 240_000);
});
