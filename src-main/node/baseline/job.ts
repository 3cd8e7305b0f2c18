/**
 * A baseline run, as the trainer process executes it: the same read-only snapshot and splits as
 * an LSTM run, NBSVM trained on the training split with C chosen on the validation split (or on a
 * seeded tenth of the training split when the project has none), then evaluated on the test split.
 * Progress is one step per C tried, then the final fit.
 */
import { performance } from 'node:perf_hooks';
import { BASELINE_MODEL_FORMAT, baselineSettingsSchema, type BaselineSettings } from '../../common/baseline';
import { StudioError } from '../../common/errors';
import { evaluate } from '../../common/metrics';
import type { TrainerRequest, TrainOutcome } from '../../common/trainer';
import { Project } from '../db/project';
import { Runs, type SnapshotRow } from '../db/runs';
import type { JobControl } from '../train/job';
import { predictBaseline, serializeBaseline } from './model';
import { defaultCGrid, trainBaseline, type BaselineData } from './train';

type StartRequest = Extract<TrainerRequest, { type: 'start' }>;

/** The label the trainer reports as its "backend": the baseline needs no tfjs. */
export const baselineBackendLabel = 'NBSVM (JavaScript)';

function toData(rows: SnapshotRow[], labelIndex: Map<string, number>): BaselineData {
  return { texts: rows.map((r) => r.text), labels: Int32Array.from(rows, (r) => labelIndex.get(r.label)!) };
}

export function parseBaselineSettings(raw: unknown): BaselineSettings {
  const parsed = baselineSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'settings';
  throw new StudioError('invalid-input', `baseline ${field}: ${issue.message}`);
}

export async function runBaselineJob(request: StartRequest, control: JobControl): Promise<TrainOutcome> {
  const { runId } = request;
  const settings = parseBaselineSettings(request.hyperparameters);
  control.post({ type: 'ready', runId, backend: baselineBackendLabel });
  const project = Project.open(request.projectPath, { readOnly: true, nativeBinding: control.sqliteNativeBinding });
  let rows: SnapshotRow[];
  let labels: string[];
  try {
    rows = new Runs(project.db).snapshot(runId);
    labels = project.meta.labels().map((l) => l.name);
  } finally {
    project.close();
  }

  const started = performance.now();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const train = rows.filter((r) => r.split === 'train');
  const validation = rows.filter((r) => r.split === 'validation');
  const test = rows.filter((r) => r.split === 'test');
  const missing = labels.filter((l) => !train.some((r) => r.label === l));
  if (train.length === 0) throw new StudioError('invalid-input', 'There are no labelled training items yet; label some reviews first.');
  if (missing.length > 0) throw new StudioError('invalid-input', `The training split has no '${missing.join("', '")}' items; label some before training.`);

  // One step per C, one for the final fit (when the search held texts out), one for the test.
  const steps = defaultCGrid.length + 2;
  // Figures shown with each step: the latest validation scores (the test's at the end).
  let shown = { accuracy: 0, loss: 0 };
  const report = (step: number, figures = shown) => {
    shown = figures;
    const { accuracy, loss } = figures;
    const seconds = (performance.now() - started) / 1000;
    control.post({
      type: 'progress',
      runId,
      epoch: 1,
      batch: step,
      batches: steps,
      loss,
      accuracy,
      samplesPerSecond: (train.length * step) / Math.max(seconds, 1e-3),
      etaSeconds: (seconds / step) * (steps - step),
    });
  };
  // Synchronous: this process reads no cancel until it ends, so the parent cancels a baseline by
  // stopping the process (trainerClient).
  const result = trainBaseline(toData(train, labelIndex), validation.length ? toData(validation, labelIndex) : null, labels, {
    units: settings.units,
    minCount: settings.minCount,
    seed: settings.seed,
    classWeight: settings.classWeights === 'auto' ? 'balanced' : null,
    onProgress: (p) =>
      p.stage === 'search' ? report(p.step, { accuracy: p.validation.accuracy, loss: p.validation.logLoss }) : report(defaultCGrid.length + 1),
  });
  const probabilities = predictBaseline(result.model, test.map((r) => r.text));
  const testMetrics = test.length > 0 ? evaluate(Int32Array.from(test, (r) => labelIndex.get(r.label)!), probabilities, labels) : null;
  report(steps, testMetrics ? { accuracy: testMetrics.accuracy, loss: testMetrics.logLoss } : shown);
  const seconds = (performance.now() - started) / 1000;
  const json = serializeBaseline(result.model);
  return {
    status: 'done',
    backend: baselineBackendLabel,
    epochs: [],
    bestEpoch: 0,
    stoppedEarly: false,
    seconds,
    samplesPerSecond: train.length / Math.max(seconds, 1e-3),
    sizes: { train: train.length, validation: validation.length, test: test.length },
    test: testMetrics,
    predictions: { itemIds: Int32Array.from(test, (r) => r.itemId), probabilities },
    model: { format: BASELINE_MODEL_FORMAT, modelJson: JSON.stringify(json), weights: new ArrayBuffer(0), tokenizerJson: JSON.stringify(json.tokenizer) },
    baseline: { chosenC: result.chosenC, search: result.search, features: result.model.features, vocabularySize: result.model.vocabulary.length },
  };
}
