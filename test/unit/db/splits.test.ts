import { afterEach, describe, expect, it } from 'vitest';
import { assignClass, emptyCounts, parseSplit } from '../../../src-main/common/splitAssignment';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

const fractions = { train: 0.8, validation: 0.1, test: 0.1 };

describe('split assignment', () => {
  it('is exactly stratified per class', () => {
    const counts = emptyCounts();
    const out = assignClass(100, counts, fractions);
    expect(counts).toEqual({ train: 80, validation: 10, test: 10 });
    expect(out).toHaveLength(100);
    const small = emptyCounts();
    assignClass(7, small, fractions);
    expect(small.train).toBeGreaterThanOrEqual(5);
    expect(small.train + small.validation + small.test).toBe(7);
  });

  it('is fixed by the seed, stable when items are added, and stratified in the project', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const p = newProject(t.dir, 'a');
    const texts = Array.from({ length: 400 }, (_, i) => `review number ${i}`);
    const ids = addTexts(p, texts);
    p.setLabels(ids.slice(0, 300), 'positive', 'bulk', 'x');
    p.setLabels(ids.slice(300), 'negative', 'bulk', 'x');
    const first = p.summary().perSplit;
    expect(first.train).toEqual({ positive: 240, negative: 80 });
    expect(first.validation).toEqual({ positive: 30, negative: 10 });
    expect(first.test).toEqual({ positive: 30, negative: 10 });
    const before = new Map(p.db.prepare('SELECT item_id, split FROM item_splits').all().map((r: any) => [r.item_id, r.split]));

    const more = addTexts(p, Array.from({ length: 100 }, (_, i) => `later review ${i}`));
    p.setLabels(more, 'negative', 'bulk', 'x');
    const after = p.summary().perSplit;
    expect(after.train.negative + after.validation.negative + after.test.negative).toBe(200);
    expect(after.test.negative).toBe(20);
    for (const [id, split] of before) {
      expect((p.db.prepare('SELECT split FROM item_splits WHERE item_id = ?').get(id) as any).split).toBe(split);
    }

    // Same texts, imported in another order, same seed: same splits.
    const q = newProject(t.dir, 'b');
    const reversed = addTexts(q, [...texts].reverse());
    q.setLabels(reversed.slice(0, 100), 'negative', 'bulk', 'x');
    q.setLabels(reversed.slice(100), 'positive', 'bulk', 'x');
    q.summary();
    const splitOf = (proj: typeof p, text: string) =>
      (proj.db.prepare('SELECT s.split FROM items i JOIN item_splits s ON s.item_id = i.id WHERE i.text = ?').get(text) as any).split;
    for (const text of texts.slice(0, 50)) expect(splitOf(q, text)).toBe(splitOf(p, text));
    p.close();
    q.close();
  });

  it('applies the fractions to the items it assigns, not counting splits a file gave', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const p = newProject(t.dir, 'given');
    // An official test set first (its split given by the file), then the training file.
    const test = addTexts(p, Array.from({ length: 200 }, (_, i) => `test review ${i}`));
    p.db.transaction(() => test.forEach((id) => p.splits.setImported(id, 'test')))();
    p.setLabels(test, 'positive', 'import', 'x');
    const train = addTexts(p, Array.from({ length: 100 }, (_, i) => `train review ${i}`));
    p.setLabels(train, 'positive', 'import', 'x');
    expect(p.summary().perSplit).toMatchObject({ train: { positive: 80 }, validation: { positive: 10 }, test: { positive: 210 } });
    p.close();
  });

  it('reads the split names analysts use', () => {
    expect(['train', 'Dev', ' val ', 'TEST', 'validation', 'holdout'].map(parseSplit)).toEqual([
      'train', 'validation', 'validation', 'test', 'validation', null,
    ]);
  });
});
