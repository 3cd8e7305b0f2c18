/**
 * Token saliency in the explainer process: the run's model is loaded once and kept (the first
 * explanation of a run pays for it), later requests for the same run only compute.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { BASELINE_MODEL_FORMAT } from '../../common/baseline';
import { StudioError } from '../../common/errors';
import { alignTokens, type Explanation } from '../../common/evaluation';
import type { TrainerRequest } from '../../common/trainer';
import { Project } from '../db/project';
import { Runs } from '../db/runs';
import { Tokenizer } from '../text/tokenizer';
import { backendDescription, initBackend } from './backend';
import { deserializeModel } from './modelIo';
import { explainText } from './saliency';

type ExplainRequest = Extract<TrainerRequest, { type: 'explain' }>;

interface Loaded {
  key: string;
  model: tfTypes.LayersModel;
  tokenizer: Tokenizer;
  labels: string[];
}

let loaded: Loaded | null = null;

async function load(request: ExplainRequest, sqliteNativeBinding: string | undefined): Promise<Loaded> {
  const { tf } = await initBackend();
  const project = Project.open(request.projectPath, { readOnly: true, nativeBinding: sqliteNativeBinding });
  try {
    const runs = new Runs(project.db);
    // Run ids are reused after the newest run is deleted: the start time tells the runs apart.
    const key = `${request.projectPath}\n${request.runId}@${runs.get(request.runId).startedAt}`;
    if (loaded?.key === key) return loaded;
    const saved = runs.model(request.runId);
    if (!saved) throw new StudioError('not-found', `Run ${request.runId} has no saved model to explain.`);
    if (saved.format === BASELINE_MODEL_FORMAT) {
      throw new StudioError('unsupported', `Run ${request.runId} is the n-gram baseline; word highlights explain LSTM and GRU runs.`);
    }
    const model = await deserializeModel(tf, saved.modelJson, saved.weights);
    loaded?.model.dispose();
    loaded = { key, model, tokenizer: Tokenizer.fromJSON(JSON.parse(saved.tokenizerJson)), labels: project.meta.labels().map((l) => l.name) };
    return loaded;
  } finally {
    project.close();
  }
}

export async function runExplainJob(request: ExplainRequest, sqliteNativeBinding?: string): Promise<Omit<Explanation, 'runId'>> {
  const backend = await initBackend();
  const { model, tokenizer, labels } = await load(request, sqliteNativeBinding);
  if (request.target !== undefined && request.target >= labels.length) throw new StudioError('invalid-input', `label index ${request.target} is out of range`);
  const started = performance.now();
  const result = explainText(backend.tf, model, tokenizer, request.text, labels.length, { target: request.target });
  const milliseconds = performance.now() - started;
  const spans = alignTokens(request.text, result.tokens.map((t) => t.token));
  return {
    method: result.method,
    label: labels[result.target]!,
    labels,
    probabilities: result.probabilities,
    tokens: result.tokens.map((t, i) => ({ ...t, ...spans[i]! })),
    delta: result.delta,
    steps: result.steps,
    milliseconds,
    backend: backendDescription(backend),
  };
}
