/**
 * Studies on the Train screen, with the real trainer process: a learning curve whose chart gains
 * one point per finished trial, a random search whose table sorts and marks the best trial (and
 * links to its run under Runs), and a study that survives a reload, is cancelled, and offers
 * Resume and Delete.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunHistoryEntry } from '@common/contract';
import { labelSetPresets } from '@common/labels';
import type { StudySummary } from '@common/studies';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

async function invoke<T>(app: StudioApp, channel: string, payload: unknown): Promise<T> {
  const result = await app.service.invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

/** 300 toy reviews, the page reloaded onto the Train screen's given tab. */
async function toyProject(app: StudioApp, tab: 'Learning curve' | 'Search'): Promise<void> {
  await invoke(app, 'project:create', { path: join(app.dir, 'toy.sstudio'), name: 'Toy reviews', labels: [...labelSetPresets.binary] });
  const file = writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(300));
  await invoke(app, 'import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
  await app.page.reload();
  await openTrain(app.page);
  await app.page.getByRole('tab', { name: tab }).click();
}

async function openTrain(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Train' }).click();
  await page.getByRole('heading', { level: 1, name: 'Train a model' }).waitFor();
}

/** The fast preset shrunk so each trial takes seconds. */
const tiny: Record<string, string> = { maxLen: '24', embedDim: '8', units: '4', batchSize: '32', vocabSize: '200', minCount: '1', epochs: '1' };

async function baseSettings(page: Page, values: Record<string, string>): Promise<void> {
  const form = page.getByRole('form', { name: 'Base settings' });
  await form.getByRole('radio', { name: /^Fast/ }).check();
  await form.locator('summary', { hasText: 'Advanced' }).click();
  for (const [name, value] of Object.entries(values)) await form.locator(`#hp-${name}`).fill(value);
}

const strip = (page: Page) => page.getByRole('region', { name: 'Study progress' });
const trials = (page: Page) => page.getByRole('table', { name: 'Trials' });

async function studyEnds(page: Page, status: string): Promise<void> {
  await expect.poll(() => strip(page).getAttribute('data-status'), { timeout: 180_000 }).toBe(status);
}

/** The numbers of a column, top to bottom, as the table shows them ("71.3%" -> 71.3). */
async function columnNumbers(table: Locator, column: number): Promise<number[]> {
  const texts = await table.locator('tbody tr').evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent ?? ''), column);
  return texts.map((text) => Number.parseFloat(text.replace(/[^0-9.]/g, '')));
}

describe('Studies', () => {
  it('runs a learning curve: one chart point per finished trial, the outlook, and a trial run opened under Runs', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    await toyProject(app, 'Learning curve');
    await baseSettings(page, tiny);

    // Each point sets the training share itself: the base form's field is not for editing here.
    expect(await page.locator('#hp-trainFraction').isDisabled()).toBe(true);
    const setup = page.getByRole('form', { name: 'Learning curve' });
    // Four shares by default, each with the training labels it will use.
    await expect.poll(() => setup.getByRole('textbox', { name: /^Share \d \(%\)$/ }).count()).toBe(4);
    await expect.poll(() => setup.getByText(/≈ \d+ training labels/).count()).toBe(4);
    await expect.poll(() => setup.getByText(/same validation split/).isVisible()).toBe(true);
    // A share out of range is flagged on its chip and blocks the start.
    await setup.getByRole('textbox', { name: 'Share 1 (%)' }).fill('150');
    await expect.poll(() => setup.getByText('Above 0% and at most 100%.').isVisible()).toBe(true);
    expect(await setup.getByRole('button', { name: 'Start the learning curve' }).isDisabled()).toBe(true);
    await setup.getByRole('button', { name: 'Remove the 150% point' }).click();
    await expect.poll(() => setup.getByRole('textbox', { name: /^Share \d \(%\)$/ }).count()).toBe(3);
    await app.screenshot('studies-01-curve-setup');

    await setup.getByRole('button', { name: 'Start the learning curve' }).click();
    await expect.poll(() => strip(page).getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/^Learning curve · trial \d of 3$/);
    await page.getByRole('region', { name: /^Trial \d · run \d+$/ }).waitFor({ timeout: 60_000 });
    await app.screenshot('studies-02-curve-running');

    await studyEnds(page, 'done');
    const study = (await invoke<StudySummary[]>(app, 'studies:list', {}))[0]!;
    const finished = study.trials.filter((t) => t.status === 'done');
    expect(finished).toHaveLength(3);
    expect(await page.locator('figure[data-points]').getAttribute('data-points')).toBe(String(finished.length));
    expect(finished.map((t) => t.trainSize)).toEqual([...finished.map((t) => t.trainSize)].sort((a, b) => a! - b!));
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toMatch(/^(rising|slowing|flat)$/);
    expect(await trials(page).locator('tbody tr').count()).toBe(3);
    await app.screenshot('studies-03-curve-done');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('studies-04-curve-done-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The middle point's run opens under Runs, selected and tagged with its share.
    const middle = finished[1]!;
    await trials(page).getByRole('button', { name: `Open run #${middle.runId} in Runs` }).click();
    await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    const row = page.getByRole('table', { name: 'Run history' }).locator(`tr[data-run-id="${middle.runId}"]`);
    await expect.poll(() => row.getByRole('checkbox').isChecked()).toBe(true);
    expect(await row.getByText('curve 50%').isVisible()).toBe(true);
    await app.screenshot('studies-05-run-opened');
  }, 300_000);

  it('plans a search with a live grid count and inline errors, then runs it: the table sorts and the best trial is marked', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 1000 } });
    const { page } = app;
    await toyProject(app, 'Search');
    // The mode tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Search' }).press('ArrowLeft');
    expect(await page.getByRole('tab', { name: 'Learning curve' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Learning curve');
    await page.keyboard.press('End');
    expect(await page.getByRole('tab', { name: 'Search' }).getAttribute('aria-selected')).toBe('true');
    await baseSettings(page, tiny);

    const setup = page.getByRole('form', { name: 'Hyperparameter search' });
    const plan = setup.getByRole('status', { name: 'Search plan' });
    await setup.getByRole('checkbox', { name: /^Recurrent cell/ }).check();
    await setup.getByRole('textbox', { name: /^Values for Units/ }).fill('4, 8');
    // Random: the learning rate is a range, so only the listed fields make the grid.
    await expect.poll(() => plan.textContent()).toContain('2 × 2 = 4 combinations');
    await setup.getByRole('radio', { name: /^Grid/ }).check();
    await expect.poll(() => plan.textContent()).toContain('2 × 2 × 3 = 12 combinations');
    await setup.getByLabel('Trial budget').fill('3');
    await expect.poll(() => plan.textContent()).toContain('The budget runs 3 of the 12, drawn at random.');
    // A value the schema refuses is said beside its field, in the shared wording, and blocks the start.
    await setup.getByRole('textbox', { name: /^Values for Units/ }).fill('4, 2000');
    await expect.poll(() => setup.getByText(/2,000 is above the maximum 1,024/).isVisible()).toBe(true);
    expect(await setup.getByRole('button', { name: 'Start the search' }).isDisabled()).toBe(true);
    await app.screenshot('studies-06-search-invalid');
    await setup.getByRole('textbox', { name: /^Values for Units/ }).fill('4, 8');
    await setup.getByRole('radio', { name: /^Random/ }).check();
    await expect.poll(() => plan.textContent()).toContain('3 trials, each drawing its values');
    await app.screenshot('studies-07-search-setup');

    await setup.getByRole('button', { name: 'Start the search' }).click();
    await expect.poll(() => strip(page).getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/^Search · trial \d of 3$/);
    await studyEnds(page, 'done');

    const table = trials(page);
    const study = (await invoke<StudySummary[]>(app, 'studies:list', {}))[0]!;
    expect(study.bestTrial).not.toBeNull();
    // The best trial's row is marked, and the sentence says how it was chosen.
    const best = table.locator('tr.best');
    await expect.poll(() => best.count()).toBe(1);
    expect(await best.getAttribute('data-trial')).toBe(String(study.bestTrial! + 1));
    expect(await best.getByText('best', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText(/chosen on validation accuracy/).isVisible()).toBe(true);

    // One column per searched field; sorting by a header click, both ways.
    const headers = await table.locator('thead th').allTextContents();
    expect(headers.map((h) => h.replace(/[▲▼↕]/g, '').trim())).toEqual([
      'Trial', 'Run', 'Recurrent cell', 'Units', 'Learning rate', 'Best val. acc.', 'Val. loss', 'Test acc.', 'Macro-F1', 'Time', 'Status',
    ]);
    const accuracyHeader = table.locator('thead th').nth(5);
    await accuracyHeader.getByRole('button').click();
    expect(await accuracyHeader.getAttribute('aria-sort')).toBe('descending');
    const down = await columnNumbers(table, 5);
    expect(down).toEqual([...down].sort((a, b) => b - a));
    expect(await table.locator('tbody tr').first().getAttribute('class')).toContain('best');
    await app.screenshot('studies-08-search-sorted');
    await accuracyHeader.getByRole('button').click();
    expect(await accuracyHeader.getAttribute('aria-sort')).toBe('ascending');
    const up = await columnNumbers(table, 5);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    const unitsHeader = table.locator('thead th').nth(3);
    await unitsHeader.getByRole('button').click();
    expect(await unitsHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await accuracyHeader.getAttribute('aria-sort')).toBeNull();
    const units = await columnNumbers(table, 3);
    expect(units).toEqual([...units].sort((a, b) => a - b));

    // Every trial's run is tagged under Runs.
    const runs = await invoke<RunHistoryEntry[]>(app, 'runs:list', {});
    expect(runs.filter((r) => r.study?.id === study.id)).toHaveLength(3);
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Runs' }).click();
    await expect.poll(() => page.getByText(/^search · trial \d$/).count()).toBe(3);

    // The results read in Chinese too.
    await openTrain(page);
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByRole('region', { name: 'Earlier searches' }).getByRole('button', { name: `View study #${study.id}` }).click();
    await page.getByRole('table', { name: 'Trials' }).waitFor();
    await invoke(app, 'app:setSettings', { language: 'zh-CN' });
    await expect.poll(() => page.getByRole('tab', { name: '超参数搜索' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByText(/按验证准确率选出/).isVisible()).toBe(true);
    await app.screenshot('studies-12-search-zh');
  }, 300_000);

  it('survives a reload mid-study, cancels with the current trial kept, and offers Resume and Delete', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    await toyProject(app, 'Learning curve');
    // Many small batches and no early stopping: the first trial is still running when the page reloads.
    await baseSettings(page, { ...tiny, epochs: '1000', patience: '0', batchSize: '4' });
    const setup = page.getByRole('form', { name: 'Learning curve' });
    await setup.getByRole('button', { name: 'Remove the 10% point' }).click();
    await setup.getByRole('button', { name: 'Remove the 25% point' }).click();
    await setup.getByRole('button', { name: 'Start the learning curve' }).click();
    await expect.poll(() => page.locator('figure[data-epochs]').first().getAttribute('data-epochs').then(Number), { timeout: 90_000 }).toBeGreaterThanOrEqual(1);

    await page.reload();
    await openTrain(page);
    // The Learning curve tab, its strip and the live monitor come back from train:status.
    expect(await page.getByRole('tab', { name: 'Learning curve' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => strip(page).getByRole('status').textContent()).toBe('Learning curve · trial 1 of 2');
    await page.getByRole('region', { name: /^Trial 1 · run \d+$/ }).waitFor();
    expect(await page.getByRole('tab', { name: 'Single run' }).isDisabled()).toBe(true);
    await app.screenshot('studies-09-reattached');

    await strip(page).getByRole('button', { name: 'Cancel study' }).click();
    await studyEnds(page, 'cancelled');
    await expect.poll(() => strip(page).getByRole('status').textContent()).toBe('Learning curve #1 · cancelled · 1 of 2 trials ran');
    expect(await strip(page).getByRole('button', { name: 'Resume' }).isVisible()).toBe(true);
    const [study] = await invoke<StudySummary[]>(app, 'studies:list', {});
    expect(study!.trials[0]).toMatchObject({ status: 'cancelled' });
    expect(study!.trials[0]!.bestValAccuracy).not.toBeNull();
    await app.screenshot('studies-10-cancelled');

    // Back to the setup: the study is listed with Resume and Delete.
    await strip(page).getByRole('button', { name: 'New learning curve' }).click();
    const history = page.getByRole('region', { name: 'Earlier learning curves' });
    await history.getByRole('button', { name: 'Resume study #1' }).click();
    // Resume runs the trial left; cancelling it leaves nothing to resume.
    await expect.poll(() => strip(page).getByRole('status').textContent(), { timeout: 30_000 }).toBe('Learning curve · trial 2 of 2');
    await page.getByRole('region', { name: /^Trial 2 · run \d+$/ }).waitFor({ timeout: 60_000 });
    await strip(page).getByRole('button', { name: 'Cancel study' }).click();
    await studyEnds(page, 'cancelled');
    expect(await strip(page).getByRole('button', { name: 'Resume' }).count()).toBe(0);
    await strip(page).getByRole('button', { name: 'New learning curve' }).click();

    // Deleting asks first, and may take the study's runs along.
    await history.getByRole('button', { name: 'Delete study #1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete study #1?' });
    await dialog.getByRole('checkbox', { name: 'Also delete its 2 runs, with their models' }).check();
    await app.screenshot('studies-11-delete');
    await dialog.getByRole('button', { name: 'Delete study' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Learning curve #1 deleted, with 2 runs.' }).isVisible()).toBe(true);
    expect(await history.isVisible()).toBe(false);
    expect(await invoke<StudySummary[]>(app, 'studies:list', {})).toEqual([]);
    const left = await invoke<RunHistoryEntry[]>(app, 'runs:list', {});
    expect(left.filter((r) => r.study !== null)).toEqual([]);
  }, 300_000);
});
