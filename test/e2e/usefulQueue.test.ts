/**
 * The "most useful next" queue: the analyst opens it before any model is current (the refresh
 * says to mark one in Runs), then with a tiny current model refreshes the suggestions (a progress
 * bar, then "Suggestions from run N · refreshed … · 40 unlabelled reviews scored") and labels the
 * least sure reviews with the keyboard, each time moving on to another unlabelled, suggested one.
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

async function train(app: StudioApp): Promise<number> {
  const { runId } = await invoke(app, 'train:start', { preset: 'fast', baseline: false, overrides: { epochs: 2, units: 4, embedDim: 8, maxLen: 24, minCount: 1 } });
  const ended = () => app.events.find((e) => e.name === 'train:finished' && (e.payload as { runId: number }).runId === runId);
  await expect.poll(ended, { timeout: 60_000 }).toBeDefined();
  expect((ended()!.payload as { status: string }).status).toBe('done');
  await expect.poll(() => app.service.activity).toBeNull();
  await invoke(app, 'runs:setCurrent', { runId });
  return runId;
}

/** The review on screen: its id from the card's heading. */
async function currentId(page: Page): Promise<number> {
  const heading = (await page.getByRole('article').getByRole('heading', { level: 2 }).textContent()) ?? '';
  return Number(/#(\d+)/.exec(heading)?.[1]);
}

describe('Most useful next', () => {
  it('refreshes suggestions with progress and labels the least sure reviews one after another', async () => {
    const app = await e2e.open({ viewport: { width: 1200, height: 860 } });
    const { page } = app;
    await invoke(app, 'project:create', { path: join(app.dir, 'films.sstudio'), name: 'Film reviews', labels: [...labelSetPresets.binary] });
    await invoke(app, 'import:run', { path: writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(200)), columns: { textColumn: 'text', labelColumn: 'label' } });
    const pool = toyReviews(40, 7).map((r) => ({ text: `${r.text} (pool)` }));
    const imported = await invoke(app, 'import:run', { path: writeJsonl(join(app.dir, 'pool.jsonl'), pool), columns: { textColumn: 'text' } });
    expect(imported.imported).toBe(40);
    await page.reload();
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Annotate' }).click();
    const annotate = page.getByRole('region', { name: 'Annotate' });
    await annotate.waitFor();

    // No model is current yet: choosing the queue tries to score the pool and says what to do.
    await page.getByLabel('Queue').selectOption({ label: 'Most useful next (model unsure)' });
    const panel = page.getByRole('region', { name: 'Model suggestions' });
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('Mark a run as the current model first (Runs');
    expect(await panel.getByRole('status').textContent()).toContain('No suggestions yet');

    const runId = await train(app);
    // The progress bar shows up while scoring; record it from inside the page, since 40 reviews score quickly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"][aria-label="Scoring unlabelled reviews"]');
        if (bar) seen.push(`${bar.getAttribute('aria-valuenow')}/${bar.getAttribute('aria-valuemax')}`);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await panel.getByRole('button', { name: 'Refresh suggestions' }).click();
    const summary = panel.getByRole('status');
    await expect.poll(() => summary.textContent(), { timeout: 60_000 }).toBe(`Suggestions from run ${runId} · refreshed just now · 40 unlabelled reviews scored`);
    expect(await panel.getByRole('alert').count()).toBe(0);
    // The keys belong to the review again, not to the button just clicked.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Annotate');
    const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(progressSeen).toContain('40/40');
    expect(app.events.filter((e) => e.name === 'predict:progress').at(-1)?.payload).toMatchObject({ rows: 40, totalBytes: 40 });

    // The least sure review comes first, with its suggestion on the card.
    const ranked = await invoke(app, 'items:useful', { limit: 3 });
    await expect.poll(() => currentId(page)).toBe(ranked.items[0]!.id);
    await expect.poll(() => page.locator('#review-suggestion').textContent()).toContain(ranked.items[0]!.prelabel!.label);
    await app.screenshot('useful-01');

    // Two labels by key: each is written, and the view moves on to another unlabelled, suggested review.
    const labelled: number[] = [];
    for (const key of ['1', '2']) {
      const id = await currentId(page);
      labelled.push(id);
      await page.keyboard.press(key);
      await expect.poll(() => currentId(page)).not.toBe(id);
    }
    const { items } = await invoke(app, 'items:list', { limit: 300 });
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(labelled.map((id) => byId.get(id)?.label)).toEqual(['positive', 'negative']);
    const now = byId.get(await currentId(page))!;
    expect(labelled).not.toContain(now.id);
    expect(now.label).toBeNull();
    expect(now.prelabel?.source).toBe(`run ${runId}`);
    expect(await page.locator('#review-suggestion').textContent()).toContain(now.prelabel!.label);
    expect(await page.getByRole('region', { name: 'Progress' }).textContent()).toContain('202 of 240 labelled');
  }, 180_000);
});
