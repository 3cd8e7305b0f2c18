/**
 * An import is all or nothing: a malformed file, an unknown label or a cancel leaves a project that
 * already holds items and labels exactly as it was.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project } from '../../src-main/node/db/project';
import { importFile } from '../../src-main/node/ingest/importer';
import { newProject, tempDir } from '../helpers/tempProject';

const fixtures = join(import.meta.dirname, '../fixtures');
let cleanup = () => {};
afterEach(() => cleanup());

function snapshot(project: Project) {
  const q = (sql: string) => project.db.prepare(sql).all();
  return {
    items: q('SELECT * FROM items ORDER BY id'),
    events: q('SELECT * FROM label_events ORDER BY id'),
    actions: q('SELECT * FROM label_actions ORDER BY id'),
    imports: q('SELECT * FROM imports ORDER BY id'),
    splits: q('SELECT * FROM item_splits ORDER BY item_id'),
  };
}

async function projectWithLabels(dir: string): Promise<Project> {
  const project = newProject(dir);
  await importFile(project, {
    path: join(fixtures, 'reviews-small.csv'),
    columns: { textColumn: 'review', labelColumn: 'sentiment', idColumn: 'id' },
    labelMapping: { values: { '1': 'positive', '0': 'negative' } },
  });
  const first = project.listItems({ offset: 0, limit: 1 }).items[0]!;
  project.labelEvents.setLabels([first.id], 'negative', 'manual', 'ann');
  return project;
}

describe('import transaction', () => {
  it('imports, deduplicates and reports counts', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = newProject(t.dir);
    const summary = await importFile(project, {
      path: join(fixtures, 'reviews-small.csv'),
      columns: { textColumn: 'review', labelColumn: 'sentiment', idColumn: 'id', metadataColumns: ['stars'] },
      labelMapping: { values: { '1': 'positive', '0': 'negative' } },
    });
    expect(summary).toMatchObject({
      read: 8,
      imported: 6,
      duplicates: 1,
      skipped: 1,
      skippedEmpty: 1,
      labels: { positive: 3, negative: 3 },
      labelValuesMapped: { '1': { label: 'positive', count: 4 }, '0': { label: 'negative', count: 3 } },
    });
    const items = project.listItems({ offset: 0, limit: 10 }).items;
    expect(items.find((i) => i.externalId === 'r3')!.text).toBe('Two lines\nin one review, still positive');
    expect(items.find((i) => i.externalId === 'r2')!.text).toBe('Dull. "Epic" it was not.');
    const again = await importFile(project, {
      path: join(fixtures, 'reviews-small.csv'),
      columns: { textColumn: 'review', labelColumn: 'sentiment' },
      labelMapping: { values: { '1': 'positive', '0': 'negative' } },
    });
    expect(again).toMatchObject({ imported: 0, duplicates: 7, labels: { positive: 0, negative: 0 } });
    expect(project.summary().labelEvents).toBe(6);
    project.close();
  });

  it('a malformed file changes nothing in a project that already holds labels', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = await projectWithLabels(t.dir);
    const before = snapshot(project);
    await expect(
      importFile(project, { path: join(fixtures, 'reviews-broken.csv'), columns: { textColumn: 'text', labelColumn: 'label' } }),
    ).rejects.toThrow('line 5: unterminated quote');
    expect(snapshot(project)).toEqual(before);
    // The file on disk is intact too: reopen it and compare.
    const path = project.path;
    project.close();
    const reopened = Project.open(path);
    expect(snapshot(reopened)).toEqual(before);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
  });

  it('an unknown label value stops the import at its line, naming the allowed labels', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = await projectWithLabels(t.dir);
    const before = snapshot(project);
    const file = join(fixtures, 'reviews-unknown-label.jsonl');
    await expect(importFile(project, { path: file, columns: { textColumn: 'text', labelColumn: 'label' } })).rejects.toThrow(
      "line 3: label 'postive' is not one of positive, negative",
    );
    expect(snapshot(project)).toEqual(before);
    const skipped = await importFile(project, { path: file, columns: { textColumn: 'text', labelColumn: 'label' }, unknownLabels: 'skip' });
    expect(skipped).toMatchObject({ imported: 2, skippedUnknownLabel: 1 });
    project.close();
  });

  it('a cancelled import changes nothing', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = await projectWithLabels(t.dir);
    const before = snapshot(project);
    const abort = new AbortController();
    abort.abort();
    const big = join(t.dir, 'copy.csv');
    copyFileSync(join(fixtures, 'reviews-small.csv'), big);
    await expect(
      importFile(project, { path: big, columns: { textColumn: 'review' } }, { signal: abort.signal }),
    ).rejects.toThrow(/cancelled/);
    expect(snapshot(project)).toEqual(before);
    project.close();
  });

  it('lets the event loop turn while it imports, so a Cancel from a timer (or IPC) stops it', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = await projectWithLabels(t.dir);
    const before = snapshot(project);
    const big = join(t.dir, 'big.csv');
    writeFileSync(big, ['review', ...Array.from({ length: 200_000 }, (_, i) => `review number ${i} of a long file`)].join('\n'));
    const abort = new AbortController();
    let reports = 0;
    let afterCancelAsked = 0;
    const onProgress = () => {
      reports++;
      if (reports === 20) setTimeout(() => abort.abort(), 0);
      if (reports > 20) afterCancelAsked++;
    };
    await expect(importFile(project, { path: big, columns: { textColumn: 'review' } }, { signal: abort.signal, progressIntervalMs: 0, onProgress })).rejects.toThrow(
      /cancelled/,
    );
    // The timer ran at the next report's break, and the import stopped at the check after it
    // (reports come every 1,024 rows here; the file has about 195 of them).
    expect(afterCancelAsked).toBeLessThanOrEqual(2);
    expect(snapshot(project)).toEqual(before);
    project.close();
  });

  it('names a missing column and lists the ones the file has', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = newProject(t.dir);
    await expect(
      importFile(project, { path: join(fixtures, 'reviews-small.csv'), columns: { textColumn: 'body' } }),
    ).rejects.toThrow("the text column 'body' is not in the file; its columns are 'id', 'review', 'sentiment', 'stars'");
    expect(project.items.count()).toBe(0);
    project.close();
  });
});
