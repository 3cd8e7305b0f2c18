/**
 * Import behaviour found in review: cancels mid-file, prototype-named columns and values, columns
 * that JSON records only mention late, metadata columns, and label conflicts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../../src-main/node/db/project';
import { importFile } from '../../src-main/node/ingest/importer';
import { previewFile } from '../../src-main/node/ingest/preview';
import { newProject, tempDir } from '../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

function setup(): { dir: string; project: Project } {
  const t = tempDir();
  cleanup = t.cleanup;
  return { dir: t.dir, project: newProject(t.dir) };
}

function counts(project: Project) {
  return project.db
    .prepare(`SELECT (SELECT COUNT(*) FROM items) AS items, (SELECT COUNT(*) FROM label_events) AS events,
      (SELECT COUNT(*) FROM imports) AS imports, (SELECT COUNT(*) FROM item_splits) AS splits`)
    .get();
}

describe('import edge cases', () => {
  it('a cancel in the middle of a file rolls everything back', async () => {
    const { dir, project } = setup();
    await importFile(project, { path: join(import.meta.dirname, '../fixtures/reviews-small.csv'), columns: { textColumn: 'review' } });
    const before = counts(project);
    const file = join(dir, 'many.csv');
    writeFileSync(file, 'text,label\n' + Array.from({ length: 20_000 }, (_, i) => `review ${i},positive`).join('\n'));
    const abort = new AbortController();
    let progressRows = 0;
    await expect(
      importFile(project, { path: file, columns: { textColumn: 'text', labelColumn: 'label' } }, {
        signal: abort.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          progressRows = p.rows;
          abort.abort();
        },
      }),
    ).rejects.toThrow('import cancelled');
    expect(progressRows).toBeGreaterThan(0);
    expect(progressRows).toBeLessThan(20_000);
    expect(counts(project)).toEqual(before);
    project.close();
  });

  it('treats __proto__ and constructor as ordinary column names and label values', async () => {
    const { dir, project } = setup();
    const file = join(dir, 'proto.csv');
    writeFileSync(file, 'text,__proto__,constructor\nfirst review,__proto__,a\nsecond review,constructor,b\n');
    const preview = await previewFile(file);
    expect(Object.hasOwn(preview.valueCounts, '__proto__')).toBe(true);
    expect(preview.valueCounts['__proto__']).toEqual(Object.fromEntries([['__proto__', 1], ['constructor', 1]]));
    const summary = await importFile(project, {
      path: file,
      columns: { textColumn: 'text', labelColumn: '__proto__', metadataColumns: ['constructor'] },
      unknownLabels: 'unlabelled',
    });
    expect(summary.imported).toBe(2);
    expect(Object.hasOwn(summary.labelValuesMapped, '__proto__')).toBe(true);
    expect(summary.labelValuesMapped['constructor']).toEqual({ label: null, count: 1 });
    expect(({} as Record<string, unknown>).count).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
    project.close();
  });

  it('accepts a JSON key that first appears late, and names one that never appears', async () => {
    const { dir, project } = setup();
    const file = join(dir, 'late.jsonl');
    const rows = Array.from({ length: 150 }, (_, i) => (i < 120 ? { text: `text ${i}` } : { text: `text ${i}`, label: 'negative' }));
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const summary = await importFile(project, { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
    expect(summary).toMatchObject({ imported: 150, labels: { negative: 30 } });
    await expect(importFile(project, { path: file, columns: { textColumn: 'text', labelColumn: 'sentiment' } })).rejects.toThrow(
      "the label column 'sentiment' is not in any record; its columns are 'text', 'label'",
    );
    project.close();
  });

  it('checks metadata columns like the others', async () => {
    const { project } = setup();
    await expect(
      importFile(project, { path: join(import.meta.dirname, '../fixtures/reviews-small.csv'), columns: { textColumn: 'review', metadataColumns: ['stras'] } }),
    ).rejects.toThrow("the metadata column 'stras' is not in the file");
    project.close();
  });

  it('keeps an existing label and counts the conflict', async () => {
    const { dir, project } = setup();
    const a = join(dir, 'a.jsonl');
    writeFileSync(a, [{ text: 'same text', label: 'positive' }, { text: 'same text', label: 'negative' }].map((r) => JSON.stringify(r)).join('\n'));
    const first = await importFile(project, { path: a, columns: { textColumn: 'text', labelColumn: 'label' } });
    expect(first).toMatchObject({ imported: 1, duplicates: 1, labelConflicts: 1, labels: { positive: 1, negative: 0 } });
    expect(project.summary().perLabel).toEqual({ positive: 1, negative: 0 });
    project.close();
  });
});
