/**
 * The run report in Chromium, opened from a file as an analyst would: under the strict CSP it
 * carries (a negative control proves the policy is live), with no console errors, no request
 * leaving the file, nothing overflowing, and printed to an A4 PDF of several pages. Screenshots
 * and PDF pages land in test-results/ for a person to look at.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../src-main/common/report';
import { renderReportHtml } from '../../src-main/node/export/report/html';
import { reportFixture, threeLabelFixture } from '../fixtures/reportData';
import { launchChromium, screenshotDir } from './harness';

const resultsDir = join(screenshotDir, '..');
let browser: Browser | undefined;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface OpenReport {
  page: Page;
  problems: string[];
  requests: string[];
  close(): Promise<void>;
}

/** Writes the HTML next to the screenshots and opens it from disk, recording anything that goes wrong. */
async function openReport(name: string, markup: string, width = 1100): Promise<OpenReport> {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.html`);
  writeFileSync(file, markup);
  const context = await browser!.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(file).href) requests.push(request.url());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'an inline resource'}`),
    );
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForLoadState('load');
  return { page, problems, requests, close: () => context.close() };
}

async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const report = document.querySelector('.report')!.getBoundingClientRect();
    const wide = [...document.querySelectorAll('.report *')].filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && (box.right > report.right + 0.5 || box.left < report.left - 0.5);
    });
    return [
      ...(document.documentElement.scrollWidth > document.documentElement.clientWidth ? ['the page scrolls sideways'] : []),
      ...wide.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} sticks out of the report`),
    ];
  });
}

function pdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

/** For looking, not asserting: the PDF's pages as PNGs, when poppler's pdftoppm is installed. */
function pdfToPngs(pdfPath: string, prefix: string): void {
  if (spawnSync('pdftoppm', ['-v']).error) return;
  for (const old of readdirSync(screenshotDir).filter((f) => f.startsWith(`${prefix}-`))) rmSync(join(screenshotDir, old));
  spawnSync('pdftoppm', ['-png', '-r', '70', pdfPath, join(screenshotDir, prefix)]);
}

async function renderAndCheck(name: string, data: ReportData, width = 1100): Promise<OpenReport> {
  const report = await openReport(name, renderReportHtml(data), width);
  mkdirSync(screenshotDir, { recursive: true });
  await report.page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  expect(report.problems).toEqual([]);
  expect(report.requests).toEqual([]);
  expect(await overflow(report.page)).toEqual([]);
  return report;
}

describe('run report in Chromium', () => {
  it('renders under its own strict CSP, with inert review text, and prints to a multi-page A4 PDF', async () => {
    const report = await renderAndCheck('report-en', reportFixture());
    const { page } = report;

    expect(await page.locator('h2').allTextContents()).toEqual(['1Data', '2Model and training', '3Test results', '4Where it errs', '5Model card']);
    // The review's <script> is text on the page, never an element.
    expect(await page.locator('script').count()).toBe(0);
    await expect.poll(() => page.getByText('<script>alert(1)</script>', { exact: false }).count()).toBeGreaterThan(0);
    // Each chart drew something: a curve, bars, axis labels.
    const charts = await page.locator('svg.chart').evaluateAll((svgs) => svgs.map((s) => ({ label: s.getAttribute('aria-label'), height: s.getBoundingClientRect().height, marks: s.querySelectorAll('polyline, polygon, rect, circle').length })));
    expect(charts).toHaveLength(3);
    for (const chart of charts) {
      expect(chart.height).toBeGreaterThan(150);
      expect(chart.marks).toBeGreaterThan(2);
    }
    expect(await page.locator('mark.toward').count()).toBeGreaterThan(3);
    expect(await page.locator('mark.against').count()).toBeGreaterThan(3);

    const pdfPath = join(resultsDir, 'report.pdf');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(pdfPath, pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPages(pdf)).toBeGreaterThanOrEqual(2);
    pdfToPngs(pdfPath, 'report-pdf');
    await report.close();
  });

  it('the CSP it carries really blocks what a report must not load', async () => {
    const leaky = renderReportHtml(reportFixture()).replace('<body>', '<body><img src="http://127.0.0.1:9/pixel.png" alt="">');
    const report = await openReport('report-csp-control', leaky);
    await expect.poll(() => report.problems.join('\n')).toMatch(/CSP violation: img-src/);
    await report.close();
  });

  it('renders in Simplified Chinese', async () => {
    const report = await renderAndCheck('report-zh', reportFixture({ locale: 'zh-CN' }));
    expect(await report.page.locator('h2').allTextContents()).toEqual(['1数据', '2模型与训练', '3测试结果', '4模型错在哪里', '5模型卡']);
    const pdfPath = join(resultsDir, 'report-zh.pdf');
    writeFileSync(pdfPath, await report.page.pdf({ format: 'A4', printBackground: true }));
    pdfToPngs(pdfPath, 'report-zh-pdf');
    await report.close();
  });

  it('renders three labels without a ROC curve, and fits a narrow window', async () => {
    const report = await renderAndCheck('report-three', threeLabelFixture());
    expect(await report.page.locator('svg.chart').count()).toBe(2);
    expect(await report.page.locator('table.confusion tbody tr').count()).toBe(3);
    await report.close();
    const narrow = await renderAndCheck('report-narrow', reportFixture(), 600);
    await narrow.close();
  });
});
