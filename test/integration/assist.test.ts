/**
 * The labelling assistant: a refresh after every N new labels (fast preset and NBSVM trained in
 * the background, the better one on validation scores the unlabelled pool), auto-accept above a
 * confidence (origin 'model'), and giving way to a training the analyst starts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssistStatus } from '../../src-main/common/assist';
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


/** A project with 120 labelled toy reviews and 60 unlabelled ones. */
async function project(): Promise<{ s: StudioService; unlabelled: number[] }> {
  const t = tempDir();
  cleanup = t.cleanup;
  const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));
  value(await s.invoke('project:create', { path: join(t.dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] }));
  const labelled = join(t.dir, 'labelled.jsonl');
  writeFileSync(labelled, toyReviews(120).map((r) => JSON.stringify(r)).join('\n'));
  value(await s.invoke('import:run', { path: labelled, columns: { textColumn: 'text', labelColumn: 'label' } }));
  const pool = join(t.dir, 'pool.jsonl');
  writeFileSync(pool, toyReviews(60, 91).map((r) => JSON.stringify({ text: `${r.text} pool` })).join('\n'));
  value(await s.invoke('import:run', { path: pool, columns: { textColumn: 'text' } }));
  const ids = value(await s.invoke('items:ids', { label: 'unlabelled' })).ids;
  return { s, unlabelled: ids };
}

function settled(s: StudioService): Promise<AssistStatus> {
  return new Promise((resolve) => {
    const off = s.on('assist:updated', (status) => {
      if (status.state === 'idle' || status.state === 'failed') {
        off();
        resolve(status);
      }
    });
  });
}

describe('the labelling assistant', () => {
  it('refreshes the suggestions by itself after N new labels, with the better model on validation', async () => {
    const { s, unlabelled } = await project();
    const first = value(await s.invoke('assist:status', {}));
    expect(first).toMatchObject({ settings: { auto: true, every: 200, autoAcceptAbove: null }, state: 'idle', refreshedAt: null, choice: null });
    value(await s.invoke('assist:configure', { every: 20 }));
    // 19 new labels: not yet.
    for (const id of unlabelled.slice(0, 19)) value(await s.invoke('labels:set', { itemIds: [id], label: 'positive' }));
    expect(value(await s.invoke('assist:status', {}))).toMatchObject({ state: 'idle', labelsSinceRefresh: 19 });
    const done = settled(s);
    const states: string[] = [];
    s.on('assist:updated', (u) => states.push(u.state));
    value(await s.invoke('labels:set', { itemIds: [unlabelled[19]!], label: 'negative' }));
    const status = await done;
    expect(status.error).toBeNull();
    expect(states).toContain('training');
    expect(states).toContain('scoring');
    expect(status).toMatchObject({ state: 'idle', labelsSinceRefresh: 0, autoAccepted: 0 });
    expect(status.refreshedAt).not.toBeNull();
    // Both candidates trained; the one chosen is at least as accurate on validation.
    const choice = status.choice!;
    expect(choice.other).not.toBeNull();
    expect(choice.validationAccuracy ?? 0).toBeGreaterThanOrEqual(choice.other!.validationAccuracy ?? 0);
    const runs = value(await s.invoke('runs:list', {}));
    expect(runs.map((r) => r.kind).sort()).toEqual(['gru', 'nbsvm']);
    const queue = value(await s.invoke('items:useful', { limit: 100 }));
    expect(queue).toMatchObject({ scored: 40, source: `run ${choice.runId} (background)` });
  }, 120_000);

  it('auto-accepts the surest suggestions as origin "model", undoable, and can be turned off', async () => {
    const { s, unlabelled } = await project();
    value(await s.invoke('assist:configure', { every: 40 }));
    value(await s.invoke('assist:configure', { auto: false }));
    // A change leaves the settings it does not name as they were.
    expect(value(await s.invoke('assist:configure', { autoAcceptAbove: 0.5 })).settings).toEqual({ auto: false, every: 40, autoAcceptAbove: 0.5 });
    for (const id of unlabelled.slice(0, 30)) value(await s.invoke('labels:set', { itemIds: [id], label: 'positive' }));
    // Off: no refresh however many labels.
    expect(value(await s.invoke('assist:status', {}))).toMatchObject({ state: 'idle', labelsSinceRefresh: 30, refreshedAt: null });
    const done = settled(s);
    expect(value(await s.invoke('assist:refresh', {})).state).toBe('training');
    const status = await done;
    expect(status.error).toBeNull();
    // Every two-label suggestion is at least 50% sure: all 30 remaining items are labelled by the model.
    expect(status.autoAccepted).toBe(30);
    const events = value(await s.invoke('labels:history', { itemId: unlabelled[45]! }));
    expect(events.at(-1)).toMatchObject({ origin: 'model', annotator: 'tester' });
    expect(value(await s.invoke('items:ids', { label: 'unlabelled' })).ids).toEqual([]);
    // Each label's batch is one action, named in the status so the analyst can undo exactly those.
    expect(status.autoAcceptedActions.length).toBeGreaterThanOrEqual(1);
    for (const actionId of status.autoAcceptedActions) value(await s.invoke('labels:undo', { actionId }));
    expect(value(await s.invoke('items:ids', { label: 'unlabelled' })).ids).toHaveLength(30);
    // The last refresh is stored with the project, not only in this process.
    expect(value(await s.invoke('assist:status', {}))).toMatchObject({ autoAccepted: 0, autoAcceptedActions: [], choice: { runId: status.choice!.runId } });
  }, 120_000);

  it('gives way to a training the analyst starts and refuses to refresh without enough labels', async () => {
    const { s } = await project();
    const done = settled(s);
    value(await s.invoke('assist:refresh', {}));
    expect(await s.invoke('assist:refresh', {})).toMatchObject({ ok: false, error: { code: 'busy' } });
    const { runId } = value(await s.invoke('train:start', { preset: 'fast', baseline: false, overrides: { epochs: 1, maxLen: 16, units: 4, embedDim: 8, minCount: 1 } }));
    const stopped = await done;
    expect(stopped).toMatchObject({ state: 'idle', error: null, refreshedAt: null });
    const finished = new Promise<void>((resolve) => s.on('train:finished', (f) => f.runId === runId && resolve()));
    await finished;
    expect(value(await s.invoke('runs:list', {})).find((r) => r.id === runId)?.status).toBe('done');

    const t = tempDir();
    const empty = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' });
    try {
      value(await empty.invoke('project:create', { path: join(t.dir, 'e.sstudio'), name: 'e', labels: [...labelSetPresets.binary] }));
      expect(await empty.invoke('assist:refresh', {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('at least 10') } });
      expect(await empty.invoke('assist:configure', { every: 5 })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    } finally {
      await empty.dispose();
      t.cleanup();
    }
  }, 120_000);
});
