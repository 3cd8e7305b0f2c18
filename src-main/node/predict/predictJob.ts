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

/** Unlabelled items scored in batches of this many, with a pause for messages (cancel) between. */
const scoreBatch = 512;

/** The project's unlabelled items, scored with the run's model: what their pre-labels become. */
export async function runScoreJob(
  request: ScoreRequest,
  control: { signal: AbortSignal; onProgress: (p: PredictionProgress) => void; sqliteNativeBinding?: string },
): Promise<{ itemIds: Int32Array; probabilities: Float32Array; labels: string[] }> {
  const project = Project.open(request.projectPath, { readOnly: true, nativeBinding: control.sqliteNativeBinding });
  let rows: { id: number; text: string }[];
  let predictor: Predictor;
  try {
    rows = project.db
      .prepare<[], { id: number; text: string }>(
        `SELECT i.id, i.text FROM items i LEFT JOIN latest_label_event l ON l.item_id = i.id LEFT JOIN label_events e ON e.id = l.event_id
         WHERE e.label IS NULL ORDER BY i.id`,
      )
      .all();
    const saved = new Runs(project.db).model(request.runId);
    if (!saved) throw new StudioError('not-found', `Run ${request.runId} has no saved model to make suggestions with.`);
    predictor = await loadPredictor(saved, project.meta.labels().map((l) => l.name), `run ${request.runId}`);
  } finally {
    project.close();
  }
  try {
    const k = predictor.labels.length;
    const probabilities = new Float32Array(rows.length * k);
    for (let start = 0; start < rows.length; start += scoreBatch) {
      if (control.signal.aborted) throw new StudioError('cancelled', 'Scoring the unlabelled reviews was cancelled; the suggestions are unchanged.');
      const batch = rows.slice(start, start + scoreBatch);
      probabilities.set(predictor.predict(batch.map((r) => r.text)), start * k);
      control.onProgress({ rows: start + batch.length, bytesRead: start + batch.length, totalBytes: rows.length });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { itemIds: Int32Array.from(rows, (r) => r.id), probabilities, labels: predictor.labels };
  } finally {
    predictor.dispose();
  }
}
