/**
 * Batch prediction in its own process: load the model (a run's, from the project opened
 * read-only, or a bundle's), then score the file, reporting progress; cancel stops between batches.
 */
import { StudioError } from '../../common/errors';
import type { PredictionProgress, PredictionSummary } from '../../common/prediction';
import type { TrainerRequest } from '../../common/trainer';
import { Project } from '../db/project';
import { Runs } from '../db/runs';
import { readModelBundle } from '../export/modelBundle';
import { loadPredictor, type Predictor } from '../train/predictor';
import { scoreFile } from './batchPredict';

type PredictRequest = Extract<TrainerRequest, { type: 'predict' }>;

async function predictorFor(model: PredictRequest['model'], sqliteNativeBinding: string | undefined): Promise<Predictor> {
  if ('bundle' in model) {
    const bundle = readModelBundle(model.bundle);
    return loadPredictor(bundle, bundle.labels.labels, model.bundle);
  }
  const project = Project.open(model.projectPath, { readOnly: true, nativeBinding: sqliteNativeBinding });
  try {
    const saved = new Runs(project.db).model(model.runId);
    if (!saved) throw new StudioError('not-found', `Run ${model.runId} has no saved model to predict with.`);
    return await loadPredictor(saved, project.meta.labels().map((l) => l.name), `run ${model.runId}`);
  } finally {
    project.close();
  }
}

export async function runPredictJob(
  request: PredictRequest,
  control: { signal: AbortSignal; onProgress: (p: PredictionProgress) => void; sqliteNativeBinding?: string },
): Promise<PredictionSummary> {
  const predictor = await predictorFor(request.model, control.sqliteNativeBinding);
  try {
    return await scoreFile(predictor, { ...request.options, signal: control.signal, onProgress: control.onProgress });
  } finally {
    predictor.dispose();
  }
}

type ScoreRequest = Extract<TrainerRequest, { type: 'score' }>;

/** Unlabelled items read and scored in pages of this many, with a pause for messages (cancel) between. */
export const scorePage = 512;

/** Typed arrays that double when full: a few bytes per scored item, however many there are. */
class ScoredItems {
  private ids: Int32Array;
  private probabilities: Float32Array;
  n = 0;

  constructor(
    capacity: number,
    private readonly k: number,
  ) {
    this.ids = new Int32Array(Math.max(capacity, scorePage));
    this.probabilities = new Float32Array(this.ids.length * k);
  }

  add(ids: readonly number[], probabilities: Float32Array): void {
    if (this.n + ids.length > this.ids.length) {
      const ids2 = new Int32Array(Math.max(2 * this.ids.length, this.n + ids.length));
      ids2.set(this.ids.subarray(0, this.n));
      const probabilities2 = new Float32Array(ids2.length * this.k);
      probabilities2.set(this.probabilities.subarray(0, this.n * this.k));
      this.ids = ids2;
      this.probabilities = probabilities2;
    }
    this.ids.set(ids, this.n);
    this.probabilities.set(probabilities, this.n * this.k);
    this.n += ids.length;
  }

  /** Exact-length copies: a view would send its whole buffer to the parent. */
  result(): { itemIds: Int32Array; probabilities: Float32Array } {
    return { itemIds: this.ids.slice(0, this.n), probabilities: this.probabilities.slice(0, this.n * this.k) };
  }
}

/**
 * The project's unlabelled items, scored with the run's model: what their pre-labels become. Read a
 * page at a time by item id (each page its own short read, so the project's writer is never held
 * up), so only a page of texts is ever in memory; items labelled meanwhile are skipped by the
 * parent when it stores the suggestions.
 */
export async function runScoreJob(
  request: ScoreRequest,
  control: { signal: AbortSignal; onProgress: (p: PredictionProgress) => void; sqliteNativeBinding?: string },
): Promise<{ itemIds: Int32Array; probabilities: Float32Array; labels: string[] }> {
  const project = Project.open(request.projectPath, { readOnly: true, nativeBinding: control.sqliteNativeBinding });
  let predictor: Predictor | null = null;
  try {
    const saved = new Runs(project.db).model(request.runId);
    if (!saved) throw new StudioError('not-found', `Run ${request.runId} has no saved model to make suggestions with.`);
    predictor = await loadPredictor(saved, project.meta.labels().map((l) => l.name), `run ${request.runId}`);
    const page = project.db.prepare<[number, number], { id: number; text: string }>(
      'SELECT i.id, i.text FROM unlabelled_items u JOIN items i ON i.id = u.item_id WHERE u.item_id > ? ORDER BY u.item_id LIMIT ?',
    );
    // For progress only: labels may change while scoring.
    const expected = project.db.prepare<[], number>('SELECT COUNT(*) FROM unlabelled_items').pluck().get()!;
    const k = predictor.labels.length;
    const scored = new ScoredItems(expected, k);
    for (let after = 0; ; ) {
      if (control.signal.aborted) throw new StudioError('cancelled', 'Scoring the unlabelled reviews was cancelled; the suggestions are unchanged.');
      const rows = page.all(after, scorePage);
      if (rows.length === 0) break;
      scored.add(
        rows.map((r) => r.id),
        predictor.predict(rows.map((r) => r.text)),
      );
      after = rows.at(-1)!.id;
      control.onProgress({ rows: scored.n, bytesRead: scored.n, totalBytes: Math.max(expected, scored.n) });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { ...scored.result(), labels: predictor.labels };
  } finally {
    predictor?.dispose();
    project.close();
  }
}
