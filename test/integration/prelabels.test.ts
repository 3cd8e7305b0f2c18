/**
 * Suggestions for the unlabelled pool: scoring it with the current model in a separate process,
 * and the "most useful next" queue (least sure first, near-duplicates spread out).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../src-main/common/labels';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { value } from '../helpers/invokeResult';
import { tempDir } from '../helpers/tempProject';
import { toyReviews } from '../helpers/toyReviews';

let service: StudioService | null = null;
let cleanup = () => {};
afterEach(async () => {
  await service?.dispose();
  cleanup();
});

describe('pre-labels for the unlabelled pool', () => {
  it('scores every unlabelled item with the current model and queues the least sure, spread out', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));
    value(await s.invoke('project:create', { path: join(t.dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] }));
    const labelled = join(t.dir, 'labelled.jsonl');
    writeFileSync(labelled, toyReviews(200).map((r) => JSON.stringify(r)).join('\n'));
    value(await s.invoke('import:run', { path: labelled, columns: { textColumn: 'text', labelColumn: 'label' } }));
    // The pool: new reviews, and six near-copies of one review (one word differs).
    const pool = toyReviews(40, 33).map((r) => ({ text: `${r.text} pool` }));
    for (let i = 0; i < 6; i++) pool.push({ text: `the film was plot acting story of it this movie with cast copy${i}` });
    const unlabelled = join(t.dir, 'pool.jsonl');
    writeFileSync(unlabelled, pool.map((r) => JSON.stringify(r)).join('\n'));
    value(await s.invoke('import:run', { path: unlabelled, columns: { textColumn: 'text' } }));

    expect(await s.invoke('prelabels:refresh', {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('current model') } });
    let runId = 0;
    const finished = new Promise<void>((resolve) => s.on('train:finished', (f) => f.runId === runId && resolve()));
    runId = value(await s.invoke('train:start', { preset: 'fast', baseline: false, overrides: { epochs: 2, maxLen: 24, units: 4, embedDim: 8, minCount: 1 } })).runId;
    await finished;
    value(await s.invoke('runs:setCurrent', { runId }));
    const progress: number[] = [];
    s.on('predict:progress', (p) => progress.push(p.rows));
    const refreshed = value(await s.invoke('prelabels:refresh', {}));
    expect(refreshed).toMatchObject({ prelabelled: 46, source: `run ${runId}` });
    expect(progress.at(-1)).toBe(46);

    const page = value(await s.invoke('items:useful', { limit: 46 }));
    expect(page).toMatchObject({ scored: 46, source: `run ${runId}` });
    const copies = page.items.filter((i) => i.text.includes('copy'));
    // Near-copies are spread out: at most one of them per page.
    expect(copies.length).toBeLessThanOrEqual(1);
    expect(page.items.every((i) => i.label === null && i.prelabel !== null)).toBe(true);
    // Least sure first: confidence never falls as the queue goes on (two labels: margin follows confidence).
    const confidences = page.items.map((i) => i.prelabel!.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => a - b));
    // Skipped items stay out; a labelled item leaves the queue.
    const first = page.items[0]!;
    expect(value(await s.invoke('items:useful', { limit: 5, exclude: [first.id] })).items.map((i) => i.id)).not.toContain(first.id);
    value(await s.invoke('labels:set', { itemIds: [first.id], label: 'positive' }));
    expect(value(await s.invoke('items:useful', { limit: 46 })).items.map((i) => i.id)).not.toContain(first.id);
  }, 90_000);
});
