import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../../src-main/common/labels';
import { textHash } from '../../../src-main/node/db/items';
import { migrations } from '../../../src-main/node/db/migrations';
import { createProjectDb } from '../../../src-main/node/db/open';
import { Project } from '../../../src-main/node/db/project';
import { maxTrigramsPerShortTerm, searchTerms } from '../../../src-main/node/db/search';
import { SearchIndexing } from '../../../src-main/node/searchIndexing';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

const reviews = [
  'The hotel was clean and the staff were friendly.',
  'Terrible service. I will NOT come back!',
  '酒店很干净，服务也很好。',
  '房间太小了，不推荐。',
  'He said "best stay ever" and meant it.',
  "It's 100% worth it: 5/5 (would_book again)",
  'Clean room, noisy street. Café downstairs.',
  'مرحبا، الفندق نظيف جدا',
  'Path C:\\temp\\notes was in the email',
];

function setup(texts = reviews) {
  const t = tempDir();
  cleanup = t.cleanup;
  const project = newProject(t.dir);
  const ids = addTexts(project, texts);
  return { project, ids, dir: t.dir };
}

function found(project: Project, search: string): string[] {
  return project.listItems({ offset: 0, limit: 100, search }).items.map((i) => i.text);
}

describe('search terms', () => {
  it('splits on white space, keeps quoted phrases together and drops duplicates', () => {
    expect(searchTerms('  clean  "best stay"  clean 干净 ')).toEqual(['clean', 'best stay', '干净']);
    expect(searchTerms('"unbalanced quote')).toEqual(['"unbalanced', 'quote']);
    expect(searchTerms('""   ')).toEqual([]);
  });
});

describe('full-text search', () => {
  for (const indexed of [true, false]) {
    describe(indexed ? 'through the trigram index' : 'before the indexer has run (scanning)', () => {
      function project() {
        const s = setup();
        if (indexed) s.project.searchIndex.indexAll();
        expect(s.project.searchIndex.pending()).toBe(indexed ? 0 : reviews.length);
        return s.project;
      }

      it('finds English words case-insensitively, anywhere in a word', () => {
        const p = project();
        expect(found(p, 'clean')).toEqual([reviews[0], reviews[6]]);
        expect(found(p, 'NOT come')).toEqual([reviews[1]]);
        expect(found(p, 'otel')).toEqual([reviews[0]]);
        expect(found(p, 'clean noisy')).toEqual([reviews[6]]);
        expect(found(p, 'clean nowhere-to-be-found')).toEqual([]);
        p.close();
      });

      it('finds Chinese words inside unspaced text, including two-character ones', () => {
        const p = project();
        expect(found(p, '干净')).toEqual([reviews[2]]);
        expect(found(p, '很干净')).toEqual([reviews[2]]);
        expect(found(p, '不推荐')).toEqual([reviews[3]]);
        expect(found(p, '很')).toEqual([reviews[2]]);
        // At the very end of a text, a short term still starts an indexed trigram (the sentinels).
        expect(found(p, '好。')).toEqual([reviews[2]]);
        expect(found(p, '。')).toEqual([reviews[2], reviews[3]]);
        expect(found(p, 'نظيف')).toEqual([reviews[7]]);
        p.close();
      });

      it('folds case beyond ASCII as the index does', () => {
        const folding = ['ÉCOLE très Été', 'Привет Мир', 'ΟΔΟΣ', '5 µm and ſtay', 'plain ascii kite'];
        const s = setup(folding);
        if (indexed) s.project.searchIndex.indexAll();
        const p = s.project;
        expect(found(p, 'été')).toEqual([folding[0]]);
        expect(found(p, 'école TRÈS')).toEqual([folding[0]]);
        expect(found(p, 'мир')).toEqual([folding[1]]);
        expect(found(p, 'ПРИВЕТ мИр')).toEqual([folding[1]]);
        expect(found(p, 'ми')).toEqual([folding[1]]);
        expect(found(p, 'é')).toEqual([folding[0]]);
        // The index's folding is Unicode case folding, not lower-casing: final sigma, micro sign, long s.
        expect(found(p, 'οδος')).toEqual([folding[2]]);
        expect(found(p, 'μm')).toEqual([folding[3]]);
        expect(found(p, 'stay')).toEqual([folding[3]]);
        expect(found(p, 'ASCII')).toEqual([folding[4]]);
        // The Kelvin sign folds to k: in the term too, against an ASCII-only text.
        expect(found(p, '\u212AITE')).toEqual([folding[4]]);
        p.close();
      });

      it('takes quotes, punctuation and query syntax as plain text, never as an error', () => {
        const p = project();
        expect(found(p, '"best stay ever"')).toEqual([reviews[4]]);
        expect(found(p, 'said "best')).toEqual([reviews[4]]);
        expect(found(p, '100%')).toEqual([reviews[5]]);
        expect(found(p, 'would_book')).toEqual([reviews[5]]);
        expect(found(p, "it's")).toEqual([reviews[5]]);
        expect(found(p, '5/5')).toEqual([reviews[5]]);
        expect(found(p, 'C:\\temp')).toEqual([reviews[8]]);
        for (const hostile of ['"', '""', "'", 'AND', 'OR NOT', 'NEAR(a b)', '*', 'clean*', '-clean', 'text:clean', '(', ')', '^the', '{x}', '%', '_', '\\', '"a" OR "b"']) {
          expect(() => found(p, hostile), hostile).not.toThrow();
        }
        expect(found(p, '%')).toEqual([reviews[5]]);
        expect(found(p, '_')).toEqual([reviews[5]]);
        expect(found(p, 'clean*')).toEqual([]);
        p.close();
      });

      it('combines with the label filter and counts matches', () => {
        const p = project();
        const [clean] = p.listItems({ offset: 0, limit: 1, search: 'clean' }).items;
        p.setLabels([clean!.id], 'positive', 'manual', 'ann');
        expect(p.listItems({ offset: 0, limit: 10, search: 'clean', label: 'positive' })).toMatchObject({ total: 1, items: [{ id: clean!.id }] });
        expect(p.listItems({ offset: 0, limit: 10, search: 'clean', label: 'unlabelled' }).items.map((i) => i.text)).toEqual([reviews[6]]);
        expect(p.itemIds({ search: 'clean' })).toHaveLength(2);
        p.close();
      });
    });
  }

  it('indexes items added after an earlier indexing run, and finds them before it', () => {
    const { project } = setup();
    project.searchIndex.indexAll();
    const [late] = addTexts(project, ['A late arrival about a clean lobby']);
    expect(project.searchIndex.pending()).toBe(1);
    expect(found(project, 'clean lobby')).toEqual(['A late arrival about a clean lobby']);
    expect(project.searchIndex.indexFor(50)).toBe(true);
    expect(project.searchIndex.pending()).toBe(0);
    const indexed = project.db.prepare("SELECT rowid FROM items_fts WHERE items_fts MATCH '\"clean lobby\"'").pluck().all();
    expect(indexed).toEqual([late]);
    project.close();
  });

  it('pages across indexed and not-yet-indexed items as one list, and caps counts on request', () => {
    const texts = Array.from({ length: 8 }, (_, i) => `clean room number ${i}`);
    const { project } = setup(texts.slice(0, 5));
    project.searchIndex.indexAll();
    const late = addTexts(project, texts.slice(5));
    const page = (q: { offset?: number; limit: number; after?: number; before?: number; maxTotal?: number }) =>
      project.listItems({ offset: 0, search: 'clean room', ...q });
    expect(page({ limit: 100 })).toMatchObject({ total: 8 });
    expect(page({ limit: 100 }).items.map((i) => i.text)).toEqual(texts);
    expect(page({ limit: 3, offset: 4 }).items.map((i) => i.text)).toEqual(texts.slice(4, 7));
    expect(page({ limit: 10, offset: 6 }).items.map((i) => i.text)).toEqual(texts.slice(6));
    expect(page({ limit: 2, before: late[1]! }).items.map((i) => i.text)).toEqual(texts.slice(4, 6));
    expect(page({ limit: 2, after: 4 }).items.map((i) => i.text)).toEqual(texts.slice(4, 6));
    expect(page({ limit: 1, maxTotal: 6 }).total).toBe(6);
    expect(page({ limit: 1, maxTotal: 100 }).total).toBe(8);
    project.close();
  });

  it('scans for a short term that starts too many trigrams to list', () => {
    const texts = Array.from({ length: maxTrigramsPerShortTerm + 50 }, (_, i) => `x${String.fromCodePoint(0x4e00 + i)}`);
    const { project } = setup([...texts, 'y']);
    project.searchIndex.indexAll();
    expect(project.searchIndex.trigramsStartingWith('x').length).toBe(maxTrigramsPerShortTerm + 1);
    expect(project.itemIds({ search: 'x' })).toHaveLength(texts.length);
    expect(found(project, 'X一')).toEqual(['x一']);
    expect(found(project, 'y')).toEqual(['y']);
    project.close();
  });

  it('scans for a short non-ASCII term in any case', () => {
    const texts = Array.from({ length: maxTrigramsPerShortTerm + 50 }, (_, i) => `é${String.fromCodePoint(0x4e00 + i)}`);
    const { project } = setup([...texts, 'ÉTÉ']);
    project.searchIndex.indexAll();
    expect(project.searchIndex.trigramsStartingWith('é').length).toBe(maxTrigramsPerShortTerm + 1);
    expect(project.itemIds({ search: 'É' })).toHaveLength(texts.length + 1);
    expect(found(project, 'ÉT')).toEqual(['ÉTÉ']);
    project.close();
  });

  it('finds not-yet-indexed items in any case on a read-only open (no writes needed)', () => {
    const { project, dir } = setup(['ÉCOLE très Été']);
    project.close();
    const readOnly = Project.open(`${dir}/test.sstudio`, { readOnly: true });
    expect(readOnly.searchIndex.pending()).toBe(1);
    expect(found(readOnly, 'école')).toEqual(['ÉCOLE très Été']);
    readOnly.close();
  });

  it('keeps item texts immutable, so the index cannot go stale', () => {
    const { project, ids } = setup();
    expect(() => project.db.prepare("UPDATE items SET text = 'changed' WHERE id = ?").run(ids[0])).toThrow(/cannot change/);
    expect(() => project.db.prepare('DELETE FROM items WHERE id = ?').run(ids[0])).toThrow(/cannot be deleted/);
    project.close();
  });
});

describe('search index migration', () => {
  it('upgrades a version-1 project and indexes the items it already had', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    // A file as version 1 wrote it: the schema without the search index.
    const old = createProjectDb(`${t.dir}/old.sstudio`, { name: 'old', labels: [...labelSetPresets.binary] }, { migrations: migrations.slice(0, 1) });
    const insert = old.prepare('INSERT INTO items(hash, text, created_at) VALUES (?, ?, ?)');
    for (const text of reviews) insert.run(textHash(text), text, new Date().toISOString());
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();

    const upgraded = Project.open(`${t.dir}/old.sstudio`);
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(upgraded.searchIndex.pending()).toBe(reviews.length);
    expect(found(upgraded, '干净')).toEqual([reviews[2]]);
    upgraded.searchIndex.indexAll();
    expect(upgraded.db.prepare("SELECT count(*) FROM items_fts WHERE items_fts MATCH '\"the\"'").pluck().get()).toBe(2);
    expect(found(upgraded, 'friendly')).toEqual([reviews[0]]);
    upgraded.close();
  });

  it('fills the index in the background in slices, and stops when the project goes', async () => {
    const { project } = setup(Array.from({ length: 3000 }, (_, i) => `review number ${i} about room ${i % 7}`));
    let target: Project | null = project;
    const indexing = new SearchIndexing(() => target, { sliceMs: 2, pauseMs: 0 });
    indexing.kick();
    await new Promise((r) => setTimeout(r, 1));
    expect(project.searchIndex.pending()).toBeGreaterThan(0);
    await expect.poll(() => project.searchIndex.pending(), { timeout: 10_000 }).toBe(0);
    expect(indexing.running).toBe(false);
    expect(project.listItems({ offset: 0, limit: 1, search: 'number 2999' }).items[0]?.text).toBe('review number 2999 about room 3');

    addTexts(project, ['one more review']);
    target = null;
    indexing.kick();
    await new Promise((r) => setTimeout(r, 20));
    expect(project.searchIndex.pending()).toBe(1);
    indexing.dispose();
    project.close();
  });
});

describe('background indexing', () => {
  it('waits out a transaction it must not join, then carries on', async () => {
    const { project } = setup(Array.from({ length: 500 }, (_, i) => `review number ${i}`));
    const indexing = new SearchIndexing(() => project, { sliceMs: 2, pauseMs: 0, retryMs: 5 });
    project.db.exec('BEGIN');
    indexing.kick();
    await new Promise((r) => setTimeout(r, 30));
    expect(project.searchIndex.pending()).toBe(500);
    project.db.exec('ROLLBACK');
    await expect.poll(() => project.searchIndex.pending(), { timeout: 5_000 }).toBe(0);
    expect(indexing.running).toBe(false);
    indexing.dispose();
    project.close();
  });
});

describe('keyset navigation', () => {
  it('pages forward and back by id without offsets, and skips the count on request', () => {
    const { project, ids } = setup();
    const next = (after: number) => project.listItems({ offset: 0, limit: 1, after, withTotal: false });
    expect(next(ids[0]!)).toEqual({ total: null, items: [expect.objectContaining({ id: ids[1], text: reviews[1] })] });
    const back = project.listItems({ offset: 0, limit: 2, before: ids[3]!, withTotal: false });
    expect(back.items.map((i) => i.id)).toEqual([ids[1], ids[2]]);
    expect(next(ids.at(-1)!).items).toEqual([]);
    expect(project.listItems({ offset: 0, limit: 1, before: ids[0]! }).items).toEqual([]);
    project.close();
  });

  it('walks the unlabelled queue past labelled items, and the label queue through them', () => {
    const { project, ids } = setup();
    project.setLabels([ids[1]!, ids[2]!], 'negative', 'manual', 'ann');
    project.setLabels([ids[2]!], null, 'manual', 'ann');
    const unlabelledAfter = (after: number) =>
      project.listItems({ offset: 0, limit: 1, after, label: 'unlabelled', withTotal: false }).items[0]?.id;
    expect(unlabelledAfter(ids[0]!)).toBe(ids[2]);
    project.setLabels([ids[2]!], 'positive', 'manual', 'ann');
    expect(unlabelledAfter(ids[0]!)).toBe(ids[3]);
    const negatives = project.listItems({ offset: 0, limit: 10, label: 'negative' });
    expect(negatives).toMatchObject({ total: 1, items: [{ id: ids[1], label: 'negative', annotator: 'ann' }] });
    const unlabelled = project.listItems({ offset: 0, limit: 100, label: 'unlabelled' });
    expect(unlabelled.total).toBe(reviews.length - 2);
    expect(unlabelled.items.every((i) => i.label === null && i.annotator === null && i.labelledAt === null)).toBe(true);
    project.close();
  });

  it('pages through search results by id', () => {
    const { project } = setup();
    project.searchIndex.indexAll();
    const first = project.listItems({ offset: 0, limit: 1, search: 'clean', withTotal: false }).items[0]!;
    const second = project.listItems({ offset: 0, limit: 1, search: 'clean', after: first.id, withTotal: false }).items[0]!;
    expect([first.text, second.text]).toEqual([reviews[0], reviews[6]]);
    expect(project.listItems({ offset: 0, limit: 5, search: 'clean', before: second.id }).items.map((i) => i.id)).toEqual([first.id]);
    expect(project.listItems({ offset: 0, limit: 5, search: '干净 很', after: first.id }).items.map((i) => i.text)).toEqual([reviews[2]]);
    project.close();
  });
});
