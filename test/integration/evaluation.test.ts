/**
 * The evaluation panel's data through the handler map, on a real (tiny) run: the scores behind
 * the curves, the error list's filters and order, slices, and reviewing a mistake.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../src-main/common/labels';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { tempDir } from '../helpers/tempProject';
import { toyReviews } from '../helpers/toyReviews';

let service: StudioService | null = null;
let cleanup = () => {};
afterEach(async () => {
  await service?.dispose();
  cleanup();
});

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function trainedRun(): Promise<{ s: StudioService; runId: number }> {
  const t = tempDir();
  cleanup = t.cleanup;
  const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));
  await s.invoke('project:create', { path: join(t.dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] });
  const file = join(t.dir, 'toy.jsonl');
  const rows = toyReviews(400).map((r, i) => ({ ...r, text: i % 5 === 0 ? `not ${r.text}` : r.text, airline: ['united', 'delta', 'virgin'][i % 3] }));
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  value(await s.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label', metadataColumns: ['airline'] } }));
  let runId = 0;
  const finished = new Promise<void>((resolve) => s.on('train:finished', (f) => f.runId === runId && resolve()));
  // Deliberately undertrained (one epoch, 4 units) so it makes mistakes to list.
  runId = value(await s.invoke('train:start', { preset: 'fast', baseline: false, overrides: { epochs: 1, maxLen: 16, units: 4, embedDim: 8, minCount: 1, learningRate: 0.002 } })).runId;
  await finished;
  return { s, runId };
}

describe('run evaluation', () => {
  it('serves scores, pages the mistakes most confident first, slices, and records reviews', async () => {
    const { s, runId } = await trainedRun();
    const evaluation = value(await s.invoke('runs:evaluation', { runId }));
    const n = evaluation.metrics.n;
    expect(evaluation.labels).toEqual(['positive', 'negative']);
    expect(evaluation.gold).toHaveLength(n);
    expect(evaluation.probabilities).toHaveLength(2 * n);
    expect(evaluation.labelsChangedSince).toBe(0);

    const wrong = value(await s.invoke('runs:predictions', { runId, limit: 500 }));
    const right = value(await s.invoke('runs:predictions', { runId, outcome: 'right', limit: 500 }));
    expect(wrong.total + right.total).toBe(n);
    expect(right.total / n).toBeCloseTo(evaluation.metrics.accuracy, 6);
    expect(wrong.rows.every((r) => r.gold !== r.predicted)).toBe(true);
    const confidences = wrong.rows.map((r) => r.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    for (const r of wrong.rows) expect(Math.max(...r.probabilities)).toBeCloseTo(r.confidence, 6);

    // A confusion-matrix cell, a text search, a length range, and the other sort orders.
    const cell = value(await s.invoke('runs:predictions', { runId, outcome: 'all', truth: 'negative', predicted: 'positive', limit: 500 }));
    expect(cell.rows.every((r) => r.gold === 'negative' && r.predicted === 'positive')).toBe(true);
    expect(cell.total).toBe(evaluation.metrics.confusion[1]![0]);
    const searched = value(await s.invoke('runs:predictions', { runId, outcome: 'all', search: 'NOT', limit: 500 }));
    expect(searched.total).toBeGreaterThan(0);
    expect(searched.rows.every((r) => /\bnot\b/i.test(r.text))).toBe(true);
    const short = value(await s.invoke('runs:predictions', { runId, outcome: 'all', maxTokens: 10, sort: 'length-asc', limit: 500 }));
    expect(short.rows.every((r) => r.tokens <= 10)).toBe(true);
    expect(short.rows.map((r) => r.tokens)).toEqual([...short.rows.map((r) => r.tokens)].sort((a, b) => a - b));
    expect(await s.invoke('runs:predictions', { runId, truth: 'meh' })).toMatchObject({ ok: false, error: { message: expect.stringContaining("'meh' is not one of") } });

    const slices = value(await s.invoke('runs:slices', { runId }));
    const byDimension = (d: string) => slices.filter((r) => r.dimension === d);
    expect(byDimension('length').reduce((sum, r) => sum + r.n, 0)).toBe(n);
    expect(byDimension('negation').map((r) => r.value)).toEqual(['with', 'without']);
    expect(byDimension('negation').reduce((sum, r) => sum + r.n, 0)).toBe(n);
    expect(byDimension('metadata:airline').map((r) => r.value).sort()).toEqual(['delta', 'united', 'virgin']);
    for (const r of slices) expect(r.accuracy).toBeCloseTo(r.correct / r.n, 9);

    // Saliency in the explainer process: same model, so the same probabilities as the stored prediction.
    const item = wrong.rows[0] ?? right.rows[0]!;
    const explanation = value(await s.invoke('runs:explain', { runId, itemId: item.itemId }));
    expect(explanation).toMatchObject({ runId, method: 'integrated-gradients', label: item.predicted, labels: ['positive', 'negative'] });
    explanation.probabilities.forEach((p, i) => expect(p).toBeCloseTo(item.probabilities[i]!, 4));
    expect(explanation.tokens.length).toBeGreaterThan(0);
    for (const t of explanation.tokens) {
      if (t.start !== null) expect(item.text.slice(t.start, t.end!).toLowerCase()).toBe(t.token);
    }
    const sum = explanation.tokens.reduce((total, t) => total + (t.score ?? 0), 0);
    expect(Math.abs(sum - explanation.delta)).toBeLessThan(0.1 * Math.abs(explanation.delta) + 2e-3);
    // Any text, and the other label on request: its scores mirror the first (two labels sum to 1).
    const other = item.predicted === 'positive' ? 'negative' : 'positive';
    const mirrored = value(await s.invoke('runs:explain', { runId, text: item.text, target: other }));
    expect(mirrored.label).toBe(other);
    mirrored.tokens.forEach((t, i) => expect(t.score!).toBeCloseTo(-explanation.tokens[i]!.score!, 4));
    expect(await s.invoke('runs:explain', { runId })).toMatchObject({ ok: false, error: { message: expect.stringContaining('needs an itemId or a text') } });

    // Relabel one mistake and confirm another: the run keeps its predictions, the panel counts the change.
    const [first, second] = wrong.rows.length >= 2 ? wrong.rows : right.rows;
    value(await s.invoke('labels:set', { itemIds: [first!.itemId], label: first!.predicted, origin: 'review' }));
    value(await s.invoke('labels:confirm', { itemIds: [second!.itemId] }));
    const after = value(await s.invoke('runs:predictions', { runId, outcome: 'all', limit: 500 }));
    const row = (id: number) => after.rows.find((r) => r.itemId === id)!;
    expect(row(first!.itemId)).toMatchObject({ gold: first!.gold, currentLabel: first!.predicted, review: 'relabelled' });
    expect(row(second!.itemId)).toMatchObject({ gold: second!.gold, currentLabel: second!.gold, review: 'confirmed' });
    expect(value(await s.invoke('runs:evaluation', { runId }))).toMatchObject({ labelsChangedSince: 1, confirmed: 1 });
    const history = value(await s.invoke('labels:history', { itemId: second!.itemId }));
    expect(history.at(-1)).toMatchObject({ label: second!.gold, origin: 'review', annotator: 'tester' });
  }, 60_000);
});
