/**
 * The hostile and broken input corpus (test/fixtures/bad/) through the handler map, as the Import
 * wizard drives it: preview, then import into a project that already holds reviews and labels.
 * Each file imports exactly as expected.ts says, or fails with a message naming the problem and
 * leaves the project's content as it was, row for row; nothing ends in an internal error.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src-main/common/ingest';
import type { Project } from '../../src-main/node/db/project';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { badInputCases, type BadInputCase, type FailsWith, type ImportsAs } from '../fixtures/bad/expected';
import { writeGeneratedCases } from '../fixtures/bad/generate';
import { addTexts, newProject, tempDir } from '../helpers/tempProject';

const committed = join(import.meta.dirname, '../fixtures/bad');
const baseTexts = ['Base review, already labelled positive', 'Base review, already labelled negative', 'Base review, not labelled yet'];

let dir: string;
let generatedDir: string;
let cleanup = () => {};
let template: string;
let service: StudioService;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  ({ dir, cleanup } = tempDir('sstudio-bad-'));
  generatedDir = join(dir, 'generated');
  mkdirSync(generatedDir);
  await writeGeneratedCases(generatedDir);
  const project = newProject(dir, 'template');
  const [pos, neg] = addTexts(project, baseTexts);
  project.labelEvents.setLabels([pos], 'positive', 'manual', 'analyst');
  project.labelEvents.setLabels([neg], 'negative', 'manual', 'analyst');
  project.splits.assignPending();
  template = project.path;
  project.close();
  service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' });
}, 60_000);

afterAll(async () => {
  await service?.dispose();
  cleanup();
  process.off('unhandledRejection', onUnhandled);
});

/** Every user table, row by row (the search index, rebuilt in the background, excepted). */
function contentOf(project: Project) {
  const tables = project.db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'items_fts%' AND name != 'search_index_state' ORDER BY name",
    )
    .all()
    .map((t) => t.name);
  const checksum = createHash('sha256');
  for (const table of tables) {
    checksum.update(table);
    // Some tables are WITHOUT ROWID: sorted rows give one order for all.
    const rows = project.db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row));
    for (const row of rows.sort()) checksum.update(row);
  }
  const count = (sql: string) => (project.db.prepare(sql).get() as { n: number }).n;
  return {
    items: count('SELECT COUNT(*) AS n FROM items'),
    labelEvents: count('SELECT COUNT(*) AS n FROM label_events'),
    imports: count('SELECT COUNT(*) AS n FROM imports'),
    checksum: checksum.digest('hex'),
  };
}

function integrity(project: Project): string {
  return (project.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
}

function pathOf(c: BadInputCase): string {
  return join(c.generated ? generatedDir : committed, c.file);
}

async function openCopy(name: string): Promise<Project> {
  const path = join(dir, `${name}.sstudio`);
  copyFileSync(template, path);
  const opened = await service.invoke('project:open', { path });
  if (!opened.ok) throw new Error(opened.error.message);
  return service.project!;
}

function checkImported(summary: ImportSummary, expected: ImportsAs, project: Project, before: ReturnType<typeof contentOf>): void {
  const labels = { positive: 0, negative: 0, ...expected.labels };
  expect(summary).toMatchObject({
    imported: expected.items,
    labels,
    duplicates: expected.duplicates ?? 0,
    duplicateIds: expected.duplicateIds ?? 0,
    skippedEmpty: expected.skippedEmpty ?? 0,
  });
  if (expected.encoding !== undefined) expect(summary.encoding).toBe(expected.encoding);
  const after = contentOf(project);
  expect(after.items).toBe(before.items + expected.items);
  expect(after.labelEvents).toBe(before.labelEvents + Object.values(labels).reduce((a, b) => a + b, 0));
  const texts = project.db
    .prepare<[number], { text: string }>('SELECT text FROM items WHERE id > ? ORDER BY id')
    .all(before.items)
    .map((r) => r.text);
  if (expected.texts) expect(texts).toEqual(expected.texts);
  if (expected.textLengths) expect(texts.map((t) => t.length)).toEqual(expected.textLengths);
  // The texts the project held before are untouched.
  expect(project.db.prepare('SELECT text FROM items WHERE id <= ? ORDER BY id').all(before.items).map((r) => (r as { text: string }).text)).toEqual(baseTexts);
}

describe('hostile and broken input files', () => {
  it('has at least 30 committed files in the corpus', () => {
    expect(new Set(badInputCases.filter((c) => !c.generated).map((c) => c.file)).size).toBeGreaterThanOrEqual(30);
  });

  it.each(badInputCases.map((c) => [`${c.file}: ${c.what}`, c] as const))('%s', async (_name, c) => {
    const project = await openCopy(c.file.replace(/\W/g, '_'));
    const before = contentOf(project);
    const path = pathOf(c);

    // The wizard's first look: a refusal is fine, an internal error is not.
    const preview = await service.invoke('import:preview', { path, read: c.read });
    if (!preview.ok) expect(preview.error.code).not.toBe('internal');

    const result = await service.invoke('import:run', {
      path,
      read: c.read,
      columns: c.columns ?? { textColumn: 'text', labelColumn: 'label' },
      unknownLabels: c.unknownLabels,
    });
    if ('error' in c.expect) {
      const expected: FailsWith = c.expect;
      expect(result.ok, result.ok ? JSON.stringify(result.value) : '').toBe(false);
      if (result.ok) return;
      expect(result.error.code).not.toBe('internal');
      expect(result.error.message).toMatch(expected.error);
      if (expected.line !== undefined) expect(result.error.line).toBe(expected.line);
      expect(contentOf(project)).toEqual(before);
    } else {
      expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
      if (!result.ok) return;
      checkImported(result.value, c.expect, project, before);
    }
    expect(integrity(project)).toBe('ok');
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(unhandled).toEqual([]);
    await service.invoke('project:close', {});
  });
});
