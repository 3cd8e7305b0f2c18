/**
 * The shell works end to end: the built renderer, through window.studio, drives the real handler
 * map: create a project from the Start view and see its summary, refreshed by project:changed.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupE2E } from './harness';

const e2e = setupE2E();

describe('smoke', () => {
  it('creates a project from the Start view and shows its summary', async () => {
    const app = await e2e.open();
    const { page } = app;

    await expect.poll(() => page.getByText('v0.0.0-e2e').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('heading', { name: 'New project' }).isVisible()).toBe(true);
    await app.screenshot('smoke-01-start');

    const path = join(app.dir, 'hotel-reviews.sstudio');
    const form = page.getByRole('form', { name: 'New project' });
    await form.getByLabel('Name').fill('Hotel reviews');
    await form.getByLabel('Labels').selectOption('ternary');
    await form.getByLabel('Project file').fill(path);
    await form.getByRole('button', { name: 'Create project' }).click();

    const title = page.getByRole('heading', { level: 1, name: 'Hotel reviews' });
    await title.waitFor();
    expect(existsSync(path)).toBe(true);

    const labels = page.getByRole('region', { name: 'Labels' });
    for (const label of ['positive', 'neutral', 'negative']) {
      await expect.poll(() => labels.getByRole('rowheader', { name: label }).isVisible()).toBe(true);
    }
    const splits = page.getByRole('region', { name: 'Splits' });
    for (const split of ['Train', 'Validation', 'Test']) {
      await expect.poll(() => splits.getByRole('rowheader', { name: split }).isVisible()).toBe(true);
    }
    await app.screenshot('smoke-02-summary');

    // An import run outside the page (straight through the service) reaches it as project:changed.
    const csv = join(app.dir, 'reviews.csv');
    writeFileSync(
      csv,
      [
        'text,label',
        'Lovely room and friendly staff,positive',
        'Great breakfast,positive',
        'Would stay again,positive',
        'The room was fine,neutral',
        'Noisy at night,negative',
        'Rude reception,negative',
        'No label on this one,',
      ].join('\n'),
    );
    const imported = await app.service.invoke('import:run', {
      path: csv,
      columns: { textColumn: 'text', labelColumn: 'label' },
      unknownLabels: 'unlabelled',
    });
    expect(imported).toMatchObject({ ok: true, value: { imported: 7 } });
    const stat = (name: string) =>
      page.locator('.stat').filter({ has: page.getByRole('term').getByText(name, { exact: true }) }).getByRole('definition');
    await expect.poll(() => stat('Items').textContent()).toBe('7');
    await expect.poll(() => stat('Labelled').textContent()).toBe('6');
    await expect.poll(() => stat('Unlabelled').textContent()).toBe('1');
    const positiveRow = labels.getByRole('row', { name: /positive/ });
    await expect.poll(() => positiveRow.getByRole('cell').nth(1).textContent()).toBe('3');
    expect(app.events.map((e) => e.name)).toContain('project:changed');
    await app.screenshot('smoke-03-after-import');

    await page.getByRole('button', { name: 'Close project' }).click();
    await page.getByRole('heading', { name: 'Open project' }).waitFor();
  });

  it('shows the handler map\'s error message when a project cannot be opened', async () => {
    const app = await e2e.open();
    const form = app.page.getByRole('form', { name: 'Open project' });
    await form.getByLabel('Project file').fill(join(app.dir, 'missing.sstudio'));
    await form.getByRole('button', { name: 'Open project' }).click();
    const alert = form.getByRole('alert');
    await expect.poll(() => alert.textContent()).not.toBe('');
    await app.screenshot('smoke-04-open-error');
  });

  it('creates a project with the keyboard alone', async () => {
    const app = await e2e.open();
    const { page, dir } = app;
    await page.getByRole('heading', { name: 'New project' }).waitFor();

    // The app bar (its sections, language and appearance) comes first, then the New project form,
    // whose first text field is the name.
    const inNewProjectForm = () => page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-labelledby') === 'new-project-title');
    for (let i = 0; i < 12 && !(await inNewProjectForm()); i++) await page.keyboard.press('Tab');
    expect(await inNewProjectForm()).toBe(true);
    await page.keyboard.type('Keyboard project');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // binary -> ternary
    await page.keyboard.press('Tab');
    await page.keyboard.type(join(dir, 'keyboard.sstudio'));
    await app.screenshot('smoke-05-keyboard-form');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Keyboard project' }).waitFor();
    await expect.poll(() => page.getByRole('rowheader', { name: 'neutral' }).isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Close project');
  });
});
