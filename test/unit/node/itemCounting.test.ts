/**
 * A count spread over id slices (items:count) gives the total the one-statement count gives, for
 * every filter, with the search index full, partly filled and empty; a newer count in the same slot
 * or another project ends it; and requests sent meanwhile are answered between its slices.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../../src-main/common/labels';
import type { ItemFilter } from '../../../src-main/node/db/itemList';
import type { Project } from '../../../src-main/node/db/project';
import { ItemCounting } from '../../../src-main/node/itemCounting';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

const words = ['great', 'boring', 'the plot', 'acting', 'one of the best', '干净', 'ok'];

/** 3,000 reviews (more than the first slice's 1,024 ids) with terms spread unevenly over the ids. */
function project(): { p: Project; ids: number[] } {
  const t = tempDir();
  cleanup = t.cleanup;
  const p = newProject(t.dir, 'count', [...labelSetPresets.ternary]);
  const texts = Array.from({ length: 3000 }, (_, i) => {
    const picked = words.filter((_, w) => (i * (w + 3)) % (w + 2) === 0 || (i > 2000 && w === 0));
    return `review ${i}: ${picked.join(' and ')}.`;
  });
  const ids = addTexts(p, texts);
  p.setLabels(ids.filter((_, i) => i % 3 === 0), 'positive', 'bulk', 'a');
  p.setLabels(ids.filter((_, i) => i % 7 === 1), 'negative', 'bulk', 'a');
  return { p, ids };
}

const filters: ItemFilter[] = [
  {},
  { label: 'unlabelled' },
  { label: 'positive' },
  { split: 'train' },
  { label: 'unlabelled', split: 'test' },
  ...words.flatMap((search): ItemFilter[] => [{ search }, { search, label: 'unlabelled' }, { search, label: 'negative' }, { search, label: 'unlabelled', split: 'train' }]),
  { search: 'great acting' },
  { search: 'xyzzy' },
];

/** Pauses between slices, counted; a tiny slice budget so each count takes many slices. */
function counter(onPause: () => void = () => {}) {
  let pauses = 0;
  const counting = new ItemCounting({
    sliceMs: 0.01,
    pause: async () => {
      pauses++;
      onPause();
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  return { counting, pauses: () => pauses };
}

describe('counting in slices', () => {
  it.each(['indexed', 'half indexed', 'not indexed'])('gives the one-statement total for every filter, %s', async (state) => {
    const { p } = project();
    if (state === 'indexed') p.searchIndex.indexAll();
    if (state === 'half indexed') p.searchIndex.indexBatch(1500);
    const { counting, pauses } = counter();
    for (const filter of filters) {
      const expected = p.listItems({ ...filter, offset: 0, limit: 1 }).total!;
      expect(await counting.count(p, () => p, filter), JSON.stringify(filter)).toBe(expected);
      expect(await counting.count(p, () => p, filter, { max: 100 })).toBe(Math.min(expected, 100));
    }
    // The searches, at least, were counted in more than one slice each.
    expect(pauses()).toBeGreaterThan(filters.length);
  });

  it('counts an item the indexer reaches between two slices once', async () => {
    const { p } = project();
    const filter = { search: 'great' };
    const expected = p.listItems({ ...filter, offset: 0, limit: 1 }).total!;
    // Each pause indexes another 100 items, as the background indexer would between requests.
    const { counting } = counter(() => p.searchIndex.indexBatch(100));
    expect(await counting.count(p, () => p, filter)).toBe(expected);
    expect(p.searchIndex.pending()).toBeLessThan(3000);
  });

  it('gives way to a newer count in its slot and to another project, not to other slots', async () => {
    const { p } = project();
    p.searchIndex.indexAll();
    const { counting } = counter();
    const first = counting.count(p, () => p, { search: 'the' }, { slot: 'card' });
    const list = counting.count(p, () => p, { search: 'the' }, { slot: 'list' });
    const second = counting.count(p, () => p, { search: 'great' }, { slot: 'card' });
    const expected = (search: string) => p.listItems({ search, offset: 0, limit: 1 }).total;
    expect(await Promise.all([first, list, second])).toEqual([null, expected('the'), expected('great')]);

    let current: Project | null = p;
    const closing = counting.count(p, () => current, { search: 'the' });
    current = null;
    expect(await closing).toBeNull();
  });

  it('leaves the event loop to labels between slices', async () => {
    const { p, ids } = project();
    // Each pause waits until the test lets it go: what runs meanwhile is what a request arriving
    // during the count would be (the app's pause is a timer, which lets such a request in).
    let release = () => {};
    let paused = 0;
    const counting = new ItemCounting({
      sliceMs: 0.01,
      pause: () => new Promise<void>((resolve) => ((release = resolve), paused++)),
    });
    let done = false;
    const counted = counting.count(p, () => p, { search: 'the plot', label: 'unlabelled' }).then((n) => ((done = true), n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(paused).toBe(1);
    expect(done).toBe(false);
    // A label between two slices: written at once, no transaction of the count in the way.
    p.setLabels([ids[2999]!], 'neutral', 'manual', 'b');
    expect(p.listItems({ before: ids[2999]! + 1, offset: 0, limit: 1 }).items[0]!.label).toBe('neutral');
    while (!done) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The label above came before the slice holding its item: the count sees it.
    expect(await counted).toBe(p.listItems({ search: 'the plot', label: 'unlabelled', offset: 0, limit: 1 }).total);
  });
});
