/**
 * The Evaluate screen's Label check tab against the real handler map and trainer: toy reviews with
 * 15 labels flipped on purpose, a check with n-gram folds (seconds), the suspect queue worked from
 * the keyboard (relabel with the suggested label's key, c, s, Ctrl+Z), a reload in the middle,
 * and LSTM/GRU checks cancelled, one started from the form and one followed after a reload.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagQuality } from '../../src-main/common/labelCheck';
import { labelSetPresets } from '../../src-main/common/labels';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** 300 toy reviews, every twentieth label flipped: returns the texts whose label is wrong. */
async function arrange(app: StudioApp): Promise<Set<string>> {
  value(await app.service.invoke('project:create', { path: join(app.dir, 'reviews.sstudio'), name: 'Film reviews', labels: [...labelSetPresets.binary] }));
  const rows = toyReviews(300);
  const flipped = new Set<string>();
  rows.forEach((r, i) => {
    if (i % 20 !== 7) return;
    r.label = r.label === 'positive' ? 'negative' : 'positive';
    flipped.add(r.text);
  });
  const file = writeJsonl(join(app.dir, 'toy.jsonl'), rows);
  value(await app.service.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } }));
  return flipped;
}

const keyOf = (label: string | null) => labelSetPresets.binary.find((l) => l.name === label)!.key;
const percent = (v: number) => new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);

describe('Label check', () => {
  it('flags flipped labels with n-gram folds, takes one-key reviews, survives a reload and a cancelled check', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    const flipped = await arrange(app);
    expect(flipped.size).toBe(15);
    await page.reload();

    const openLabelCheck = async () => {
      await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Evaluate' }).click();
      await page.getByRole('heading', { level: 1, name: 'Evaluate' }).waitFor();
    };
    await openLabelCheck();
    // No model run yet: the first tab says so, and the tab strip works from the keyboard.
    await page.getByRole('heading', { name: 'Nothing to evaluate yet' }).waitFor();
    const tabs = page.getByRole('tablist', { name: 'Evaluate views' });
    await tabs.getByRole('tab', { name: 'Model errors' }).focus();
    await page.keyboard.press('ArrowRight');
    const labelTab = tabs.getByRole('tab', { name: 'Label check' });
    await expect.poll(() => labelTab.getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('evaluate-tab-labels');
    const panel = page.getByRole('tabpanel', { name: 'Label check' });
    await panel.getByRole('heading', { name: 'No label check yet' }).waitFor();
    await app.screenshot('labelcheck-01-empty');

    // A check with n-gram folds: seconds, then the queue.
    await panel.getByRole('radio', { name: /^n-gram baseline/ }).check();
    await panel.getByRole('button', { name: 'Find likely label errors' }).click();
    const queue = panel.getByRole('region', { name: 'Suspect labels' });
    const counters = queue.locator('[aria-label="Queue counters"]');
    const counter = async (name: 'flagged' | 'reviewed' | 'remaining') => Number(await counters.getAttribute(`data-${name}`));
    await expect.poll(() => counters.count(), { timeout: 60_000 }).toBe(1);
    const flagged = await counter('flagged');
    expect(flagged).toBeGreaterThanOrEqual(4);
    expect(await counter('reviewed')).toBe(0);
    expect(await counter('remaining')).toBe(flagged);
    await expect.poll(() => panel.getByRole('status').filter({ hasText: /^Label check #\d+ finished/ }).isVisible()).toBe(true);

    const runs = value(await app.service.invoke('runs:list', {}));
    const check = runs.find((r) => r.kind === 'crossval')!;
    expect(check).toMatchObject({ status: 'done', hasModel: false, hyperparameters: { foldModel: 'baseline', folds: 5 } });
    const latest = panel.getByRole('region', { name: `Latest check · #${check.id}` });
    expect(await latest.locator('[data-figure="checked"] dd').textContent()).toBe('300');
    expect(await latest.locator('[data-figure="flagged"] dd').textContent()).toBe(String(flagged));
    expect(await latest.locator('[data-figure="accuracy"] dd').textContent()).toBe(percent(check.test!.accuracy));
    expect(await panel.getByRole('button', { name: 'Run again' }).isEnabled()).toBe(true);
    // The form offers the same choices for the next check.
    expect(await panel.getByRole('radio', { name: /^n-gram baseline/ }).isChecked()).toBe(true);
    // The suspects are mostly the flipped labels (the handler's ranking, shown as it is).
    const suspects = value(await app.service.invoke('labels:suspects', { limit: 500 }));
    expect(flagQuality(suspects.rows.map((r) => r.text), flipped).found).toBeGreaterThanOrEqual(3);

    const card = queue.getByRole('article');
    const cardId = async () => Number(await card.getAttribute('data-item-id'));
    expect(await cardId()).toBe(suspects.rows[0]!.itemId);
    expect(await card.getByText(`Suspect 1 of ${flagged}`).isVisible()).toBe(true);
    const suggested = (await card.getAttribute('data-suggested'))!;
    expect(suggested).not.toBe(await card.getAttribute('data-given'));
    const suggestedButton = card.getByRole('button', { name: `Relabel review #${await cardId()} as ${suggested}` });
    expect(await suggestedButton.getAttribute('class')).toContain('suggested');
    expect(await card.getByText(/^The models are \d+(\.\d)?% sure it is /).isVisible()).toBe(true);
    expect(await queue.getByRole('complementary', { name: 'Next up' }).getByRole('listitem').count()).toBe(Math.min(8, flagged - 1));
    await app.screenshot('labelcheck-02-queue');

    // Relabel the first suspect with its suggested label's key: it leaves the queue.
    const first = await cardId();
    await page.keyboard.press(keyOf(suggested));
    await expect.poll(() => counter('reviewed')).toBe(1);
    expect(await counter('remaining')).toBe(flagged - 1);
    await expect.poll(cardId).toBe(suspects.rows[1]!.itemId);
    expect(value(await app.service.invoke('labels:history', { itemId: first })).at(-1)).toMatchObject({ label: suggested, origin: 'review' });
    expect(await page.getByRole('status').filter({ hasText: `Review #${first} is now ${suggested}.` }).isVisible()).toBe(true);

    // "c": the label is right; the next one moves up.
    const second = await cardId();
    await page.keyboard.press('c');
    await expect.poll(() => counter('reviewed')).toBe(2);
    expect(await counter('remaining')).toBe(flagged - 2);
    await expect.poll(cardId).toBe(suspects.rows[2]!.itemId);

    // "s": skip without a review; the counters stay.
    await page.keyboard.press('s');
    await expect.poll(cardId).toBe(suspects.rows[3]!.itemId);
    expect(await card.getByText(`Suspect 2 of ${flagged - 2}`).isVisible()).toBe(true);
    expect(await counter('reviewed')).toBe(2);

    // Ctrl+Z takes back the confirmation and shows that suspect again.
    await page.keyboard.press('Control+z');
    await expect.poll(() => counter('reviewed')).toBe(1);
    expect(await counter('remaining')).toBe(flagged - 1);
    await expect.poll(cardId).toBe(second);
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Undone: review #${second}` }).isVisible()).toBe(true);
    // ← goes back to the previous suspect (the first one is reviewed and out of the queue).
    await page.keyboard.press('ArrowRight');
    await expect.poll(cardId).toBe(suspects.rows[2]!.itemId);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(cardId).toBe(second);
    await app.screenshot('labelcheck-03-reviewed');

    // Shown with the reviewed ones, the relabelled suspect says so.
    await queue.getByRole('checkbox', { name: 'Show reviewed' }).check();
    await expect.poll(cardId).toBe(first);
    expect(await card.getAttribute('data-review')).toBe('relabelled');
    expect(await card.getByText(`Relabelled · now ${suggested}`).isVisible()).toBe(true);
    expect(await counter('reviewed')).toBe(1);
    expect(await card.getByText(`Suspect 1 of ${flagged}`).isVisible()).toBe(true);
    await app.screenshot('labelcheck-04-show-reviewed');
    await queue.getByRole('checkbox', { name: 'Show reviewed' }).uncheck();
    await expect.poll(cardId).toBe(second);

    // A reload in the middle: Evaluate comes back on the Label check tab with the queue.
    await page.reload();
    await openLabelCheck();
    await expect.poll(() => page.getByRole('tab', { name: 'Label check' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => counters.getAttribute('data-reviewed')).toBe('1');
    expect(await counter('remaining')).toBe(flagged - 1);
    expect(await cardId()).toBe(second);
    // The check is no model run: the Evaluate run picker does not offer it.
    await page.getByRole('tab', { name: 'Model errors' }).click();
    await page.getByRole('heading', { name: 'Nothing to evaluate yet' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Run' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Label check' }).click();
    await expect.poll(cardId).toBe(second);

    // An LSTM/GRU check from the form with tiny settings, cancelled while it starts.
    await panel.getByRole('radio', { name: /^LSTM\/GRU/ }).check();
    await panel.getByText('LSTM/GRU settings').click();
    for (const [name, v] of [['Epochs', '2'], ['Max length (tokens)', '16'], ['Units', '4'], ['Embedding size', '8']] as const) {
      await panel.getByRole('spinbutton', { name }).fill(v);
    }
    expect(await panel.getByText('4 changed from the preset').isVisible()).toBe(true);
    await app.screenshot('labelcheck-05-lstm-settings');
    await panel.getByRole('button', { name: 'Run again' }).click();
    const progress = panel.getByRole('region', { name: /^Checking labels · run #\d+$/ });
    await progress.waitFor();
    const lstmId = Number(await progress.getAttribute('data-run-id'));
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => panel.getByRole('status').filter({ hasText: `Label check #${lstmId} was cancelled.` }).isVisible(), { timeout: 30_000 }).toBe(true);
    const lstm = value(await app.service.invoke('runs:list', {})).find((r) => r.id === lstmId)!;
    expect(lstm).toMatchObject({ kind: 'crossval', status: 'cancelled', hyperparameters: { foldModel: 'recurrent', epochs: 2, maxLen: 16, units: 4, embedDim: 8 } });
    expect(await panel.getByText('4 changed from the preset').isVisible()).toBe(true);
    // The previous check's queue and summary are still there, and still take reviews.
    expect(await panel.getByRole('region', { name: `Latest check · #${check.id}` }).isVisible()).toBe(true);
    await page.keyboard.press('c');
    await expect.poll(() => counter('reviewed')).toBe(2);
    await expect.poll(cardId).toBe(suspects.rows[2]!.itemId);
    await app.screenshot('labelcheck-06-cancelled');

    // A longer check (no early stopping) followed after a reload, then cancelled from the tab.
    const long = value(
      await app.service.invoke('train:start', {
        model: 'crossval',
        preset: 'fast',
        folds: 5,
        foldModel: 'recurrent',
        overrides: { epochs: 400, patience: 0, maxLen: 16, units: 4, embedDim: 8 },
      }),
    ).runId;
    await expect.poll(() => app.events.some((e) => e.name === 'train:progress' && (e.payload as { runId: number }).runId === long), { timeout: 30_000 }).toBe(true);
    await page.reload();
    await openLabelCheck();
    const following = panel.getByRole('region', { name: `Checking labels · run #${long}` });
    await following.waitFor();
    await expect.poll(() => following.getByRole('progressbar', { name: 'Label check progress' }).getAttribute('aria-valuetext')).toMatch(/^Fold 1 of 5 · epoch \d+ of 400$/);
    expect(await cardId()).toBe(suspects.rows[2]!.itemId);
    await app.screenshot('labelcheck-07-progress');
    await following.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => panel.getByRole('status').filter({ hasText: `Label check #${long} was cancelled.` }).isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await panel.getByRole('button', { name: 'Run again' }).isEnabled()).toBe(true);

    // Another run in the training slot holds the check back, with the reason.
    const training = value(
      await app.service.invoke('train:start', { preset: 'fast', baseline: false, overrides: { epochs: 400, patience: 0, maxLen: 16, units: 4, embedDim: 8 } }),
    ).runId;
    const busyNote = panel.getByText(`Run #${training} is training: the check can start when it has finished.`);
    await expect.poll(() => busyNote.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await panel.getByRole('button', { name: 'Run again' }).isDisabled()).toBe(true);
    const refused = await app.service.invoke('train:start', { model: 'crossval', foldModel: 'baseline' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'busy' } });
    value(await app.service.invoke('train:cancel', {}));
    await expect.poll(() => busyNote.count(), { timeout: 30_000 }).toBe(0);
    expect(await panel.getByRole('button', { name: 'Run again' }).isEnabled()).toBe(true);

    // With a model run: the run picker lists it and not the checks, and Runs ▸ Evaluate opens its
    // model errors even though the Label check tab was the last one shown.
    let baselineId = 0;
    const baselineDone = new Promise<void>((resolve) => app.service.on('train:finished', (f) => f.runId === baselineId && resolve()));
    baselineId = value(await app.service.invoke('train:start', { model: 'baseline' })).runId;
    await baselineDone;
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Runs' }).click();
    await page.getByRole('checkbox', { name: `Select run #${baselineId}` }).check();
    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Model errors' }).getAttribute('aria-selected')).toBe('true');
    const picker = page.getByRole('combobox', { name: 'Run' });
    await expect.poll(() => picker.inputValue()).toBe(String(baselineId));
    expect(await picker.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([String(baselineId)]);
    await page.getByRole('tab', { name: 'Label check' }).click();
    await expect.poll(cardId).toBe(suspects.rows[2]!.itemId);

    // Dark theme and Chinese.
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('labelcheck-08-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('tab', { name: '标签检查' }).waitFor();
    await expect.poll(() => page.getByText(`第 1 / ${flagged - 2} 条可疑项`).isVisible()).toBe(true);
    await app.screenshot('labelcheck-09-zh');
  }, 240_000);
});
