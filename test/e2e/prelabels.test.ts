/**
 * Pre-labels end to end: a tiny model scores a file of new reviews on the Predict screen, which
 * adds them to the project unlabelled with the model's suggestions; in Annotate, Enter accepts a
 * suggestion (origin model-accepted) and a label key still overrides one.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Channel, RequestOf, ResponseOf } from '@common/contract';
import { labelSetPresets } from '@common/labels';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

async function invoke<C extends Channel>(app: StudioApp, channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await app.service.invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

/** "Film reviews": 200 labelled toy reviews and a tiny run marked current. */
async function projectWithRun(app: StudioApp): Promise<number> {
  await invoke(app, 'project:create', { path: join(app.dir, 'films.sstudio'), name: 'Film reviews', labels: [...labelSetPresets.binary] });
  const file = writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(200));
  await invoke(app, 'import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
  const { runId } = await invoke(app, 'train:start', { preset: 'fast', baseline: false, overrides: { epochs: 1, units: 4, embedDim: 8, maxLen: 16, minCount: 1, vocabSize: 200 } });
  const ended = () => app.events.find((e) => e.name === 'train:finished' && (e.payload as { runId: number }).runId === runId);
  await expect.poll(ended, { timeout: 60_000 }).toBeDefined();
  expect((ended()!.payload as { status: string }).status).toBe('done');
  await expect.poll(() => app.service.activity).toBeNull();
  await invoke(app, 'runs:setCurrent', { runId });
  await app.page.reload();
  return runId;
}

async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name }).click();
}

const reviewText = (page: Page) => page.getByTestId('review-text');

describe('Pre-labels from Predict', () => {
  it('adds new reviews with the model’s suggestions, then Enter accepts one and a label key overrides the next', async () => {
    const app = await e2e.open({ dialogs: true, viewport: { width: 1280, height: 900 } });
    const { page } = app;
    const runId = await projectWithRun(app);
    // Twelve new reviews and one already in the project (labelled): a duplicate, not re-added.
    const fresh = toyReviews(12, 31).map((r) => ({ text: `${r.text} (new)` }));
    const known = toyReviews(200)[0]!.text;
    const input = writeJsonl(join(app.dir, 'incoming.jsonl'), [...fresh, { text: known }]);

    await openSection(page, 'Predict');
    const form = page.getByRole('form', { name: 'Batch prediction' });
    await expect.poll(() => form.getByRole('radio', { name: 'The project’s current model' }).isChecked()).toBe(true);
    app.dialogAnswers.push(input);
    await form.getByRole('button', { name: 'Browse…' }).click();
    await expect.poll(() => form.getByLabel('Column with the review text').inputValue()).toBe('text');

    const destination = form.getByRole('radiogroup', { name: 'Destination' });
    expect(await destination.getByRole('radio', { name: 'Save to a file' }).isChecked()).toBe(true);
    await destination.getByRole('radio', { name: 'Add to this project as unlabelled reviews with suggestions' }).check();
    // No results file to choose: the path field is gone and the run is ready.
    expect(await form.getByLabel('Results file').count()).toBe(0);
    await app.screenshot('prelabels-01-form');
    await form.getByRole('button', { name: 'Add to the project' }).click();

    const summary = page.getByRole('region', { name: '12 reviews added to the project' });
    await summary.waitFor({ timeout: 60_000 });
    const figures = summary.getByRole('definition');
    const added = summary.locator('dl[aria-label="Added to the project"] dd');
    expect(await added.allTextContents()).toEqual(['12', '12', '1', '1']);
    expect(await figures.count()).toBeGreaterThan(4);
    expect(app.events.some((e) => e.name === 'import:progress')).toBe(true);
    await app.screenshot('prelabels-02-summary');

    await summary.getByRole('button', { name: 'Label them in Annotate' }).click();
    await page.getByRole('region', { name: 'Annotate' }).waitFor();
    expect(await page.getByLabel('Queue').inputValue()).toBe('unlabelled');
    await expect.poll(() => reviewText(page).textContent()).toBe(fresh[0]!.text);

    // The first new review: its suggestion on the card and on the label bar.
    const first = (await invoke(app, 'items:list', { label: 'unlabelled', limit: 2 })).items;
    const suggestion = first[0]!.prelabel!;
    expect(suggestion.source).toBe(`run ${runId}`);
    const card = page.getByRole('article');
    const shown = card.locator('#review-suggestion');
    await expect.poll(() => shown.textContent()).toContain(suggestion.label);
    const text = (await shown.textContent())!;
    expect(text).toContain('Model suggests:');
    expect(text).toContain(`${Math.round(suggestion.confidence * 100)}%`);
    expect(text).toContain(`from run ${runId}`);
    const labelBar = page.getByRole('group', { name: 'Labels' });
    const suggestedButton = labelBar.locator('button.suggested');
    expect(await suggestedButton.count()).toBe(1);
    expect(await suggestedButton.textContent()).toContain(suggestion.label);
    expect(await page.getByLabel('Keys').textContent()).toContain('accept suggestion');
    await app.screenshot('prelabels-03-suggestion');

    // Enter: the suggestion becomes the label (an ordinary label action), and the view moves on.
    await page.keyboard.press('Enter');
    await expect.poll(() => reviewText(page).textContent()).toBe(fresh[1]!.text);
    const history = await invoke(app, 'labels:history', { itemId: first[0]!.id });
    expect(history.at(-1)).toMatchObject({ label: suggestion.label, origin: 'model-accepted' });
    await expect.poll(() => page.getByRole('status').filter({ hasText: /\S/ }).first().textContent()).toContain(`Accepted the suggestion ${suggestion.label}`);

    // The next one: a label key overrides its suggestion.
    const next = first[1]!;
    const other = next.prelabel!.label === 'positive' ? { label: 'negative', key: '2' } : { label: 'positive', key: '1' };
    await page.keyboard.press(other.key);
    await expect.poll(async () => (await invoke(app, 'labels:history', { itemId: next.id })).at(-1)).toMatchObject({ label: other.label, origin: 'manual' });
    await expect.poll(() => reviewText(page).textContent()).toBe(fresh[2]!.text);
    await app.screenshot('prelabels-04-after');

    // Back on the accepted review: labelled now, so no suggestion and Enter does nothing.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => reviewText(page).textContent()).toBe(fresh[0]!.text);
    expect(await shown.count()).toBe(0);
    expect(await labelBar.locator('button.suggested').count()).toBe(0);
    await page.keyboard.press('Enter');
    expect((await invoke(app, 'labels:history', { itemId: first[0]!.id })).length).toBe(history.length);
    expect(await reviewText(page).textContent()).toBe(fresh[0]!.text);
  }, 180_000);
});
