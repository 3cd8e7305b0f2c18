/**
 * One training run, as the trainer process executes it: read the snapshot (read-only), encode,
 * build or load the model, fit, evaluate on the test split, serialize. Everything it learns goes
 * out through `post`; the parent process is the one that writes to the project.
 */
import { StudioError } from '../../common/errors';
import { validateHyperparameters, type Hyperparameters } from '../../common/hyperparameters';
import { evaluate } from '../../common/metrics';
import type { TrainerEvent, TrainerRequest, TrainOutcome } from '../../common/trainer';
import { Project } from '../db/project';
import { Runs } from '../db/runs';
import { readModelBundle } from '../export/modelBundle';
import { Tokenizer } from '../text/tokenizer';
import { backendDescription, initBackend } from './backend';
import { prepareSnapshot, type PreparedData } from './dataset';
import { predictRowsWithProgress } from './encodedRows';
import { fit } from './fit';
import { predictionBatchSize } from './inference';
import { buildModel } from './model';
import { checkModelShape, deserializeModel, serializeModel } from './modelIo';
import { seedGlobalRandom } from './random';
import { snapshotSource } from './snapshotSource';

type StartRequest = Extract<TrainerRequest, { type: 'start' }>;

export interface JobControl {
  post: (event: TrainerEvent) => void;
  isCancelled: () => boolean;
  /** Electron-ABI better-sqlite3 in the app's utility process. */
  sqliteNativeBinding?: string;
}

export async function runTrainingJob(request: StartRequest, control: JobControl): Promise<TrainOutcome> {
  const { runId } = request;
  const hp: Hyperparameters = validateHyperparameters(request.hyperparameters);
  seedGlobalRandom(hp.seed);
  const backend = await initBackend();
  const { tf } = backend;
  control.post({ type: 'ready', runId, backend: backendDescription(backend) });

  const project = Project.open(request.projectPath, { readOnly: true, nativeBinding: control.sqliteNativeBinding });
  let labels: string[];
  let parent: { modelJson: string; weights: Buffer; tokenizerJson: string } | null = null;
  let data: PreparedData;
  const started = performance.now();
  try {
    const runs = new Runs(project.db);
    labels = project.meta.labels().map((l) => l.name);
    if (request.fromRunId !== undefined) {
      parent = runs.model(request.fromRunId);
      if (!parent) throw new StudioError('not-found', `run ${request.fromRunId} has no saved model to fine-tune`);
    } else if (request.fromBundle !== undefined) {
      const bundle = readModelBundle(request.fromBundle);
      if (bundle.labels.labels.join(',') !== labels.join(',')) {
        throw new StudioError('invalid-input', `The bundle predicts ${bundle.labels.labels.join(', ')}, but this project's labels are ${labels.join(', ')}.`);
      }
      parent = bundle;
    }
    // Read in passes while the project is open: texts are encoded as they stream by, never all held.
    data = prepareSnapshot(snapshotSource(project.db, runId), labels, hp, parent ? Tokenizer.fromJSON(JSON.parse(parent.tokenizerJson)) : undefined);
  } finally {
    project.close();
  }
  const maxLen = data.tokenizer.options.maxLen;
  const numClasses = labels.length;
  let model;
  try {
    model = parent ? await deserializeModel(tf, parent.modelJson, parent.weights) : buildModel(tf, hp, { vocabSize: data.tokenizer.vocabulary.size, maxLen, numClasses });
  } catch (error) {
    data.dispose();
    throw error;
  }

  try {
    if (parent) {
      checkModelShape(model, maxLen, numClasses, request.fromBundle ?? `run ${request.fromRunId}`);
      // Explicit both ways: a frozen parent's saved config must not keep its child frozen.
      model.getLayer('embedding').trainable = !hp.freezeEmbedding;
    }
    const result = await fit(
      tf,
      model,
      hp,
      { train: data.train, validation: data.validation, maxLen, numClasses, classWeights: data.classWeights },
      {
        onBatch: (p) => control.post({ type: 'progress', runId, ...p }),
        onEpoch: (m) => control.post({ type: 'epoch', runId, ...m }),
        shouldStop: control.isCancelled,
      },
    );
    const probabilities = await predictRowsWithProgress(tf, model, data.test.ids, data.test.n, maxLen, numClasses, predictionBatchSize(maxLen, hp.batchSize), (done, total) =>
      control.post({ type: 'evaluating', runId, done, total }),
    );
    const test = data.test.n > 0 ? evaluate(data.test.labels, probabilities, labels) : null;
    const serialized = await serializeModel(tf, model, JSON.stringify(data.tokenizer.toJSON()));
    return {
      status: result.cancelled ? 'cancelled' : 'done',
      backend: backendDescription(backend),
      epochs: result.epochs,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      seconds: (performance.now() - started) / 1000,
      samplesPerSecond: result.samplesPerSecond,
      sizes: { train: data.train.n, validation: data.validation?.n ?? 0, test: data.test.n },
      test,
      predictions: { itemIds: data.testItemIds, probabilities },
      model: serialized,
    };
  } finally {
    model.dispose();
    data.dispose();
  }
}
