/**
 * Replacing the suggestions in slices (predict/prelabels.ts) ends where the one transaction did:
 * each still-unlabelled scored item has the new suggestion, nothing else has one. Between slices
 * labels are written at once, an import's open transaction is waited out, a closed project stops
 * it, and two replacements of one project run one after the other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../../src-main/common/labels';
import type { Project } from '../../../src-main/node/db/project';
import { lastPrelabelRefresh, replacePrelabels } from '../../../src-main/node/predict/prelabels';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

const labels = labelSetPresets.binary.map((l) => l.name);

function project(): { p: Project; ids: number[] } {
  const t = tempDir();
  cleanup = t.cleanup;
  const p = newProject(t.dir, 'prelabels');
  return { p, ids: addTexts(p, Array.from({ length: 2500 }, (_, i) => `review ${i}`)) };
}

/** Every given item scored, positive with a probability that names the item. */
function scoring(ids: number[]) {
  const probabilities = new Float32Array(ids.length * 2);
  ids.forEach((id, i) => {
    probabilities[2 * i] = 0.5 + (id % 100) / 200;
    probabilities[2 * i + 1] = 1 - probabilities[2 * i]!;
  });
  return { itemIds: Int32Array.from(ids), probabilities, labels };
}

function stored(p: Project): Map<number, { source: string; confidence: number }> {
  const rows = p.db.prepare('SELECT item_id AS id, source, confidence FROM prelabels ORDER BY item_id').all() as { id: number; source: string; confidence: number }[];
  return new Map(rows.map((r) => [r.id, { source: r.source, confidence: r.confidence }]));
}

/** A pause the test lets go of, counting the slices it separates. */
function gate() {
  let release = () => {};
  let pauses = 0;
  return {
    pause: () => new Promise<void>((resolve) => ((release = resolve), pauses++)),
    release: () => release(),
    pauses: () => pauses,
  };
}

async function drain(done: () => boolean, g: ReturnType<typeof gate>, between: () => void = () => {}) {
  while (!done()) {
    between();
    g.release();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('replacing the suggestions in slices', () => {
  it('ends as one transaction would, with labels given between slices kept as labels', async () => {
    const { p, ids } = project();
    p.setLabels(ids.slice(0, 100), 'positive', 'bulk', 'a');
    await replacePrelabels(p, scoring(ids.slice(50, 1500)), 'run 1');
    expect(stored(p).size).toBe(1400);

    const g = gate();
    let done = false;
    let written = 0;
    const replaced = replacePrelabels(p, scoring(ids.slice(1000)), 'run 2', { sliceMs: 0.01, pause: g.pause }).then((n) => ((written = n), (done = true)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(g.pauses()).toBe(1);
    // Between two slices: a label is written at once; the item's suggestion is either run's.
    const late = ids[2400]!;
    p.setLabels([late], 'negative', 'manual', 'b');
    expect(p.listItems({ before: late + 1, offset: 0, limit: 1 }).items[0]!.label).toBe('negative');
    expect(new Set([...stored(p).values()].map((r) => r.source))).toEqual(new Set(['run 1', 'run 2']));
    await drain(() => done, g);
    await replaced;
    expect(g.pauses()).toBeGreaterThan(3);

    // The one-transaction result: each scored item unlabelled when its slice was written has run 2's suggestion.
    const rows = stored(p);
    expect([...rows.values()].every((r) => r.source === 'run 2')).toBe(true);
    const labelledAtItsSlice = rows.has(late) ? 0 : 1;
    expect(written).toBe(1500 - labelledAtItsSlice);
    expect([...rows.keys()]).toEqual(ids.slice(1000).filter((id) => id !== late || !labelledAtItsSlice));
    expect(rows.get(ids[1200]!)!.confidence).toBeCloseTo(0.5 + (ids[1200]! % 100) / 200, 5);
    expect(lastPrelabelRefresh(p).source).toBe('run 2');
  });

  it("waits out an import's open transaction, and stops when the project is closed", async () => {
    const { p, ids } = project();
    const g = gate();
    let done = false;
    const replaced = replacePrelabels(p, scoring(ids), 'run 1', { sliceMs: 0.01, pause: g.pause }).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    // An import's transaction, held across awaits: no slice may be written inside it.
    p.db.exec('BEGIN IMMEDIATE');
    const before = stored(p).size;
    g.release();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(stored(p).size).toBe(before);
    p.db.exec('ROLLBACK');
    expect(stored(p).size).toBe(before);
    await drain(() => done, g);
    await replaced;
    expect(stored(p).size).toBe(ids.length);

    let open = true;
    const stopped = replacePrelabels(p, scoring(ids.slice(0, 2000)), 'run 2', { sliceMs: 0.01, pause: g.pause, stillOpen: () => open });
    await new Promise((resolve) => setImmediate(resolve));
    open = false;
    g.release();
    await expect(stopped).rejects.toMatchObject({ code: 'cancelled' });
    // Each row still names the model that wrote it; the refresh on record is the finished one.
    expect(new Set([...stored(p).values()].map((r) => r.source))).toEqual(new Set(['run 1', 'run 2']));
    expect(lastPrelabelRefresh(p).source).toBe('run 1');
  });

  it('runs a second replacement of the same project after the first', async () => {
    const { p, ids } = project();
    const first = replacePrelabels(p, scoring(ids.slice(0, 2000)), 'run 1', { sliceMs: 0.01 });
    const second = replacePrelabels(p, scoring(ids.slice(1000)), 'run 2', { sliceMs: 0.01 });
    expect(await Promise.all([first, second])).toEqual([2000, 1500]);
    expect([...stored(p).keys()]).toEqual(ids.slice(1000));
    expect(new Set([...stored(p).values()].map((r) => r.source))).toEqual(new Set(['run 2']));
  });
});
