/**
 * Scoring the unlabelled pool page by page (so a million items never sit in memory) gives what
 * scoring every unlabelled text in one call gives: the same items, in id order, with the same
 * probabilities, skipping labelled items wherever they fall between pages.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src-main/node/db/project';
import { Runs } from '../../src-main/node/db/runs';
import { importFile } from '../../src-main/node/ingest/importer';
import { runScoreJob, scorePage } from '../../src-main/node/predict/predictJob';
import { loadPredictor } from '../../src-main/node/train/predictor';
import { trainRun } from '../../src-main/node/train/trainerClient';
import { newProject, tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

let dir: string;
let cleanup: () => void;
let project: Project;
let runId = 0;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  project = newProject(dir);
  await importFile(project, { path: writeJsonl(join(dir, 'labelled.jsonl'), toyReviews(200)), columns: { textColumn: 'text', labelColumn: 'label' } });
  const tiny = { epochs: 1, maxLen: 16, embedDim: 8, units: 4, batchSize: 32, vocabSize: 200, minCount: 1, patience: 0 };
  runId = (await trainRun(project, { preset: 'fast', overrides: tiny, appVersion: 'test', baseline: false })).id;
  // Over two pages of unlabelled items, with labelled ones among them (one right at a page's edge).
  const pool = toyReviews(2 * scorePage + 300, 8).map((r) => ({ text: `${r.text} pool` }));
  await importFile(project, { path: writeJsonl(join(dir, 'pool.jsonl'), pool), columns: { textColumn: 'text' } });
  const poolIds = project.db.prepare<[], number>("SELECT id FROM items WHERE text LIKE '% pool' ORDER BY id").pluck().all();
  project.setLabels([poolIds[0]!, poolIds[scorePage - 1]!, poolIds[scorePage]!, poolIds[700]!], 'positive', 'manual', 'tester');
}, 90_000);

afterAll(() => {
  project.close();
  cleanup();
});

describe('scoring the unlabelled pool', () => {
  it('pages through the unlabelled items to the probabilities of one unpaged pass', async () => {
    const progress: { rows: number; totalBytes: number | null }[] = [];
    const scored = await runScoreJob({ type: 'score', requestId: 1, projectPath: project.path, runId }, { signal: new AbortController().signal, onProgress: (p) => progress.push(p) });

    const unlabelled = project.db
      .prepare<[], { id: number; text: string }>('SELECT id, text FROM items WHERE id NOT IN (SELECT item_id FROM current_labels) ORDER BY id')
      .all();
    expect(unlabelled).toHaveLength(2 * scorePage + 300 - 4);
    expect(Array.from(scored.itemIds)).toEqual(unlabelled.map((r) => r.id));
    const predictor = await loadPredictor(new Runs(project.db).model(runId)!, scored.labels);
    try {
      expect(scored.probabilities).toEqual(predictor.predict(unlabelled.map((r) => r.text)));
    } finally {
      predictor.dispose();
    }
    expect(progress.map((p) => p.rows)).toEqual([scorePage, 2 * scorePage, unlabelled.length]);
    expect(progress.at(-1)!.totalBytes).toBe(unlabelled.length);
  });

  it('stops when cancelled, naming what is left as it was', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(runScoreJob({ type: 'score', requestId: 1, projectPath: project.path, runId }, { signal: abort.signal, onProgress: () => {} })).rejects.toThrow(
      /cancelled; the suggestions are unchanged/,
    );
  });
});
