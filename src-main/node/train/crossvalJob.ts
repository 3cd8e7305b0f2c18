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
import { predictBaseline } from '../baseline/model';
import { trainBaseline } from '../baseline/train';
import { baselineBackendLabel } from '../baseline/job';
import { permutation, seededRandom, seedGlobalRandom } from './random';

type StartRequest = Extract<TrainerRequest, { type: 'start' }>;

/** Fold of each row: per label, a seeded shuffle dealt round-robin, so each fold mirrors the label mix. */
export function assignFolds(rows: readonly Pick<SnapshotRow, 'label'>[], folds: number, seed: number): Int32Array {
  const fold = new Int32Array(rows.length);
  const byLabel = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const members = byLabel.get(r.label);
    if (members) members.push(i);
    else byLabel.set(r.label, [i]);
  });
  const random = seededRandom(seed + 5);
  for (const label of [...byLabel.keys()].sort()) {
    const members = byLabel.get(label)!;
    const order = permutation(members.length, random);
    order.forEach((o, rank) => (fold[members[o]!] = rank % folds));
  }
  return fold;
}

/**
 * One fold with the n-gram baseline: trained on the other folds (a seeded tenth held out to choose
 * its regularisation), scoring this fold.
 */
function baselineFold(rows: readonly SnapshotRow[], fold: Int32Array, f: number, labels: string[], seed: number): { itemIds: number[]; probabilities: Float32Array } {
  const index = new Map(labels.map((l, i) => [l, i]));
  const others = rows.filter((_, i) => fold[i] !== f);
  const held = rows.filter((_, i) => fold[i] === f);
  const order = permutation(others.length, seededRandom(seed + 2 + f));
  const nValidation = Math.max(1, Math.round(others.length * 0.1));
  const pick = (from: number, to: number) => Array.from(order.subarray(from, to), (o) => others[o]!);
  const asData = (part: SnapshotRow[]) => ({ texts: part.map((r) => r.text), labels: Int32Array.from(part, (r) => index.get(r.label)!) });
  const { model } = trainBaseline(asData(pick(nValidation, others.length)), asData(pick(0, nValidation)), labels);
  return { itemIds: held.map((r) => r.itemId), probabilities: predictBaseline(model, held.map((r) => r.text)) };
}

export async function runCrossvalJob(request: StartRequest, control: JobControl): Promise<TrainOutcome> {
  const { runId } = request;
  const folds = request.folds ?? 5;
  const hp = validateHyperparameters(request.hyperparameters);
  seedGlobalRandom(hp.seed);
  // The n-gram folds need no tensors: skip starting the tfjs backend for them.
  const backend = request.foldModel === 'baseline' ? null : await initBackend();
  const backendLabel = backend ? backendDescription(backend) : baselineBackendLabel;
  control.post({ type: 'ready', runId, backend: backendLabel });
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

  const present = labels.filter((_, j) => perLabel[j]! > 0);
  const presentIndex = present.map((l) => labels.indexOf(l));
  const started = performance.now();
  const fold = assignFolds(rows, folds, hp.seed);
  const probabilities = new Float32Array(rows.length * k);
  const rowOf = new Map(rows.map((r, i) => [r.itemId, i]));
  const epochs: TrainOutcome['epochs'] = [];
  let samplesPerSecond = 0;
  let cancelled = false;
  if (request.foldModel === 'baseline') {
    for (let f = 0; f < folds; f++) {
      // Each fold is one synchronous solve: let a cancel message in between them.
      await new Promise((resolve) => setImmediate(resolve));
      if ((cancelled = control.isCancelled())) break;
      const foldStarted = performance.now();
      const held = baselineFold(rows, fold, f, labels, hp.seed);
      held.itemIds.forEach((itemId, j) => probabilities.set(held.probabilities.subarray(j * k, (j + 1) * k), rowOf.get(itemId)! * k));
      const seconds = (performance.now() - foldStarted) / 1000;
      samplesPerSecond = rows.length / seconds;
      control.post({ type: 'progress', runId, epoch: 1, batch: f + 1, batches: folds, loss: 0, accuracy: 0, samplesPerSecond, etaSeconds: seconds * (folds - f - 1) });
    }
  }
  for (let f = 0; f < folds && !cancelled && backend; f++) {
    const { tf } = backend;
    const foldRows = rows.map((r, i) => ({ ...r, split: fold[i] === f ? ('test' as const) : ('train' as const) }));
    // A label no item carries yet cannot be learned: the fold models know the others, and the
    // missing one keeps probability 0 (and no threshold) in the check.
    const data = prepareData(foldRows, present, hp);
    const maxLen = data.tokenizer.options.maxLen;
    const kp = present.length;
    const model = buildModel(tf, { ...hp, seed: hp.seed + f }, { vocabSize: data.tokenizer.vocabulary.size, maxLen, numClasses: kp });
    try {
      const offset = f * hp.epochs;
      const result = await fit(tf, model, hp, { train: data.train, validation: data.validation, maxLen, numClasses: kp, classWeights: data.classWeights }, {
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
      const held = predictProbabilities(tf, model, data.test.ids, data.test.n, maxLen, kp, predictionBatchSize(maxLen, hp.batchSize));
      data.testItemIds.forEach((itemId, j) => {
        const row = rowOf.get(itemId)! * k;
        presentIndex.forEach((c, pj) => (probabilities[row + c] = held[j * kp + pj]!));
      });
    } finally {
      model.dispose();
    }
  }
  if (cancelled) throw new StudioError('cancelled', 'The label check was cancelled before every fold had scored its items.');
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const given = Int32Array.from(rows, (r) => labelIndex.get(r.label)!);
  return {
    status: 'done',
    backend: backendLabel,
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
