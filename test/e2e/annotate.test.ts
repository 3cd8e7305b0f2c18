/**
 * Annotating as an analyst does: label twenty reviews with the keyboard alone, undo three,
 * search, bulk-label near-identical reviews in the list, then find every label again after
 * reopening the project, in this window and in a fresh service on the same file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Channel, RequestOf, ResponseOf } from '@common/contract';
import { labelSetPresets } from '../../src-main/common/labels';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

const longReview = [
  'We stayed four nights in late October and I want to give a fair, detailed account, because the reviews here helped us decide.',
  'The good: the room was quiet, the bed was excellent, and the staff at the front desk went out of their way to arrange an early check-in after our overnight flight. Breakfast had real variety and fresh fruit every day.',
  'The less good: the bathroom fan rattled, the wifi dropped every evening around nine, and the pool closed for cleaning two afternoons without notice.',
  'Overall we would come back, but ask for a room away from the lift.',
].join('\n\n');
const chinese = '酒店位置很好，房间干净整洁，服务员态度也很热情。早餐种类丰富，下次还会再来。';
const arabic = 'الفندق نظيف جدا والموظفون لطفاء، لكن الإفطار كان باردا. سأعود مرة أخرى.';

/** Forty reviews: thirty varied ones, then ten near-identical refund requests. */
function reviews(): string[] {
  const varied = Array.from({ length: 30 }, (_, i) => `Review ${i + 1}: ${['Great stay', 'Awful noise', 'Decent value', 'Lovely staff', 'Dirty carpets'][i % 5]} on visit ${i + 1}.`);
  varied[1] = longReview;
  varied[2] = chinese;
  varied[4] = arabic;
  const refunds = Array.from({ length: 10 }, (_, i) => `I want a refund for booking ${1000 + i}, the room was not as described.`);
  return [...varied, ...refunds];
}

function csvField(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

async function invoke<C extends Channel>(service: StudioService, channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await service.invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

async function setup(app: StudioApp): Promise<string> {
  const path = join(app.dir, 'hotel.sstudio');
  await invoke(app.service, 'project:create', { path, name: 'Hotel reviews', labels: [...labelSetPresets.binary] });
  const csv = join(app.dir, 'reviews.csv');
  writeFileSync(csv, ['text', ...reviews().map(csvField)].join('\n'));
  const imported = await invoke(app.service, 'import:run', { path: csv, columns: { textColumn: 'text' } });
  expect(imported.imported).toBe(40);
  await app.page.reload();
  await app.page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Annotate' }).click();
  return path;
}

const reviewHeading = (page: Page) => page.getByRole('article').getByRole('heading', { level: 2 });
const status = (page: Page) => page.getByRole('status').filter({ hasText: /\S/ }).first();

/** Every item's current label, as the project file says. */
async function labelsOf(service: StudioService): Promise<Map<number, string | null>> {
  const { items } = await invoke(service, 'items:list', { limit: 1000 });
  return new Map(items.map((i) => [i.id, i.label]));
}

describe('annotate', () => {
  it('labels with the keyboard, undoes, searches, bulk-labels, and keeps every label across reopening', async () => {
    const app = await e2e.open({ viewport: { width: 1200, height: 860 } });
    const { page } = app;
    const path = await setup(app);

    await expect.poll(() => reviewHeading(page).textContent()).toBe('Review #1');
    const labelButtons = page.getByRole('group', { name: 'Labels' }).getByRole('button');
    await expect.poll(async () => (await labelButtons.allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim())).toEqual(['1 positive', '2 negative']);

    // Twenty reviews, keyboard only: 1 = positive, 2 = negative, alternating.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press(i % 2 === 0 ? '1' : '2');
      await expect.poll(() => reviewHeading(page).textContent()).toBe(`Review #${i + 2}`);
    }
    await expect.poll(() => status(page).textContent()).toContain('Labelled negative · Undo (Ctrl+Z)');
    await expect.poll(() => page.getByRole('region', { name: 'Progress' }).textContent()).toContain('20 of 40 labelled');
    await app.screenshot('annotate-01-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('annotate-02-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Undo three (Backspace and Ctrl+Z): back on review 18, unlabelled again.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Backspace');
    await expect.poll(() => reviewHeading(page).textContent()).toBe('Review #18');
    await expect.poll(() => page.getByRole('article').textContent()).toContain('Unlabelled');
    await expect.poll(async () => (await invoke(app.service, 'project:summary', {})).labelled).toBe(17);

    // Skip and back: Space moves on without labelling, ← returns.
    await page.keyboard.press('Space');
    await expect.poll(() => reviewHeading(page).textContent()).toBe('Review #19');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => reviewHeading(page).textContent()).toBe('Review #18');

    // The long review keeps its paragraphs; label keys do nothing while typing in the search box.
    await page.keyboard.press('ArrowLeft');
    for (let i = 17; i > 2; i--) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => reviewHeading(page).textContent()).toBe('Review #2');
    await expect.poll(() => page.getByTestId('review-text').textContent()).toBe(longReview);
    expect(await page.getByTestId('review-text').evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    await app.screenshot('annotate-03-long-review');

    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('annotate-search');
    await page.keyboard.press('Escape');
    await page.getByLabel('Queue').selectOption({ label: 'All reviews' });
    await page.keyboard.press('/');
    await page.keyboard.type('干净 1');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('review-text').textContent()).toBe(chinese);
    await expect.poll(() => page.getByRole('search').textContent()).toContain('1 matching');
    await app.screenshot('annotate-04-chinese');
    expect((await invoke(app.service, 'project:summary', {})).labelled).toBe(17);

    await page.keyboard.press('/');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('نظيف');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('review-text').textContent()).toBe(arabic);
    expect(await page.getByTestId('review-text').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await app.screenshot('annotate-05-arabic');

    // List mode: the ten refund requests, selected with a click and a shift-click, labelled at once.
    await page.keyboard.press('/');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('refund for booking');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('search').textContent()).toContain('10 matching');
    await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'List' }).click();
    const list = page.getByRole('region', { name: 'Reviews' });
    await expect.poll(() => list.getByRole('row').count()).toBe(11);
    // The page comes first and its count after it (items:count).
    const pager = list.getByRole('navigation');
    await expect.poll(() => pager.textContent()).toContain('1–10 of 10');
    const ids = (await labelsOf(app.service)).size;
    expect(ids).toBe(40);
    await list.getByRole('checkbox', { name: 'Select review #31' }).click();
    await list.getByRole('checkbox', { name: 'Select review #40' }).click({ modifiers: ['Shift'] });
    await expect.poll(() => list.getByText('10 selected').isVisible()).toBe(true);
    await app.screenshot('annotate-06-list');
    await list.getByRole('toolbar').getByRole('button', { name: 'negative' }).click();
    await expect.poll(() => status(page).textContent()).toContain('Labelled 10 reviews negative');
    await expect.poll(() => list.getByRole('cell', { name: 'negative', exact: true }).count()).toBe(10);

    // A large selection asks first; cancelling changes nothing.
    await page.keyboard.press('/');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await expect.poll(() => list.getByRole('row').count()).toBe(41);
    await expect.poll(() => pager.textContent()).toContain('1–40 of 40');
    await list.getByRole('checkbox', { name: 'Select every review on this page' }).click();
    await expect.poll(() => list.getByText('40 selected').isVisible()).toBe(true);
    await list.getByRole('toolbar').getByRole('button', { name: 'positive' }).click();
    const dialog = page.getByRole('dialog', { name: 'Label 40 reviews as positive?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await app.screenshot('annotate-07-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    const expected = await labelsOf(app.service);
    expect([...expected.values()].filter((l) => l !== null)).toHaveLength(27);
    for (let id = 1; id <= 17; id++) expect(expected.get(id)).toBe(id % 2 === 1 ? 'positive' : 'negative');
    for (let id = 18; id <= 30; id++) expect(expected.get(id)).toBeNull();
    for (let id = 31; id <= 40; id++) expect(expected.get(id)).toBe('negative');
    const history = await invoke(app.service, 'labels:history', { itemId: 19 });
    expect(history.map((e) => [e.label, e.origin])).toEqual([['positive', 'manual'], [null, 'undo']]);
    const bulk = await invoke(app.service, 'labels:history', { itemId: 35 });
    expect(bulk.map((e) => [e.label, e.origin, e.annotator])).toEqual([['negative', 'bulk', 'e2e']]);

    // Reopen in this window: the progress strip reads the same counts from the file.
    await invoke(app.service, 'project:close', {});
    await invoke(app.service, 'project:open', { path });
    await page.reload();
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Annotate' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Progress' }).textContent()).toContain('27 of 40 labelled');
    await expect.poll(() => reviewHeading(page).textContent()).toBe('Review #18');
    expect(await labelsOf(app.service)).toEqual(expected);

    // And a fresh service (another process, in effect) on the same file.
    await invoke(app.service, 'project:close', {});
    const fresh = createStudioService({ appVersion: '0.0.0-e2e', annotator: 'other' });
    try {
      await invoke(fresh, 'project:open', { path });
      expect(await labelsOf(fresh)).toEqual(expected);
      expect((await invoke(fresh, 'project:summary', {})).perLabel).toEqual({ positive: 9, negative: 18 });
    } finally {
      await fresh.dispose();
    }
  }, 120_000);
});
