/**
 * Scoring texts with a saved model (a run's or a bundle's): the same tokenizer, then batched
 * inference. Used by `predict`, and later by pre-labels and batch prediction.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { Tokenizer } from '../text/tokenizer';
import { initBackend } from './backend';
import { predictProbabilities } from './fit';
import { StudioError } from '../../common/errors';
import { checkModelShape, deserializeModel } from './modelIo';

export interface Predictor {
  labels: string[];
  backend: string;
  /** Row-major probabilities, texts × labels. */
  predict(texts: readonly string[]): Float32Array;
  dispose(): void;
}

export async function loadPredictor(
  saved: { modelJson: string; weights: ArrayBuffer | Uint8Array; tokenizerJson: string },
  labels: string[],
  source = 'the model',
): Promise<Predictor> {
  const backend = await initBackend();
  const { tf } = backend;
  const tokenizer = Tokenizer.fromJSON(JSON.parse(saved.tokenizerJson));
  const maxLen = tokenizer.options.maxLen;
  let model: tfTypes.LayersModel;
  try {
    model = await deserializeModel(tf, saved.modelJson, saved.weights);
  } catch (error) {
    throw new StudioError('bad-file', `${source} could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  try {
    checkModelShape(model, maxLen, labels.length, source);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    labels,
    backend: backend.label,
    predict(texts) {
      const { ids } = tokenizer.encode(texts);
      return predictProbabilities(tf, model, ids, texts.length, maxLen, labels.length);
    },
    dispose: () => model.dispose(),
  };
}
