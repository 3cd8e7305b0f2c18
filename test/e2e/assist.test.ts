/**
 * The labelling assistant on the Annotate screen: the analyst sets it to refresh after 20 labels,
 * refreshes once by hand (training, then scoring, then "Suggestions from NBSVM (run N) · …"), the
 * review on screen gets its suggestion in place, Enter accepts one (model-accepted) and a label
 * key overrides the next; 20 labels later the assistant retrains by itself while labelling goes
 * on, and the "Most useful next" queue follows the new run. Auto-accept then labels the pool with
 * origin "model", and the review on screen shows the "auto" badge. Read-only projects: all off.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AssistStatus } from '@common/assist';
import type { Channel, RequestOf, ResponseOf } from '@common/contract';
import { labelSetPresets } from '@common/labels';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();
/** Round trips through the page and the handler map: generous, the CPU is shared. */
const soon = { timeout: 15_000 };

async function invoke<C extends Channel>(app: StudioApp, channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await app.service.invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

/** "Film reviews": 120 labelled toy reviews and an unlabelled pool of 60. */
async function filmReviews(app: StudioApp): Promise<string> {
  const path = join(app.dir, 'films.sstudio');
  await invoke(app, 'project:create', { path, name: 'Film reviews', labels: [...labelSetPresets.binary] });
  await invoke(app, 'import:run', { path: writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(120)), columns: { textColumn: 'text', labelColumn: 'label' } });
  const pool = toyReviews(60, 91).map((r) => ({ text: `${r.text} (pool)` }));
  await invoke(app, 'import:run', { path: writeJsonl(join(app.dir, 'pool.jsonl'), pool), columns: { textColumn: 'text' } });
  return path;
}

async function openAnnotate(page: Page): Promise<void> {
  await page.reload();
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Annotate' }).click();
  await page.getByRole('region', { name: 'Annotate' }).waitFor();
}

/** The review on screen: its id from the card's heading. */
async function currentId(page: Page): Promise<number> {
  const heading = (await page.getByRole('article').getByRole('heading', { level: 2 }).textContent()) ?? '';
  return Number(/#(\d+)/.exec(heading)?.[1]);
}

/** The assistant's status once the refresh begun after event `mark` has ended (idle or failed). */
function refreshEnded(app: StudioApp, mark: number): () => AssistStatus | undefined {
  return () => {
    const statuses = app.events
      .slice(mark)
      .filter((e) => e.name === 'assist:updated')
      .map((e) => e.payload as AssistStatus);
    const began = statuses.findIndex((s) => s.state === 'training');
    return began < 0 ? undefined : statuses.slice(began).find((s) => s.state === 'idle' || s.state === 'failed');
  };
}

/** What an element reads, whitespace as a screen reader would collapse it. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function lastOrigin(app: StudioApp, itemId: number): Promise<{ label: string | null; origin: string } | undefined> {
  return (await invoke(app, 'labels:history', { itemId })).at(-1);
}

describe('The labelling assistant', () => {
  it('refreshes the suggestions in the background while the analyst labels with the keyboard', async () => {
    const app = await e2e.open({ viewport: { width: 1200, height: 900 } });
    const { page } = app;
    await filmReviews(app);
    await openAnnotate(page);

    const panel = page.getByRole('region', { name: 'Labelling assistant' });
    const summary = panel.getByTestId('assist-summary');
    await expect.poll(() => text(summary), soon).toContain('No suggestions yet · next refresh in 200 labels');
    await app.screenshot('assist-01-initial');

    // Every 20 labels, set in the panel's settings.
    const toggle = panel.getByRole('button', { name: 'Assistant settings' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const settings = panel.getByRole('group', { name: 'Assistant settings' });
    expect(await settings.getByRole('switch', { name: 'Refresh the suggestions automatically' }).isChecked()).toBe(true);
    const every = settings.getByRole('spinbutton', { name: 'New labels between refreshes' });
    await every.fill('5');
    await expect.poll(() => settings.getByRole('alert').textContent(), soon).toBe('Enter a whole number from 20 to 100,000.');
    await every.fill('20');
    await every.press('Enter');
    await expect.poll(async () => (await invoke(app, 'assist:status', {})).settings.every, soon).toBe(20);
    expect(await settings.getByRole('alert').count()).toBe(0);
    await expect.poll(() => text(summary), soon).toContain('next refresh in 20 labels');
    await app.screenshot('assist-02-settings');
    await every.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Assistant settings');

    // Refresh now: the panel goes through training and scoring, recorded from inside the page.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { assistSeen: string[] }).assistSeen = seen;
      const region = document.querySelector('[aria-label="Labelling assistant"]')!;
      new MutationObserver(() => {
        const text = region.querySelector('[aria-live]')?.textContent?.trim() ?? '';
        const bars = [...region.querySelectorAll('[role="progressbar"]')].map((b) => `${b.getAttribute('aria-label')} ${b.getAttribute('aria-valuetext')}`);
        for (const entry of [text, ...bars]) if (seen.at(-1) !== entry && !seen.includes(entry)) seen.push(entry);
      }).observe(region, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const onScreen = await currentId(page);
    expect(await page.locator('#review-suggestion').count()).toBe(0);
    const firstMark = app.events.length;
    await panel.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(refreshEnded(app, firstMark), { timeout: 60_000 }).toBeDefined();
    const first = refreshEnded(app, firstMark)()!;
    expect(first.error).toBeNull();
    const choice = first.choice!;
    const model = choice.model === 'baseline' ? 'NBSVM' : 'GRU';
    const seen = await page.evaluate(() => (window as unknown as { assistSeen: string[] }).assistSeen);
    expect(seen.some((s) => /^Training in the background… \(run \d+\)$/.test(s))).toBe(true);
    expect(seen.some((s) => /^Training the fast GRU epoch 1 of 4$/.test(s))).toBe(true);
    expect(seen).toContain('Scoring the unlabelled reviews with the better model…');
    expect(seen).toContain('Scoring unlabelled reviews 60 / 60');
    await expect.poll(() => text(summary), soon).toMatch(
      new RegExp(`^Suggestions from ${model} \\(run ${choice.runId}\\) · \\d+% on validation \\((GRU|NBSVM) \\d+%\\) · refreshed just now · next refresh in 20 labels$`),
    );
    // The review on screen stayed, and its suggestion arrived in place.
    expect(await currentId(page)).toBe(onScreen);
    await expect.poll(() => page.locator('#review-suggestion').textContent(), soon).toContain(`from background run ${choice.runId}`);
    await app.screenshot('assist-03-refreshed');

    // Enter accepts the suggestion (model-accepted); a label key overrides the next one.
    await page.getByTestId('review-text').click();
    const suggested = await page.locator('#review-suggestion').getAttribute('data-label');
    await page.keyboard.press('Enter');
    await expect.poll(() => currentId(page), soon).not.toBe(onScreen);
    expect(await lastOrigin(app, onScreen)).toMatchObject({ label: suggested, origin: 'model-accepted' });
    const overridden = await currentId(page);
    const next = await page.locator('#review-suggestion').getAttribute('data-label');
    const other = next === 'positive' ? 'negative' : 'positive';
    await page.keyboard.press(other === 'positive' ? '1' : '2');
    await expect.poll(() => currentId(page), soon).not.toBe(overridden);
    expect(await lastOrigin(app, overridden)).toMatchObject({ label: other, origin: 'manual' });
    await expect.poll(() => text(summary), soon).toContain('next refresh in 18 labels');

    // The useful queue ranks by the background run's suggestions.
    await page.getByLabel('Queue').selectOption({ label: 'Most useful next (model unsure)' });
    const useful = page.getByRole('region', { name: 'Model suggestions' }).getByRole('status');
    await expect.poll(() => text(useful), soon).toMatch(new RegExp(`^Suggestions from background run ${choice.runId} · refreshed just now · \\d+ unlabelled reviews scored$`));
    const rankingBefore = (await invoke(app, 'items:useful', { limit: 20 })).items.map((i) => i.id);

    // 18 more labels by keyboard, accepting and overriding in turn: the 18th starts a refresh.
    await page.getByTestId('review-text').click();
    const secondMark = app.events.length;
    for (let n = 0; n < 18; n++) {
      const id = await currentId(page);
      const label = await page.locator('#review-suggestion').getAttribute('data-label');
      await page.keyboard.press(n % 2 === 0 ? 'Enter' : label === 'positive' ? '2' : '1');
      await expect.poll(() => currentId(page), soon).not.toBe(id);
    }
    await expect.poll(() => text(summary), { timeout: 20_000 }).toMatch(/^(Training in the background… \(run \d+\)|Starting a background training…)$/);
    // Labelling goes on while it trains.
    const duringRefresh = await currentId(page);
    await page.keyboard.press('1');
    await expect.poll(() => currentId(page), soon).not.toBe(duringRefresh);
    expect((await lastOrigin(app, duringRefresh))?.label).toBe('positive');
    // The training's progress bar, for the screenshot (a quick refresh may be past it already).
    await expect.poll(async () => (await panel.getByRole('progressbar').count()) > 0 || refreshEnded(app, secondMark)() !== undefined, { timeout: 30_000 }).toBe(true);
    await app.screenshot('assist-04-training');
    const midItem = await currentId(page);

    await expect.poll(refreshEnded(app, secondMark), { timeout: 60_000 }).toBeDefined();
    const second = refreshEnded(app, secondMark)()!;
    expect(second.error).toBeNull();
    const newRun = second.choice!.runId;
    expect(newRun).toBeGreaterThan(choice.runId);
    await expect.poll(() => text(useful), soon).toMatch(new RegExp(`^Suggestions from background run ${newRun} · refreshed just now · \\d+ unlabelled reviews scored$`));
    await expect.poll(() => text(summary), soon).toMatch(new RegExp(`^Suggestions from (GRU|NBSVM) \\(run ${newRun}\\) .* · refreshed just now · next refresh in 19 labels$`));
    // The analyst was mid-review: it stays on screen with the new run's suggestion; the queue behind it is ranked anew.
    expect(await currentId(page)).toBe(midItem);
    await expect.poll(() => page.locator('#review-suggestion').textContent(), soon).toContain(`from background run ${newRun}`);
    const rankingAfter = (await invoke(app, 'items:useful', { limit: 20 })).items.map((i) => i.id);
    expect(rankingAfter).not.toEqual(rankingBefore);
    await page.keyboard.press('2');
    await expect.poll(() => currentId(page), soon).not.toBe(midItem);
    await expect.poll(() => page.locator('#review-suggestion').textContent(), soon).toContain(`from background run ${newRun}`);
    await app.screenshot('assist-05-second-refresh');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('assist-06-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Auto-accept at 50% or surer: every remaining review is labelled by the assistant, origin "model".
    await toggle.click();
    await settings.getByRole('switch', { name: 'Auto-accept sure suggestions' }).check();
    await expect.poll(async () => (await invoke(app, 'assist:status', {})).settings.autoAcceptAbove, soon).toBe(0.9);
    const slider = settings.getByRole('slider', { name: 'Auto-accept confidence' });
    await slider.fill('50');
    await expect.poll(async () => (await invoke(app, 'assist:status', {})).settings.autoAcceptAbove, soon).toBe(0.5);
    // Changing one setting keeps the others.
    expect((await invoke(app, 'assist:status', {})).settings).toEqual({ auto: true, every: 20, autoAcceptAbove: 0.5 });
    expect(await panel.getByText('auto-accept at 50% or surer').isVisible()).toBe(true);
    await app.screenshot('assist-07-auto-accept');
    const waiting = (await invoke(app, 'items:ids', { label: 'unlabelled' })).ids;
    const onScreenNow = await currentId(page);
    const thirdMark = app.events.length;
    await panel.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(refreshEnded(app, thirdMark), { timeout: 60_000 }).toBeDefined();
    const third = refreshEnded(app, thirdMark)()!;
    expect(third.error).toBeNull();
    expect(third.autoAccepted).toBe(waiting.length);
    await expect.poll(() => panel.getByText(`${third.autoAccepted} reviews were labelled automatically at the last refresh (origin “model”).`).isVisible(), soon).toBe(true);
    expect(await lastOrigin(app, waiting[0]!)).toMatchObject({ origin: 'model' });
    // The assistant's own labels do not count towards its next refresh.
    await expect.poll(() => text(summary), soon).toMatch(/ · refreshed just now · next refresh in 20 labels$/);
    // Not yanked away: the review on screen now carries the assistant's label, marked "auto".
    expect(await currentId(page)).toBe(onScreenNow);
    await expect.poll(() => page.getByRole('article').getByText('Labelled automatically by the assistant (origin “model”)').count(), soon).toBe(1);
    expect(await page.locator('#review-suggestion').count()).toBe(0);
    await expect.poll(() => page.getByRole('region', { name: 'Progress' }).textContent(), soon).toContain('180 of 180 labelled');
    await app.screenshot('assist-08-auto-accepted');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('assist-08-auto-accepted-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Turned off again: stored as such, and the chip goes.
    await settings.getByRole('switch', { name: 'Auto-accept sure suggestions' }).uncheck();
    await expect.poll(async () => (await invoke(app, 'assist:status', {})).settings.autoAcceptAbove, soon).toBeNull();
    expect(await panel.getByText('auto-accept at 50% or surer').count()).toBe(0);
    expect(await slider.isDisabled()).toBe(true);

    // "Undo these labels" takes back exactly the assistant's labels.
    await panel.getByRole('button', { name: 'Undo these labels' }).click();
    await expect.poll(async () => (await invoke(app, 'items:ids', { label: 'unlabelled' })).ids.length, soon).toBe(waiting.length);
    await expect.poll(() => panel.getByRole('button', { name: 'Undo these labels' }).count(), soon).toBe(0);
  }, 180_000);

  it('shows the assistant read-only, with every control off and the reason', async () => {
    const app = await e2e.open({ viewport: { width: 1200, height: 800 } });
    const { page } = app;
    const path = await filmReviews(app);
    await invoke(app, 'project:close', {});
    await invoke(app, 'project:open', { path, readOnly: true });
    await openAnnotate(page);
    const panel = page.getByRole('region', { name: 'Labelling assistant' });
    await expect.poll(() => text(panel.getByTestId('assist-summary')), soon).toBe('No suggestions yet');
    expect(await panel.getByText('Read-only project: the assistant cannot refresh the suggestions or change its settings here.').isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Refresh now' }).isDisabled()).toBe(true);
    await panel.getByRole('button', { name: 'Assistant settings' }).click();
    const settings = panel.getByRole('group', { name: 'Assistant settings' });
    for (const control of [
      settings.getByRole('switch', { name: 'Refresh the suggestions automatically' }),
      settings.getByRole('spinbutton', { name: 'New labels between refreshes' }),
      settings.getByRole('switch', { name: 'Auto-accept sure suggestions' }),
      settings.getByRole('slider', { name: 'Auto-accept confidence' }),
    ]) {
      expect(await control.isDisabled()).toBe(true);
    }
    await app.screenshot('assist-09-read-only');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await expect.poll(() => text(page.getByRole('region', { name: '标注助手' }).getByTestId('assist-summary')), soon).toBe('暂无建议');
    await app.screenshot('assist-10-zh');
  }, 60_000);
});
