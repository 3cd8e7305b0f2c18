/**
 * The label check's training: k models, each trained on all labelled items but one fold and
 * scoring that fold, so every item gets probabilities from a model that never saw its label.
 * Folds are stratified by label and seeded. Progress is reported as one long run: fold f's epoch
 * e is epoch (f − 1) · epochs + e, so the usual progress events and curves carry it.
 */
import { StudioError } from '../../common/errors';
import { validateHyperparameters } from '../../common/hyperparameters';
import { evaluate } from '../../common/metrics';
import type { TrainerRequest, TrainOutcome } from '../../common/trainer';
import { Project } from '../db/project';
import { Runs, type SnapshotRow } from '../db/runs';
import { backendDescription, initBackend } from './backend';
import { prepareData } from './dataset';
import { fit } from './fit';
import { predictionBatchSize, predictProbabilities } from './inference';
import type { JobControl } from './job';
import { buildModel } from './model';
import { permutation, seededRandom, seedGlobalRandom } from './random';

type StartRequest = Extract<TrainerRequest, { type: 'start' }>;

/** Fold of each row: per label, a seeded shuffle dealt round-robin, so each fold mirrors the label mix. */
export function assignFolds(rows: readonly Pick<SnapshotRow, 'label'>[], folds: number, seed: number): Int32Array {
  const fold = new Int32Array(rows.length);
  const byLabel = new Map<string, number[]>();
  rows.forEach((r, i) => byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), i]));
  const random = seededRandom(seed + 5);
  for (const label of [...byLabel.keys()].sort()) {
    const members = byLabel.get(label)!;
    const order = permutation(members.length, random);
    order.forEach((o, rank) => (fold[members[o]!] = rank % folds));
  }
  return fold;
}

export async function runCrossvalJob(request: StartRequest, control: JobControl): Promise<TrainOutcome> {
  const { runId } = request;
  const folds = request.folds ?? 5;
  const hp = validateHyperparameters(request.hyperparameters);
  seedGlobalRandom(hp.seed);
  const backend = await initBackend();
  const { tf } = backend;
  control.post({ type: 'ready', runId, backend: backendDescription(backend) });
  const project = Project.open(request.projectPath, { readOnly: true, nativeBinding: control.sqliteNativeBinding });
  let rows: SnapshotRow[];
  let labels: string[];
  try {
    rows = new Runs(project.db).snapshot(runId);
    labels = project.meta.labels().map((l) => l.name);
  } finally {
    project.close();
  }
  const k = labels.length;
  const perLabel = labels.map((l) => rows.filter((r) => r.label === l).length);
  const thin = labels.filter((_, j) => perLabel[j]! > 0 && perLabel[j]! < folds);
  if (thin.length > 0) throw new StudioError('invalid-input', `A ${folds}-fold check needs at least ${folds} items of each label; '${thin.join("', '")}' has fewer.`);
  if (perLabel.filter((c) => c > 0).length < 2) throw new StudioError('invalid-input', 'The label check needs items of at least two labels.');

  const started = performance.now();
  const fold = assignFolds(rows, folds, hp.seed);
  const probabilities = new Float32Array(rows.length * k);
  const epochs: TrainOutcome['epochs'] = [];
  let samplesPerSecond = 0;
  let cancelled = false;
  for (let f = 0; f < folds && !cancelled; f++) {
    const foldRows = rows.map((r, i) => ({ ...r, split: fold[i] === f ? ('test' as const) : ('train' as const) }));
    const data = prepareData(foldRows, labels, hp);
    const maxLen = data.tokenizer.options.maxLen;
    const model = buildModel(tf, { ...hp, seed: hp.seed + f }, { vocabSize: data.tokenizer.vocabulary.size, maxLen, numClasses: k });
    try {
      const offset = f * hp.epochs;
      const result = await fit(tf, model, hp, { train: data.train, validation: data.validation, maxLen, numClasses: k, classWeights: data.classWeights }, {
        onBatch: (p) => control.post({ type: 'progress', runId, ...p, epoch: offset + p.epoch }),
        onEpoch: (m) => {
          const shifted = { ...m, epoch: offset + m.epoch };
          epochs.push(shifted);
          control.post({ type: 'epoch', runId, ...shifted });
        },
        shouldStop: control.isCancelled,
      });
      cancelled = result.cancelled;
      samplesPerSecond = result.samplesPerSecond;
      if (cancelled) break;
      const held = predictProbabilities(tf, model, data.test.ids, data.test.n, maxLen, k, predictionBatchSize(maxLen, hp.batchSize));
      const rowOf = new Map(rows.map((r, i) => [r.itemId, i]));
      data.testItemIds.forEach((itemId, j) => probabilities.set(held.subarray(j * k, (j + 1) * k), rowOf.get(itemId)! * k));
    } finally {
      model.dispose();
    }
  }
  if (cancelled) throw new StudioError('cancelled', 'The label check was cancelled before every fold had scored its items.');
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const given = Int32Array.from(rows, (r) => labelIndex.get(r.label)!);
  return {
    status: 'done',
    backend: backendDescription(backend),
    epochs,
    bestEpoch: 0,
    stoppedEarly: false,
    seconds: (performance.now() - started) / 1000,
    samplesPerSecond,
    sizes: { train: rows.length, validation: 0, test: 0 },
    // How well the out-of-fold models agree with the given labels: a sanity figure for the check.
    test: evaluate(given, probabilities, labels),
    predictions: { itemIds: Int32Array.from(rows, (r) => r.itemId), probabilities },
    model: null,
  };
}
