/**
 * The shortcuts that keep a million-item project responsive answer exactly what the slow queries
 * answered: the list's "of N" for a label filter comes from the kept label counts, and the
 * summary's annotators come from seeks in the annotator index instead of a scan of every event,
 * the unlabelled queue comes from its trigger-kept table, and the snapshot hash is fed row by row
 * to the value the joined rows hashed to.
 */
import { hash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../../src-main/common/labels';
import { textHash } from '../../../src-main/node/db/items';
import { migrations } from '../../../src-main/node/db/migrations';
import { createProjectDb } from '../../../src-main/node/db/open';
import { Project } from '../../../src-main/node/db/project';
import { snapshotDigest } from '../../../src-main/node/db/runs';
import { peopleLabelsSinceSql } from '../../../src-main/node/assistController';
import { importFile } from '../../../src-main/node/ingest/importer';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';
import { writeJsonl } from '../../helpers/toyReviews';

let cleanup = () => {};
afterEach(() => cleanup());

function project(): { p: Project; ids: number[]; dir: string } {
  const t = tempDir();
  cleanup = t.cleanup;
  const p = newProject(t.dir, 'scale', [...labelSetPresets.ternary]);
  return { p, ids: addTexts(p, Array.from({ length: 40 }, (_, i) => `review number ${i}`)), dir: t.dir };
}

/** Totals counted item by item, as the list counted them before. */
function countedTotals(p: Project): Record<string, number> {
  const count = (where: string) =>
    p.db.prepare(`SELECT COUNT(*) FROM items i LEFT JOIN latest_label_event l ON l.item_id = i.id LEFT JOIN label_events e ON e.id = l.event_id ${where}`).pluck().get() as number;
  return {
    unlabelled: count('WHERE e.label IS NULL'),
    ...Object.fromEntries(p.meta.labels().map((l) => [l.name, count(`WHERE e.label = '${l.name}'`)])),
  };
}

function listedTotals(p: Project): Record<string, number> {
  const total = (label: string) => p.listItems({ offset: 0, limit: 1, label }).total!;
  return { unlabelled: total('unlabelled'), ...Object.fromEntries(p.meta.labels().map((l) => [l.name, total(l.name)])) };
}

function allCounted(p: Project): { list: number; summary: number } {
  return { list: p.listItems({ offset: 0, limit: 1 }).total!, summary: p.summary().items };
}

describe('list totals for a label filter', () => {
  it('equal counting the items (and the summary its items) through labelling, removal, undo, bulk and imported labels', async () => {
    const { p, ids, dir } = project();
    const steps: (() => unknown)[] = [
      () => p.setLabels(ids.slice(0, 10), 'positive', 'bulk', 'a'),
      () => p.setLabels([ids[3]!, ids[12]!], 'negative', 'manual', 'b'),
      () => p.setLabels([ids[4]!], null, 'manual', 'b'),
      () => p.undo('b'),
      () => p.setLabels(ids.slice(20, 25), 'neutral', 'model-accepted', 'a'),
      () =>
        importFile(p, {
          path: writeJsonl(join(dir, 'more.jsonl'), [
            { text: 'review number 30', label: 'negative' },
            { text: 'a new review', label: 'positive' },
            { text: 'another new one', label: '' },
          ]),
          columns: { textColumn: 'text', labelColumn: 'label' },
          unknownLabels: 'unlabelled',
        }),
    ];
    for (const step of steps) {
      await step();
      expect(listedTotals(p)).toEqual(countedTotals(p));
      const items = p.db.prepare('SELECT COUNT(*) FROM items').pluck().get();
      expect(allCounted(p)).toEqual({ list: items, summary: items });
    }
    expect(countedTotals(p)).toEqual({ unlabelled: 24, positive: 10, negative: 3, neutral: 5 });
    p.close();
  });

  it('respects the count cap, and counts by walking the items when a search or split narrows them', () => {
    const { p, ids } = project();
    p.setLabels(ids.slice(0, 12), 'positive', 'manual', 'a');
    expect(p.listItems({ offset: 0, limit: 1, label: 'unlabelled', maxTotal: 5 }).total).toBe(5);
    expect(p.listItems({ offset: 0, limit: 1, label: 'positive', search: 'number 1' }).total).toBe(3);
    const trainPositives = p.db.prepare("SELECT COUNT(*) FROM item_splits s JOIN current_labels c ON c.item_id = s.item_id WHERE s.split = 'train'").pluck().get();
    expect(p.listItems({ offset: 0, limit: 1, label: 'positive', split: 'train' }).total).toBe(trainPositives);
    expect(() => p.listItems({ offset: 0, limit: 1, label: 'postive' })).toThrow(/postive/);
    p.close();
  });
});

describe('summary annotators', () => {
  it('lists each person who labelled once, in order, leaving out import-only and undo-only names', () => {
    const { p, ids } = project();
    p.setLabels(ids.slice(0, 5), 'positive', 'import', 'importer');
    p.setLabels([ids[6]!], 'negative', 'manual', 'zoe');
    p.setLabels([ids[7]!, ids[8]!], 'neutral', 'bulk', 'adam');
    p.labelEvents.confirm([ids[6]!], 'mia');
    p.setLabels([ids[9]!], 'positive', 'manual', 'undoer');
    p.undo('undoer');
    p.undo('only-undoes', p.setLabels([ids[10]!], 'negative', 'import', 'importer').actionId);
    const scanned = p.db.prepare("SELECT DISTINCT annotator FROM label_events WHERE origin NOT IN ('import', 'undo') ORDER BY annotator").pluck().all();
    expect(p.summary().annotators).toEqual(scanned);
    expect(scanned).toEqual(['adam', 'mia', 'undoer', 'zoe']);
    p.close();
  });

  it('reads the annotator index instead of scanning every label event', () => {
    const { p } = project();
    const asked: string[] = [];
    const prepare = p.db.prepare.bind(p.db);
    p.db.prepare = ((sql: string) => (asked.push(sql), prepare(sql))) as typeof p.db.prepare;
    p.summary();
    p.db.prepare = prepare;
    const query = asked.find((sql) => sql.includes('annotator'))!;
    const plan = (p.db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/label_actions USING COVERING INDEX label_actions_annotator/);
    expect(plan).not.toMatch(/SCAN label_(events|actions)\b/);
    p.close();
  });
});

describe("the assistant's count of people's labels", () => {
  it('seeks in the partial index (imports not in it) and counts what walking the events counts', async () => {
    const { p, ids, dir } = project();
    p.setLabels(ids.slice(0, 5), 'positive', 'manual', 'a');
    const mark = p.db.prepare('SELECT max(id) FROM label_events').pluck().get() as number;
    p.setLabels(ids.slice(5, 8), 'negative', 'bulk', 'a');
    p.setLabels([ids[8]!], 'neutral', 'model', 'assistant');
    p.setLabels([ids[9]!], null, 'manual', 'a');
    p.undo('a');
    await importFile(p, {
      path: writeJsonl(join(dir, 'more.jsonl'), [
        { text: 'imported one', label: 'positive' },
        { text: 'review number 12', label: 'negative' },
      ]),
      columns: { textColumn: 'text', labelColumn: 'label' },
    });
    expect(p.db.prepare("SELECT COUNT(*) FROM label_events WHERE origin = 'import'").pluck().get()).toBe(2);
    const plan = (p.db.prepare(`EXPLAIN QUERY PLAN ${peopleLabelsSinceSql}`).all(0, 100) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/label_events USING (COVERING )?INDEX label_events_people/);
    const walked = p.db
      .prepare("SELECT COUNT(*) FROM label_events NOT INDEXED WHERE id > ? AND label IS NOT NULL AND origin IN ('manual','bulk','review','model-accepted')")
      .pluck();
    for (const after of [0, mark]) expect(p.db.prepare(peopleLabelsSinceSql).get(after, 100)).toEqual({ n: walked.get(after) });
    expect(p.db.prepare(peopleLabelsSinceSql).get(mark, 100)).toEqual({ n: 3 });
    // Counted only as far as the next refresh needs.
    expect(p.db.prepare(peopleLabelsSinceSql).get(0, 4)).toEqual({ n: 4 });
    p.close();
  });
});

describe('snapshot digest', () => {
  it('hashes rows as they stream to the hash of all their parts joined, as stored runs recorded it', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ hash: hash('sha256', `text ${i}`, 'buffer'), label: i % 3 ? 'positive' : 'negative', split: i % 10 ? 'train' : 'test' }));
    const joined = hash('sha256', rows.flatMap((r) => [r.hash.toString('hex'), r.label, r.split]).join('\n'));
    function* streamed() {
      yield* rows;
    }
    expect(snapshotDigest(streamed())).toEqual({ hash: joined, size: 300 });
    expect(snapshotDigest([])).toEqual({ hash: hash('sha256', ''), size: 0 });
  });
});

/** Unlabelled item ids by their events, as the queue was walked before migration 7. */
/** A queue's items as walking every item and its label found them. */
function walkedQueue(p: Project, queue = 'unlabelled', split?: string): number[] {
  return p.db
    .prepare(
      `SELECT i.id FROM items i LEFT JOIN latest_label_event l ON l.item_id = i.id LEFT JOIN label_events e ON e.id = l.event_id
       LEFT JOIN item_splits s ON s.item_id = i.id
       WHERE ${queue === 'unlabelled' ? 'e.label IS NULL' : 'e.label = @queue'} AND (@split IS NULL OR s.split = @split) ORDER BY i.id`,
    )
    .pluck()
    .all({ queue, split: split ?? null }) as number[];
}

function queued(p: Project, label = 'unlabelled'): number[] {
  const ids: number[] = [];
  for (let after = 0; ; ) {
    const next = p.listItems({ offset: 0, limit: 1, label, after, withTotal: false }).items[0];
    if (!next) return ids;
    ids.push((after = next.id));
  }
}

const queues = ['unlabelled', ...labelSetPresets.ternary.map((l) => l.name)];

describe('the unlabelled queue and the label queues', () => {
  it('follows labelling, removal, undo, bulk, imports and duplicates, in id order', async () => {
    const { p, ids, dir } = project();
    const steps: (() => unknown)[] = [
      () => p.setLabels(ids.slice(5, 30), 'positive', 'bulk', 'a'),
      () => p.setLabels([ids[7]!, ids[8]!], null, 'manual', 'a'),
      () => p.undo('a'),
      () => p.setLabels([ids[9]!], null, 'manual', 'b'),
      () => p.setLabels([ids[9]!], 'negative', 'manual', 'b'),
      () => p.labelEvents.confirm([ids[10]!], 'c'),
      () =>
        importFile(p, {
          path: writeJsonl(join(dir, 'more.jsonl'), [
            { text: 'review number 2', label: 'negative' },
            { text: 'review number 3', label: '' },
            { text: 'brand new, labelled', label: 'positive' },
            { text: 'brand new, unlabelled', label: '' },
          ]),
          columns: { textColumn: 'text', labelColumn: 'label' },
          unknownLabels: 'unlabelled',
        }),
    ];
    for (const step of steps) {
      await step();
      for (const queue of queues) expect(queued(p, queue), queue).toEqual(walkedQueue(p, queue));
    }
    expect(queued(p)).toHaveLength(15);
    for (const queue of queues) {
      const walked = walkedQueue(p, queue);
      // Backwards from past the end, and the totals (kept counts; with a split, counted).
      expect(p.listItems({ offset: 0, limit: 2, label: queue, before: ids.at(-1)! + 100 }).items.map((i) => i.id)).toEqual(walked.slice(-2));
      expect(p.listItems({ offset: 0, limit: 1, label: queue }).total).toBe(walked.length);
      for (const split of ['train', 'test'] as const) {
        expect(p.listItems({ offset: 0, limit: 100, label: queue, split })).toMatchObject({
          total: walkedQueue(p, queue, split).length,
          items: walkedQueue(p, queue, split).map((id) => expect.objectContaining({ id })),
        });
      }
    }
    expect(p.listItems({ offset: 0, limit: 3, label: 'unlabelled', before: ids[33]! }).items.map((i) => i.id)).toEqual([ids[30], ids[31], ids[32]]);
    p.close();
  });

  it('finds search matches in the queue as walking every match did, indexed or not', () => {
    const { p, ids } = project();
    p.setLabels(ids.slice(0, 30), 'positive', 'bulk', 'a');
    p.searchIndex.indexBatch(35);
    const walked = (search: string) =>
      p.db
        .prepare(
          `SELECT i.id FROM items i LEFT JOIN latest_label_event l ON l.item_id = i.id LEFT JOIN label_events e ON e.id = l.event_id
           WHERE e.label IS NULL AND i.text LIKE ? ORDER BY i.id`,
        )
        .pluck()
        .all(`%${search}%`);
    const found = (search: string) => p.listItems({ offset: 0, limit: 100, label: 'unlabelled', search });
    // Matches on both sides of the indexed part (35) and of the first unlabelled item (31).
    expect(found('number 3')).toEqual({ total: 10, items: walked('number 3').map((id) => expect.objectContaining({ id })) });
    // A label removed early in the project moves the queue's start back.
    p.setLabels([ids[3]!], null, 'manual', 'a');
    expect(found('number 3').items.map((i) => i.id)).toEqual(walked('number 3'));
    expect(found('number 3').items[0]!.id).toBe(ids[3]);
    p.setLabels(ids, 'negative', 'bulk', 'a');
    expect(found('number')).toEqual({ total: 0, items: [] });
    p.close();
  });

  it('is filled from the labels an older project already had', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'old.sstudio');
    const old = createProjectDb(path, { name: 'old', labels: [...labelSetPresets.binary] }, { migrations: migrations.slice(0, 6) });
    const at = new Date().toISOString();
    const item = old.prepare('INSERT INTO items(hash, text, created_at) VALUES (?, ?, ?)');
    const ids = ['a', 'b', 'c', 'd'].map((text) => Number(item.run(textHash(text), text, at).lastInsertRowid));
    const action = Number(old.prepare("INSERT INTO label_actions(kind, annotator, created_at) VALUES ('label', 'a', ?)").run(at).lastInsertRowid);
    const event = old.prepare("INSERT INTO label_events(item_id, action_id, label, annotator, origin, created_at) VALUES (?, ?, ?, 'a', 'manual', ?)");
    event.run(ids[0], action, 'positive', at);
    event.run(ids[1], action, 'negative', at);
    event.run(ids[1], action, null, at);
    old.close();

    const p = Project.open(path);
    expect(queued(p)).toEqual([ids[1], ids[2], ids[3]]);
    expect(queued(p, 'positive')).toEqual([ids[0]]);
    expect(queued(p, 'negative')).toEqual([]);
    expect(p.listItems({ offset: 0, limit: 1, label: 'unlabelled' }).total).toBe(3);
    p.close();
  });
});
