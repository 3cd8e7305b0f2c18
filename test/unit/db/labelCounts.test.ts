import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../../src-main/common/labels';
import { textHash } from '../../../src-main/node/db/items';
import { migrations } from '../../../src-main/node/db/migrations';
import { createProjectDb } from '../../../src-main/node/db/open';
import { Project } from '../../../src-main/node/db/project';
import { importFile } from '../../../src-main/node/ingest/importer';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

/** The counts the trigger-kept table must always equal, counted the slow way. */
function counted(project: Project): Record<string, number> {
  const rows = project.db
    .prepare<[], { label: string; split: string | null; n: number }>(
      `SELECT c.label, s.split, COUNT(*) AS n FROM current_labels c
       LEFT JOIN item_splits s ON s.item_id = c.item_id GROUP BY 1, 2`,
    )
    .all();
  return Object.fromEntries(rows.map((r) => [`${r.label}/${r.split ?? ''}`, r.n]));
}

function kept(project: Project): Record<string, number> {
  const rows = project.db
    .prepare<[], { label: string; split: string; n: number }>('SELECT label, split, sum(n) AS n FROM label_counts GROUP BY 1, 2 HAVING sum(n) <> 0')
    .all();
  return Object.fromEntries(rows.map((r) => [`${r.label}/${r.split}`, r.n]));
}

describe('label counts', () => {
  it('follow labelling, relabelling, removal, undo and split assignment', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const p = newProject(t.dir, 'counts', [...labelSetPresets.ternary]);
    const ids = addTexts(p, Array.from({ length: 60 }, (_, i) => `text number ${i}`));
    const steps: (() => unknown)[] = [
      () => p.setLabels(ids.slice(0, 30), 'positive', 'bulk', 'a'),
      () => p.setLabels(ids.slice(10, 20), 'negative', 'manual', 'a'),
      () => p.setLabels(ids.slice(15, 25), null, 'manual', 'b'),
      () => p.undo('a'),
      () => p.undo('a'),
      () => p.setLabels([ids[40]!, ids[40]!, ids[41]!], 'neutral', 'manual', 'a'),
      () => p.undo('a'),
      () => p.setLabels(ids.slice(30), 'neutral', 'bulk', 'a'),
    ];
    for (const step of steps) {
      step();
      expect(kept(p)).toEqual(counted(p));
    }
    const summary = p.summary();
    expect(summary.labelled).toBe(Object.values(counted(p)).reduce((a, b) => a + b, 0));
    expect(Object.values(summary.perSplit).flatMap((s) => Object.values(s)).reduce((a, b) => a + b, 0)).toBe(summary.labelled);
    p.close();
  });

  it('follow an import with labels, duplicates and given splits', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const p = newProject(t.dir);
    const csv = join(t.dir, 'reviews.csv');
    writeFileSync(csv, ['text,label,split', 'good,positive,train', 'bad,negative,test', 'good,positive,', 'meh,,', 'fine,positive,'].join('\n'));
    await importFile(p, { path: csv, columns: { textColumn: 'text', labelColumn: 'label', splitColumn: 'split' }, annotator: 'import' });
    expect(kept(p)).toEqual(counted(p));
    expect(p.summary()).toMatchObject({ labelled: 3, perLabel: { positive: 2, negative: 1 } });
    // Split balancing counts only automatic assignments, not the splits the file gave.
    const auto = p.db
      .prepare<[], { label: string; split: string; n: number }>(
        `SELECT c.label, s.split, COUNT(*) AS n FROM current_labels c JOIN item_splits s ON s.item_id = c.item_id
         WHERE s.source = 'auto' GROUP BY 1, 2`,
      )
      .all();
    const fromCounts = [...p.splits.autoCountsByLabel()].flatMap(([label, c]) =>
      Object.entries(c).filter(([, n]) => n > 0).map(([split, n]) => ({ label, split, n })),
    );
    expect(fromCounts).toEqual(auto);
    expect(auto).toEqual([{ label: 'positive', split: expect.any(String), n: 1 }]);
    p.close();
  });

  it('survive an import that fails: its suspended triggers come back with the rollback', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const p = newProject(t.dir);
    const [first] = addTexts(p, ['kept before the import']);
    p.setLabels([first!], 'positive', 'manual', 'x');
    const triggers = () => p.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'label_counts%' ORDER BY name").all();
    const before = triggers();
    expect(before).toHaveLength(2);
    const csv = join(t.dir, 'broken.csv');
    writeFileSync(csv, ['text,label', 'good,positive', 'bad,postive'].join('\n'));
    await expect(importFile(p, { path: csv, columns: { textColumn: 'text', labelColumn: 'label' }, annotator: 'import' })).rejects.toThrow(/postive/);
    expect(triggers()).toEqual(before);
    // Still kept by the triggers afterwards.
    const [second] = addTexts(p, ['labelled after the failed import']);
    p.setLabels([second!], 'negative', 'manual', 'x');
    expect(kept(p)).toEqual(counted(p));
    expect(p.summary().perLabel).toEqual({ positive: 1, negative: 1 });
    p.close();
  });

  it('are counted for the labels an older project already had', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'old.sstudio');
    const old = createProjectDb(path, { name: 'old', labels: [...labelSetPresets.binary] }, { migrations: migrations.slice(0, 2) });
    const at = new Date().toISOString();
    const item = old.prepare('INSERT INTO items(hash, text, created_at) VALUES (?, ?, ?)');
    const ids = ['a', 'b', 'c'].map((text) => Number(item.run(textHash(text), text, at).lastInsertRowid));
    const action = Number(old.prepare("INSERT INTO label_actions(kind, annotator, created_at) VALUES ('label', 'a', ?)").run(at).lastInsertRowid);
    const event = old.prepare("INSERT INTO label_events(item_id, action_id, label, annotator, origin, created_at) VALUES (?, ?, ?, 'a', 'manual', ?)");
    event.run(ids[0], action, 'positive', at);
    event.run(ids[1], action, 'negative', at);
    event.run(ids[1], action, 'positive', at);
    old.prepare("INSERT INTO item_splits(item_id, split, source) VALUES (?, 'test', 'auto')").run(ids[0]);
    old.close();

    const p = Project.open(path);
    expect(kept(p)).toEqual({ 'positive/test': 1, 'positive/': 1 });
    expect(p.summary()).toMatchObject({ labelled: 2, perLabel: { positive: 2, negative: 0 } });
    p.close();
  });
});
