/**
 * The Runs screen against the real handler map and trainer: two tiny runs (and the automatic
 * baseline) trained in setup, then the history, comparing curves and settings, the current
 * model, exporting, deleting, and the "labels changed since" badge.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../src-main/common/labels';
import type { StudioService } from '../../src-main/node/services';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';
import { setupE2E, type StudioApp } from './harness';

const e2e = setupE2E();

const tiny = { maxLen: 24, embedDim: 8, units: 4, epochs: 3, batchSize: 32, vocabSize: 200, minCount: 1 };

async function train(service: StudioService, overrides: Record<string, unknown>): Promise<number> {
  let runId = 0;
  const finished = new Promise<{ status: string; error: string | null }>((resolve) => {
    const off = service.on('train:finished', (f) => {
      if (f.runId !== runId) return;
      off();
      resolve(f);
    });
  });
  const started = await service.invoke('train:start', { preset: 'fast', overrides });
  if (!started.ok) throw new Error(started.error.message);
  runId = started.value.runId;
  expect(await finished).toMatchObject({ status: 'done', error: null });
  // train:finished goes out just before the controller lets go of the run.
  await expect.poll(() => service.activity).toBeNull();
  return runId;
}

async function projectWithRuns(app: StudioApp): Promise<{ first: number; second: number; baseline: number; path: string }> {
  const path = join(app.dir, 'reviews.sstudio');
  const created = await app.service.invoke('project:create', { path, name: 'Film reviews', labels: [...labelSetPresets.binary] });
  if (!created.ok) throw new Error(created.error.message);
  const file = writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(300));
  expect(await app.service.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } })).toMatchObject({ ok: true });
  const first = await train(app.service, tiny);
  const second = await train(app.service, { ...tiny, units: 6 });
  const list = await app.service.invoke('runs:list', {});
  const baseline = list.ok ? list.value.find((r) => r.kind === 'nbsvm')!.id : 0;
  return { first, second, baseline, path };
}

const row = (app: StudioApp, id: number) => app.page.getByRole('table', { name: 'Run history' }).locator(`tr[data-run-id="${id}"]`);

async function openRuns(app: StudioApp): Promise<void> {
  await app.page.getByRole('navigation', { name: 'Project sections' }).getByRole('button', { name: 'Runs' }).click();
  await app.page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
}

describe('Runs screen', () => {
  it('lists runs, compares two, marks the current model, exports, deletes, and flags changed labels', async () => {
    const app = await e2e.open({ dialogs: true, viewport: { width: 1280, height: 900 } });
    const { page } = app;
    const { first, second, baseline, path } = await projectWithRuns(app);
    await page.reload();
    await openRuns(app);

    // The history: every run, the baseline as such, each recurrent run against the baseline.
    const history = page.getByRole('table', { name: 'Run history' });
    await expect.poll(() => history.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => row(app, baseline).getByText('Baseline', { exact: true }).isVisible()).toBe(true);
    for (const id of [first, second]) {
      await expect.poll(() => row(app, id).getByText(/pts vs baseline|ties with baseline/).isVisible()).toBe(true);
      await expect.poll(() => row(app, id).getByText(/the baseline \(run #\d+\)/).count()).toBe(1);
      await expect.poll(() => row(app, id).getByText('300 labelled').isVisible()).toBe(true);
      await expect.poll(() => row(app, id).getByText('Done', { exact: true }).isVisible()).toBe(true);
    }
    await expect.poll(() => row(app, second).getByText(/6 units/).isVisible()).toBe(true);
    await app.screenshot('runs-01-history');

    // Compare: both runs' curves are drawn, and the diff names the changed field.
    await page.getByRole('checkbox', { name: `Select run #${first}` }).check();
    await page.getByRole('checkbox', { name: `Select run #${second}` }).check();
    const comparison = page.getByRole('region', { name: `Comparing #${first}, #${second}` });
    await comparison.waitFor();
    for (const metric of ['loss', 'accuracy']) {
      const chart = comparison.locator(`figure[data-metric="${metric}"]`);
      await expect.poll(() => chart.getAttribute('data-datasets')).toBe('4');
      expect(await chart.getAttribute('data-runs')).toBe(`${first},${second}`);
      // chart.js has drawn on the canvas (it sized it).
      await expect.poll(() => chart.locator('canvas').evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)).toBe(true);
    }
    const diff = comparison.getByRole('table', { name: 'Hyperparameters and metrics side by side' });
    const units = diff.locator('tr[data-field="units"]');
    await expect.poll(() => units.getByRole('cell').allTextContents()).toEqual(['4', '6']);
    expect(await diff.locator('tr[data-field="epochs"]').count()).toBe(0);
    await app.screenshot('runs-02-compare');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('runs-02-compare-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Mark the second run as the current model: a badge, kept in the project file.
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('checkbox', { name: `Select run #${second}` }).check();
    const actions = page.getByRole('toolbar', { name: 'Run actions' });
    await actions.getByRole('button', { name: 'Make current model' }).click();
    await expect.poll(() => row(app, second).getByText('Current model').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Run #${second} is now` }).isVisible()).toBe(true);
    await page.reload();
    await openRuns(app);
    await expect.poll(() => row(app, second).getByText('Current model').isVisible()).toBe(true);
    expect(await row(app, first).getByText('Current model').count()).toBe(0);

    // Export its model bundle next to the run (the save dialog answers with a folder).
    const bundle = join(app.dir, 'model-bundle');
    app.dialogAnswers.push(bundle);
    await page.getByRole('checkbox', { name: `Select run #${second}` }).check();
    await actions.getByRole('button', { name: 'Export model…' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Model bundle written to' }).isVisible()).toBe(true);
    expect(JSON.parse(readFileSync(join(bundle, 'metadata.json'), 'utf8'))).toMatchObject({ runId: second });
    expect(existsSync(join(bundle, 'model.json'))).toBe(true);

    // Delete the first run: asked first, then gone from the list and from the project file.
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('checkbox', { name: `Select run #${first}` }).check();
    await actions.getByRole('button', { name: 'Delete run…' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete run #${first}?` });
    await confirm.waitFor();
    await app.screenshot('runs-03-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete run' }).click();
    await expect.poll(() => row(app, first).count()).toBe(0);
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2);
    const db = app.service.project!.db;
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs WHERE id = ?').get(first)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_epochs WHERE run_id = ?').get(first)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM models WHERE run_id = ?').get(first)).toEqual({ n: 0 });
    expect(existsSync(path)).toBe(true);

    // Relabel one review through the service: every run now trained on other labels.
    expect(await row(app, second).getByText('labels changed since').count()).toBe(0);
    const items = await app.service.invoke('items:list', { label: 'positive', limit: 1 });
    if (!items.ok) throw new Error(items.error.message);
    expect(await app.service.invoke('labels:set', { itemIds: [items.value.items[0]!.id], label: 'negative' })).toMatchObject({ ok: true });
    await expect.poll(() => row(app, second).getByText('labels changed since').isVisible()).toBe(true);
    await expect.poll(() => row(app, baseline).getByText('labels changed since').isVisible()).toBe(true);
    // The deleted run left the selection with it.
    expect(await page.getByRole('button', { name: 'Clear selection' }).count()).toBe(0);
    await app.screenshot('runs-04-labels-changed');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('runs-04-labels-changed-dark');
  }, 240_000);

  it('refuses to delete a run another was fine-tuned from, with the reason on screen', async () => {
    const app = await e2e.open({ viewport: { width: 1280, height: 800 } });
    const { page } = app;
    const path = join(app.dir, 'tune.sstudio');
    await app.service.invoke('project:create', { path, name: 'Tuning', labels: [...labelSetPresets.binary] });
    const file = writeJsonl(join(app.dir, 'toy.jsonl'), toyReviews(200, 7));
    await app.service.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
    const parent = await train(app.service, { ...tiny, epochs: 1 });
    let child = 0;
    const finished = new Promise<void>((resolve) => app.service.on('train:finished', (f) => f.runId === child && resolve()));
    const started = await app.service.invoke('train:start', { preset: 'fast', overrides: { epochs: 1 }, fromRunId: parent });
    if (!started.ok) throw new Error(started.error.message);
    child = started.value.runId;
    await finished;
    await expect.poll(() => app.service.activity).toBeNull();
    await page.reload();
    await openRuns(app);
    await expect.poll(() => row(app, child).getByText(`fine-tuned from #${parent}`).isVisible()).toBe(true);
    await page.getByRole('checkbox', { name: `Select run #${parent}` }).check();
    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Delete run…' }).click();
    await page.getByRole('dialog', { name: `Delete run #${parent}?` }).getByRole('button', { name: 'Delete run' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(`run #${child} was fine-tuned from it`);
    expect(await row(app, parent).count()).toBe(1);

    // Without native dialogs (no desktop shell) the export asks for the folder on screen.
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('checkbox', { name: `Select run #${child}` }).check();
    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Export model…' }).click();
    const exportDialog = page.getByRole('dialog', { name: `Export the model of run #${child}` });
    const bundle = join(app.dir, 'child-model');
    await exportDialog.getByLabel('Folder to create').fill(bundle);
    await exportDialog.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: `Model bundle written to ${bundle}` }).isVisible()).toBe(true);
    expect(JSON.parse(readFileSync(join(bundle, 'metadata.json'), 'utf8'))).toMatchObject({ runId: child, parentRunId: parent });
  }, 120_000);
});
