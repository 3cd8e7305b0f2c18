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
