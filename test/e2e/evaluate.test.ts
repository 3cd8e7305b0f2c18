/**
 * The Evaluate screen against the real handler map, trainer and explainer: a deliberately
 * undertrained run (so there are mistakes to list) and its n-gram baseline, opened from the Runs
 * screen; the metrics and confusion matrix, the threshold slider, the confusion-matrix filter,
 * token saliency inline and in the detail view, reviewing mistakes (relabel, confirm, undo) with
 * the badge counting them, a length slice, and the baseline's "cannot be explained" message.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvaluation } from '@common/evaluation';
import { binaryAtThreshold } from '@common/metrics';
import { labelSetPresets } from '../../src-main/common/labels';
import type { StudioService } from '../../src-main/node/services';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { screenshotDir, setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** One epoch of 4 units on 16 tokens: bad enough to make mistakes, quick enough for a test. */
async function trainUndertrained(service: StudioService): Promise<{ runId: number; baselineId: number }> {
  let runId = 0;
  const finished = new Promise<{ status: string; error: string | null }>((resolve) => {
    const off = service.on('train:finished', (f) => {
      if (f.runId !== runId) return;
      off();
      resolve(f);
    });
  });
  runId = value(
    await service.invoke('train:start', {
      preset: 'fast',
      baseline: true,
      overrides: { epochs: 1, units: 4, embedDim: 8, maxLen: 16, minCount: 1, learningRate: 0.002 },
    }),
  ).runId;
  expect(await finished).toMatchObject({ status: 'done', error: null });
  await expect.poll(() => service.activity).toBeNull();
  const baselineId = value(await service.invoke('runs:list', {})).find((r) => r.kind === 'nbsvm')!.id;
  return { runId, baselineId };
}

async function arrange(app: StudioApp): Promise<{ runId: number; baselineId: number }> {
  value(await app.service.invoke('project:create', { path: join(app.dir, 'reviews.sstudio'), name: 'Film reviews', labels: [...labelSetPresets.binary] }));
  // Every fifth review negated and an airline column: the negation and metadata slices have rows.
  const rows = toyReviews(400).map((r, i) => ({ ...r, text: i % 5 === 0 ? `not ${r.text}` : r.text, airline: ['united', 'delta', 'virgin'][i % 3] }));
  const file = writeJsonl(join(app.dir, 'toy.jsonl'), rows);
  value(await app.service.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label', metadataColumns: ['airline'] } }));
  return trainUndertrained(app.service);
}

const percent = (v: number) => new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v);

describe('Evaluate screen', () => {
  it('shows a run’s metrics, filters mistakes from the confusion matrix, explains them and takes corrections', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    const { runId, baselineId } = await arrange(app);
    const evaluation: RunEvaluation = value(await app.service.invoke('runs:evaluation', { runId }));
    const { metrics } = evaluation;
    await page.reload();

    // From the Runs screen: select the run, then its Evaluate action.
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Runs' }).click();
    await page.getByRole('checkbox', { name: `Select run #${runId}` }).check();
    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Evaluate' }).click();
    await page.getByRole('heading', { level: 1, name: 'Evaluate' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Run' }).inputValue()).toBe(String(runId));
    await expect.poll(() => page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Evaluate' }).getAttribute('aria-current')).toBe('page');

    // The summary: accuracy, macro-F1, per-class rows, and every confusion-matrix cell.
    const summary = page.getByRole('region', { name: 'Test metrics' });
    await expect.poll(() => summary.locator('[data-metric="accuracy"] dd').textContent()).toBe(percent(metrics.accuracy));
    expect(await summary.locator('[data-metric="macroF1"] dd').textContent()).toBe(percent(metrics.macroF1));
    const perClass = summary.getByRole('table', { name: 'Per-class precision, recall and F1' });
    for (const c of metrics.perClass) {
      expect(await perClass.locator(`tr[data-label="${c.label}"] td`).allTextContents()).toEqual([percent(c.precision), percent(c.recall), percent(c.f1), String(c.support)]);
    }
    const matrix = page.getByRole('region', { name: 'Confusion matrix' });
    for (const [ti, truth] of metrics.labels.entries()) {
      for (const [pi, predicted] of metrics.labels.entries()) {
        const cell = matrix.locator(`button[data-truth="${truth}"][data-predicted="${predicted}"] .count`);
        expect(await cell.textContent()).toBe(String(metrics.confusion[ti]![pi]));
      }
    }
    // Binary: both curves and the reliability diagram are drawn.
    for (const chart of ['roc', 'pr', 'reliability']) {
      await expect.poll(() => page.locator(`figure[data-chart="${chart}"] canvas`).evaluate((c: HTMLCanvasElement) => c.width > 0)).toBe(true);
    }
    const wrongTotal = metrics.n - Math.round(metrics.accuracy * metrics.n);
    expect(wrongTotal).toBeGreaterThan(0);
    const errors = page.getByRole('region', { name: 'Misclassified reviews' });
    await expect.poll(() => errors.locator('[data-total]').getAttribute('data-total')).toBe(String(wrongTotal));
    await app.screenshot('evaluate-01-overview');

    // The threshold slider: 20 steps up from 0.5 gives the figures at 0.70 for "positive".
    const positive = evaluation.labels.indexOf('positive');
    const scores = evaluation.gold.map((_, i) => evaluation.probabilities[i * 2 + positive]!);
    const slider = page.getByRole('slider', { name: 'Threshold for positive' });
    await slider.focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    expect(Number(await slider.inputValue())).toBeCloseTo(0.7, 6);
    const at = binaryAtThreshold(evaluation.gold, scores, Number(await slider.inputValue()), positive);
    await expect.poll(() => page.locator('[data-figure="precision"]').textContent()).toBe(percent(at.precision));
    expect(await page.locator('[data-figure="recall"]').textContent()).toBe(percent(at.recall));
    expect(await page.locator('[data-figure="accuracy"]').textContent()).toBe(percent(at.accuracy));
    await page.locator('figure[data-chart="roc"]').scrollIntoViewIfNeeded();
    await app.screenshot('evaluate-02-threshold');

    // A confusion-matrix cell filters the list to that gold/predicted pair.
    const gi = metrics.confusion[0]![1]! >= metrics.confusion[1]![0]! ? 0 : 1;
    const [truth, predicted] = [metrics.labels[gi]!, metrics.labels[1 - gi]!];
    const count = metrics.confusion[gi]![1 - gi]!;
    expect(count).toBeGreaterThan(1);
    await matrix.getByRole('button', { name: new RegExp(`^Gold ${truth}, predicted ${predicted}:`) }).click();
    await expect.poll(() => matrix.locator(`button[data-truth="${truth}"][data-predicted="${predicted}"]`).getAttribute('aria-pressed')).toBe('true');
    const reviews = page.getByRole('region', { name: 'Test reviews' });
    await expect.poll(() => reviews.locator('[data-total]').getAttribute('data-total')).toBe(String(count));
    await expect.poll(() => reviews.getByRole('group', { name: 'Filtered' }).getByText(`gold ${truth} → predicted ${predicted}`).isVisible()).toBe(true);
    const rows = reviews.getByRole('list', { name: 'Reviews' }).locator(':scope > li');
    const shown = await rows.count();
    expect(shown).toBe(Math.min(count, 50));
    for (let i = 0; i < shown; i++) {
      expect(await rows.nth(i).getAttribute('data-gold')).toBe(truth);
      expect(await rows.nth(i).getAttribute('data-predicted')).toBe(predicted);
    }
    // Most confident mistakes first.
    const confidences = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-confidence'))));
    expect(confidences).toEqual([...confidences].sort((x, y) => y - x));
    const firstRow = rows.first();
    await app.screenshot('evaluate-03-cell-filter');

    // Explain inline: a spinner, then highlighted words with their scores.
    await firstRow.getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => firstRow.locator('mark[data-score]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const title = await firstRow.locator('mark[data-score]').first().getAttribute('title');
    expect(title).toMatch(new RegExp(`: [+−]?[\\d.]+ \\((toward|against) ${predicted}\\)$`));
    expect(await firstRow.getByText(/Integrated gradients, \d+ steps/).isVisible()).toBe(true);
    await app.screenshot('evaluate-04-explain-inline');

    // The detail view (Enter on the row): the explained label is switchable, the scores flip sign.
    await firstRow.focus();
    await page.keyboard.press('Enter');
    const firstId = Number(await firstRow.getAttribute('data-item-id'));
    const detail = page.getByRole('dialog', { name: `Review #${firstId}` });
    await detail.waitFor();
    await expect.poll(() => detail.locator('mark[data-score]').count()).toBeGreaterThan(0);
    const towardPredicted = await detail.locator('[data-label] mark[data-score]').first().getAttribute('data-score');
    await detail.getByRole('radio', { name: new RegExp(`^${truth}`) }).check();
    await expect.poll(() => detail.locator(`[data-label="${truth}"] mark[data-score]`).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const towardTruth = await detail.locator(`[data-label="${truth}"] mark[data-score]`).first().getAttribute('data-score');
    expect(Number(towardTruth)).toBeCloseTo(-Number(towardPredicted), 3);
    await app.screenshot('evaluate-05-detail');
    await detail.screenshot({ path: join(screenshotDir, 'evaluate-05-detail-dialog.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);

    // Relabel the most confident mistake to what the model said: the row and the badge show it.
    await firstRow.getByRole('button', { name: `Relabel review #${firstId} as ${predicted}` }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Review #${firstId} is now ${predicted}.` }).isVisible()).toBe(true);
    const relabelled = reviews.locator(`li[data-item-id="${firstId}"]`);
    await expect.poll(() => relabelled.getAttribute('data-review')).toBe('relabelled');
    await expect.poll(() => relabelled.getByText(`Relabelled · now ${predicted}`).isVisible()).toBe(true);
    const badge = page.locator('p.badge');
    await expect.poll(() => badge.getAttribute('data-changed')).toBe('1');
    expect(await badge.textContent()).toContain('1 label changed since this run');

    // Keyboard on the next review: "c" says the label is right; Ctrl+Z takes it back.
    const second = rows.nth(1);
    const secondId = Number(await second.getAttribute('data-item-id'));
    await second.focus();
    await page.keyboard.press('c');
    await expect.poll(() => reviews.locator(`li[data-item-id="${secondId}"]`).getAttribute('data-review')).toBe('confirmed');
    await expect.poll(() => badge.getAttribute('data-confirmed')).toBe('1');
    await app.screenshot('evaluate-06-reviewed');
    await page.keyboard.press('Control+z');
    await expect.poll(() => reviews.locator(`li[data-item-id="${secondId}"]`).getAttribute('data-review')).toBe('');
    await expect.poll(() => badge.getAttribute('data-confirmed')).toBe('0');
    expect(await badge.getAttribute('data-changed')).toBe('1');
    const history = value(await app.service.invoke('labels:history', { itemId: firstId }));
    expect(history.at(-1)).toMatchObject({ label: predicted, origin: 'review' });

    // Slices: a length bucket filters the list to its token range.
    await reviews.getByRole('button', { name: 'Clear filters', exact: true }).click();
    await reviews.getByRole('radio', { name: 'Mistakes' }).check();
    const slices = page.getByRole('region', { name: 'Slices' });
    const table = slices.getByRole('table', { name: 'Accuracy by slice' });
    expect(await table.locator('tr[data-dimension="negation"]').count()).toBe(2);
    expect(await table.locator('tr[data-dimension="metadata:airline"]').count()).toBe(3);
    const bucket = table.locator('tr[data-dimension="length"]').first().getByRole('button');
    const [, min, max] = /(\d+)–(\d+)/.exec((await bucket.getAttribute('aria-label'))!)!;
    await bucket.click();
    const mistakes = page.getByRole('region', { name: 'Misclassified reviews' });
    await expect.poll(() => mistakes.getByRole('group', { name: 'Filtered' }).getByText(`${min}–${max} tokens`).isVisible()).toBe(true);
    await expect.poll(async () => {
      const lengths = await mistakes.locator('li[data-tokens]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-tokens'))));
      return lengths.every((n) => n >= Number(min) && n <= Number(max));
    }).toBe(true);
    await slices.scrollIntoViewIfNeeded();
    await app.screenshot('evaluate-07-slices');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('evaluate-08-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The baseline: evaluated like any run, but word highlights say why there are none.
    await page.getByRole('combobox', { name: 'Run' }).selectOption(String(baselineId));
    await expect.poll(() => page.getByText(`How run #${baselineId} does`).isVisible()).toBe(true);
    // On toy data the baseline may make no mistakes: list every test review.
    await page.getByRole('radio', { name: 'All' }).check();
    const baselineRow = page.getByRole('region', { name: 'Test reviews' }).locator('li[data-item-id]').first();
    await baselineRow.getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => baselineRow.getByRole('alert').textContent(), { timeout: 30_000 }).toContain('n-gram baseline');
    await app.screenshot('evaluate-09-baseline-explain');
    await page.screenshot({ path: join(screenshotDir, 'evaluate-09-baseline-viewport.png') });

    // A fresh window opens Evaluate on the project's current model, here in Chinese.
    value(await app.service.invoke('runs:setCurrent', { runId }));
    await page.reload();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('navigation', { name: '项目栏目' }).getByRole('button', { name: '评估' }).click();
    await page.getByRole('heading', { level: 1, name: '评估' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: '运行' }).inputValue()).toBe(String(runId));
    await expect.poll(() => page.getByRole('region', { name: '分类错误的评论' }).locator('[data-total]').getAttribute('data-total')).toBe(String(wrongTotal));
    await app.screenshot('evaluate-10-zh');
  }, 300_000);
});
