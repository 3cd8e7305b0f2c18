/**
 * Review text is data, never markup. Reviews carrying <img onerror>, <script>, <svg onload>,
 * javascript: links, an iframe, a <style> and RTL overrides are imported, trained on and shown
 * where the analyst reads them: the Annotate card and list (via search), the Evaluate list with
 * token saliency inline and in the detail view, and the run report opened from disk. Nothing may
 * run (window.__pwned stays unset, no dialog), no element may come out of a review, the markup
 * shows as literal text, and no CSP violation is reported (the harness fails on one).
 *
 * Also the renderer's own hardening, on the build the e2e tests use (the same Vite config as the
 * app's): the CSP <meta> is in the built index.html, it is live (inline script and eval are
 * refused), and the page has no Node (require, process, module, Buffer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../src-main/common/labels';
import type { StudioService } from '../../src-main/node/services';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { buildRenderer, screenshotDir, setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

const marker = 'hostilemarker';
/** Each says the opposite of its label, so a trained model gets it wrong and the report shows it. */
const hostileReviews = [
  { text: `${marker} great wonderful <img src=x onerror="window.__pwned=1"> loved it`, label: 'negative' },
  { text: `${marker} awful boring <script>window.__pwned=2</script> terrible`, label: 'positive' },
  { text: `${marker} brilliant superb <svg onload="window.__pwned=3"></svg> excellent`, label: 'negative' },
  { text: `${marker} dull waste <a href="javascript:window.__pwned=4">refund here</a> dreadful`, label: 'positive' },
  { text: `${marker} moving delightful \u202Egnp.exe\u202C and \u202Ereversed without end great`, label: 'negative' },
  { text: `${marker} hated poor "><img src=x onerror=alert(1)> boring`, label: 'positive' },
  { text: `${marker} loved <iframe srcdoc="<script>parent.__pwned=5</script>"></iframe> superb`, label: 'negative' },
  { text: `${marker} terrible <style>*{display:none!important}</style> awful`, label: 'positive' },
];
const literalScript = '<script>window.__pwned=2</script>';

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** What a review could have smuggled into the page, and whether anything ran. */
async function injected(page: Page): Promise<{ pwned: unknown; elements: string[] }> {
  return page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    elements: [
      ...document.querySelectorAll('[onerror], [onload], [onclick], img[src="x"], svg[onload], iframe, a[href^="javascript:"], body style, script:not([src])'),
    ].map((element) => element.outerHTML.slice(0, 80)),
  }));
}

async function expectInert(page: Page, dialogs: string[]): Promise<void> {
  expect(await injected(page)).toEqual({ pwned: undefined, elements: [] });
  expect(dialogs).toEqual([]);
}

/** Toy reviews for training and validation only; the test split is the hostile reviews alone. */
async function arrange(app: StudioApp): Promise<number> {
  const { service, dir } = app;
  value(await service.invoke('project:create', { path: join(dir, 'hostile.sstudio'), name: 'Hostile reviews', labels: [...labelSetPresets.binary] }));
  const toy = toyReviews(240);
  const columns = { textColumn: 'text', labelColumn: 'label' };
  value(await service.invoke('import:run', { path: writeJsonl(join(dir, 'train.jsonl'), toy.slice(0, 200)), columns, split: 'train' }));
  value(await service.invoke('import:run', { path: writeJsonl(join(dir, 'validation.jsonl'), toy.slice(200)), columns, split: 'validation' }));
  value(await service.invoke('import:run', { path: writeJsonl(join(dir, 'hostile.jsonl'), hostileReviews), columns, split: 'test' }));
  return train(service);
}

async function train(service: StudioService): Promise<number> {
  let runId = 0;
  const finished = new Promise<{ status: string; error: string | null }>((resolve) => {
    const off = service.on('train:finished', (f) => {
      if (f.runId !== runId) return;
      off();
      resolve(f);
    });
  });
  const overrides = { epochs: 4, units: 8, embedDim: 8, maxLen: 24, minCount: 1, learningRate: 0.01 };
  runId = value(await service.invoke('train:start', { preset: 'fast', baseline: false, overrides })).runId;
  expect(await finished).toMatchObject({ status: 'done', error: null });
  await expect.poll(() => service.activity).toBeNull();
  value(await service.invoke('runs:setCurrent', { runId }));
  return runId;
}

const nav = (page: Page, section: string) => page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: section }).click();

describe('hostile review text', () => {
  it('stays text in Annotate, Evaluate with saliency, and the report', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 900 } });
    const { page } = app;
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const runId = await arrange(app);
    await page.reload();

    // Annotate: the card, found by searching, then the list.
    await nav(page, 'Annotate');
    await page.getByLabel('Queue').selectOption({ label: 'All reviews' });
    await page.keyboard.press('/');
    await page.keyboard.type(`${marker} script`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('review-text').textContent()).toBe(hostileReviews[1]!.text);
    await expect.poll(() => page.getByText(literalScript, { exact: false }).first().isVisible()).toBe(true);
    await expectInert(page, dialogs);
    await app.screenshot('hostile-01-annotate-card');

    await page.keyboard.press('/');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(marker);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('search').textContent()).toContain(`${hostileReviews.length} matching`);
    await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'List' }).click();
    const list = page.getByRole('region', { name: 'Reviews' });
    await expect.poll(() => list.getByRole('row').count()).toBe(hostileReviews.length + 1);
    const shown = await list.locator('td .text').allTextContents();
    expect(shown.sort()).toEqual(hostileReviews.map((r) => r.text).sort());
    // The RTL override stays inside its own cell: the id column next to it still reads left to right.
    expect(await list.locator('td .text', { hasText: 'gnp.exe' }).evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('plaintext');
    await expectInert(page, dialogs);
    await app.screenshot('hostile-02-annotate-list');

    // Evaluate: every test review (all hostile), found by the marker, explained inline and in detail.
    await nav(page, 'Evaluate');
    await page.getByRole('heading', { level: 1, name: 'Evaluate' }).waitFor();
    await page.getByRole('radio', { name: 'All' }).check();
    const reviews = page.getByRole('region', { name: 'Test reviews' });
    await reviews.getByRole('searchbox').fill(marker);
    // The search applies after a pause; its chip shows when the list has been reloaded with it.
    await expect.poll(() => reviews.getByRole('group', { name: 'Filtered' }).textContent()).toContain(marker);
    const rows = reviews.getByRole('list', { name: 'Reviews' }).locator(':scope > li');
    await expect.poll(() => rows.count()).toBe(hostileReviews.length);
    expect((await rows.locator('p.text').allTextContents()).sort()).toEqual(hostileReviews.map((r) => r.text).sort());
    await expectInert(page, dialogs);
    await app.screenshot('hostile-03-evaluate-list');

    const scriptRow = rows.filter({ hasText: literalScript });
    await scriptRow.getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => scriptRow.locator('.saliency').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => scriptRow.locator('.saliency p.text').textContent()).toBe(hostileReviews[1]!.text);
    await expectInert(page, dialogs);
    await app.screenshot('hostile-04-evaluate-saliency');

    for (const hostile of hostileReviews) {
      const row = rows.filter({ hasText: hostile.text });
      await row.focus();
      await page.keyboard.press('Enter');
      const detail = page.getByRole('dialog', { name: /^Review #\d+$/ });
      await detail.waitFor();
      await expect.poll(() => detail.locator('.saliency p.text').textContent(), { timeout: 30_000 }).toBe(hostile.text);
      await expectInert(page, dialogs);
      if (hostile === hostileReviews[0]) await app.screenshot('hostile-05-evaluate-detail');
      await page.keyboard.press('Escape');
      await expect.poll(() => detail.count()).toBe(0);
    }

    // The report, as a file from disk under its own CSP, with scripts allowed in the browser so
    // only the markup and the policy stand between the reviews and execution.
    const reportPath = join(app.dir, 'report.html');
    value(await app.service.invoke('runs:report', { runId, path: reportPath }));
    const html = readFileSync(reportPath, 'utf8');
    expect(html).not.toMatch(/<(script|img|svg|iframe|style)\b[^>]*(onerror|onload|srcdoc|__pwned)/i);
    const report = await app.context.newPage();
    const problems: string[] = [];
    report.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    report.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await report.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective}`));
    });
    await report.goto(pathToFileURL(reportPath).href);
    // The test split is the hostile reviews alone, so every mistake the report shows is one of them.
    const mistakes = report.locator('article.mistake');
    expect(await mistakes.count()).toBeGreaterThan(0);
    for (const text of await mistakes.locator('p.review').allTextContents()) expect(hostileReviews.map((r) => r.text)).toContain(text);
    await expectInert(report, dialogs);
    expect(problems).toEqual([]);
    await report.screenshot({ path: join(screenshotDir, 'hostile-06-report.png'), fullPage: true });
    await report.locator('.mistakes').screenshot({ path: join(screenshotDir, 'hostile-07-report-mistakes.png') });
    await report.close();
  }, 240_000);
});

describe('renderer hardening', () => {
  it('ships its Content-Security-Policy in the built index.html', async () => {
    const built = readFileSync(join(await buildRenderer(), 'index.html'), 'utf8');
    const policy = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(built)?.[1] ?? '';
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources.join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    // Every script is a file of the build: nothing inline for the policy to have to allow.
    expect(built.match(/<script\b[^>]*>/g)?.every((tag) => /\bsrc=/.test(tag))).toBe(true);
  });

  it('runs without Node and under a live policy', async () => {
    const app = await e2e.open({ allowConsoleErrors: true });
    const { page } = app;
    await expect.poll(() => page.getByText('v0.0.0-e2e').isVisible()).toBe(true);
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return ['require', 'process', 'module', 'Buffer', 'global', '__dirname', 'setImmediate'].map((name) => [name, typeof scope[name]]);
    });
    expect(globals).toEqual(['require', 'process', 'module', 'Buffer', 'global', '__dirname', 'setImmediate'].map((name) => [name, 'undefined']));

    // Negative controls: the policy refuses an inline script and a string evaluated as code. The
    // string goes through a timer: code run by page.evaluate itself is exempt from the eval check.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.append(script);
      (setTimeout as (code: string, ms: number) => number)('window.__evaluated = 1', 0);
    });
    await expect.poll(() => app.problems.join('\n')).toMatch(/CSP violation: script-src\S* blocked eval/);
    expect(app.problems.join('\n')).toMatch(/CSP violation: script-src\S* blocked inline/);
    const ran = await page.evaluate(() => {
      const scope = window as unknown as { __inline?: number; __evaluated?: number };
      return [scope.__inline ?? null, scope.__evaluated ?? null];
    });
    expect(ran).toEqual([null, null]);
  });
});
