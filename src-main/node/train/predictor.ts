/**
 * Scoring texts with a saved model (a run's or a bundle's): the same tokenizer, then batched
 * inference; or the n-gram baseline's own scoring. Used by `predict` and `evaluate`, and later by
 * pre-labels and batch prediction.
 */
import { Tokenizer } from '../text/tokenizer';
import { backendDescription, initBackend } from './backend';
import { predictProbabilities } from './fit';
import { BASELINE_MODEL_FORMAT } from '../../common/baseline';
import { StudioError } from '../../common/errors';
import { baselineBackendLabel } from '../baseline/job';
import { deserializeBaseline, predictBaseline } from '../baseline/model';
import { checkModelShape, deserializeModel } from './modelIo';

export interface Predictor {
  labels: string[];
  backend: string;
  /** Row-major probabilities, texts × labels. */
  predict(texts: readonly string[]): Float32Array;
  dispose(): void;
}

/** The stored parts of a model, a run's or a bundle's; without `format`, a tfjs model. */
export interface LoadableModel {
  format?: string;
  modelJson: string;
  weights: ArrayBuffer | Uint8Array;
  tokenizerJson: string;
}

function baselinePredictor(saved: LoadableModel, labels: string[], source: string): Predictor {
  const model = deserializeBaseline(saved.modelJson);
  if (model.labels.join(',') !== labels.join(',')) {
    throw new StudioError('bad-file', `${source} predicts ${model.labels.join(', ')}, not ${labels.join(', ')}.`);
  }
  return { labels, backend: baselineBackendLabel, predict: (texts) => predictBaseline(model, texts), dispose: () => {} };
}

export async function loadPredictor(saved: LoadableModel, labels: string[], source = 'the model'): Promise<Predictor> {
  if (saved.format === BASELINE_MODEL_FORMAT) return baselinePredictor(saved, labels, source);
  const backend = await initBackend();
  const { tf } = backend;
  const tokenizer = Tokenizer.fromJSON(JSON.parse(saved.tokenizerJson));
  const maxLen = tokenizer.options.maxLen;
  const model = await deserializeModel(tf, saved.modelJson, saved.weights, source);
  try {
    checkModelShape(model, maxLen, labels.length, source);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    labels,
    backend: backendDescription(backend),
    predict(texts) {
      const { ids } = tokenizer.encode(texts);
      return predictProbabilities(tf, model, ids, texts.length, maxLen, labels.length);
    },
    dispose: () => model.dispose(),
  };
}
