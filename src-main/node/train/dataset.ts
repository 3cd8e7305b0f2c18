/**
 * From a run's snapshot to encoded train / validation / test rows. The tokenizer learns its
 * vocabulary from the training split only, so nothing of the test set leaks into the model.
 *
 * Streamed, so a million-review project trains in the memory of a thousand-review one: one pass
 * reads each row's label and split (compact arrays, a few bytes a row), one pass over the texts
 * counts the training split's tokens, one more encodes each text into its split's rows, which
 * stay in memory when small and go to a temporary file when not (encodedRows.ts). No text is
 * kept after it is encoded.
 */
import { StudioError } from '../../common/errors';
import { balancedClassWeights } from '../../common/metrics';
import type { Hyperparameters } from '../../common/hyperparameters';
import type { SnapshotRow } from '../db/runs';
import { Tokenizer } from '../text/tokenizer';
import { defaultRowMemoryBudget, RowSink, type RowIds } from './encodedRows';
import type { EncodedSplit } from './fit';
import { permutation, seededRandom } from './random';

export interface PreparedData<Ids extends RowIds = RowIds> {
  tokenizer: Tokenizer;
  train: EncodedSplit<Ids>;
  validation: EncodedSplit<Ids> | null;
  test: EncodedSplit<Ids>;
  testItemIds: Int32Array;
  classWeights: number[] | null;
  counts: { train: number[]; validation: number[]; test: number[] };
  /** Releases the temporary files of splits kept on disk. */
  dispose(): void;
}

/** A snapshot read in passes, each in the same order (the snapshot's, text-hash order). */
export interface SnapshotSource {
  size: number;
  /** Every row without its text. */
  rows(): Iterable<Omit<SnapshotRow, 'text'>>;
  texts(): Iterable<string>;
}

export function arraySource(rows: readonly SnapshotRow[]): SnapshotSource {
  return { size: rows.length, rows: () => rows, texts: () => rows.map((r) => r.text) };
}

const dropped = 0;
const roles = { train: 1, validation: 2, test: 3 } as const;

/**
 * Which rows of a label set to keep: a seeded share of each label (at least one each), for
 * learning curves. The order within a label depends only on the seed, so with one seed a smaller
 * share is always a subset of a larger one: the curve adds labels, it never swaps them.
 */
function subsetMask(labelOf: ArrayLike<number>, classes: number, hp: Pick<Hyperparameters, 'trainFraction' | 'seed'>): Uint8Array {
  const keep = new Uint8Array(labelOf.length);
  for (let c = 0; c < classes; c++) {
    const rows: number[] = [];
    for (let i = 0; i < labelOf.length; i++) if (labelOf[i] === c) rows.push(i);
    const order = permutation(rows.length, seededRandom(hp.seed + 3));
    const n = Math.min(rows.length, Math.max(1, Math.round(rows.length * hp.trainFraction)));
    for (let i = 0; i < n; i++) keep[rows[order[i]!]!] = 1;
  }
  return keep;
}

/** The learning-curve share of training rows (see subsetMask), in their order. */
export function trainSubset(train: SnapshotRow[], labels: string[], hp: Pick<Hyperparameters, 'trainFraction' | 'seed'>): SnapshotRow[] {
  const keep = subsetMask(train.map((r) => labels.indexOf(r.label)), labels.length, hp);
  return train.filter((_, i) => keep[i] === 1);
}

function positions(role: Uint8Array, which: number): Int32Array {
  let n = 0;
  for (let i = 0; i < role.length; i++) if (role[i] === which) n++;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < role.length; i++) if (role[i] === which) out[k++] = i;
  return out;
}

interface Assignment {
  role: Uint8Array;
  labelOf: Int32Array;
  itemIds: Int32Array;
}

/** Each row's split for this run: held-out validation and the learning-curve share applied. */
function assign(source: SnapshotSource, labels: string[], hp: Hyperparameters): Assignment {
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const role = new Uint8Array(source.size);
  const labelOf = new Int32Array(source.size);
  const itemIds = new Int32Array(source.size);
  let n = 0;
  for (const row of source.rows()) {
    if (n === source.size) throw new StudioError('internal', `the run's snapshot has more than the ${source.size} rows it recorded`);
    const label = labelIndex.get(row.label);
    if (label === undefined) throw new StudioError('invalid-input', `item ${row.itemId} is labelled '${row.label}', which is not one of ${labels.join(', ')}`);
    labelOf[n] = label;
    itemIds[n] = row.itemId;
    role[n++] = roles[row.split] ?? dropped;
  }
  if (n !== source.size) throw new StudioError('internal', `the run's snapshot has ${n} rows, not the ${source.size} it recorded`);
  const train = positions(role, roles.train);
  if (positions(role, roles.validation).length === 0 && hp.validationSplit > 0 && train.length > 1) {
    // No validation items in the project: hold a seeded share of the training split out.
    const order = permutation(train.length, seededRandom(hp.seed + 2));
    const held = Math.max(1, Math.round(train.length * hp.validationSplit));
    for (let k = 0; k < held; k++) role[train[order[k]!]!] = roles.validation;
  }
  if (hp.trainFraction < 1) {
    const rest = positions(role, roles.train);
    const keep = subsetMask(Int32Array.from(rest, (p) => labelOf[p]!), labels.length, hp);
    rest.forEach((p, k) => {
      if (!keep[k]) role[p] = dropped;
    });
  }
  return { role, labelOf, itemIds };
}

function countByClass({ role, labelOf }: Assignment, which: number, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < role.length; i++) if (role[i] === which) counts[labelOf[i]!]!++;
  return counts;
}

function* textsOf(source: SnapshotSource, role: Uint8Array, which: number): Generator<string> {
  let i = 0;
  for (const text of source.texts()) if (role[i++] === which) yield text;
}

/** Texts encoded per split in batches of this many (the batch's texts are all that is held). */
const encodeBatch = 512;

function encodeSplits(source: SnapshotSource, tokenizer: Tokenizer, assignment: Assignment, memoryBudget: number): Map<number, RowIds> {
  const { maxLen } = tokenizer.options;
  const sinks = new Map<number, RowSink>();
  const pending = new Map<number, string[]>();
  try {
    for (const which of Object.values(roles)) {
      sinks.set(which, new RowSink(positions(assignment.role, which).length, maxLen, tokenizer.vocabulary.size, memoryBudget));
      pending.set(which, []);
    }
    const flush = (which: number) => {
      const texts = pending.get(which)!;
      if (texts.length) sinks.get(which)!.append(tokenizer.encode(texts).ids, texts.length);
      texts.length = 0;
    };
    let i = 0;
    for (const text of source.texts()) {
      const which = assignment.role[i++]!;
      if (which === dropped) continue;
      const texts = pending.get(which)!;
      texts.push(text);
      if (texts.length === encodeBatch) flush(which);
    }
    for (const which of sinks.keys()) flush(which);
    return new Map([...sinks].map(([which, sink]) => [which, sink.finish()]));
  } catch (error) {
    for (const sink of sinks.values()) sink.dispose();
    throw error;
  }
}

function split<Ids extends RowIds>(ids: Ids, assignment: Assignment, which: number): EncodedSplit<Ids> {
  const at = positions(assignment.role, which);
  return { ids, labels: Int32Array.from(at, (p) => assignment.labelOf[p]!), n: at.length };
}

/**
 * `existing`: a fine-tuned model keeps its parent's tokenizer (new words become out-of-vocabulary).
 * Splits larger than `memoryBudget` bytes of ids are kept in temporary files: dispose() them.
 */
export function prepareSnapshot(source: SnapshotSource, labels: string[], hp: Hyperparameters, existing?: Tokenizer, memoryBudget = defaultRowMemoryBudget): PreparedData {
  const assignment = assign(source, labels, hp);
  const classes = labels.length;
  const trainCounts = countByClass(assignment, roles.train, classes);
  const missing = labels.filter((_, i) => trainCounts[i] === 0);
  if (trainCounts.every((c) => c === 0)) throw new StudioError('invalid-input', 'There are no labelled training items yet; label some reviews first.');
  if (missing.length > 0) {
    throw new StudioError('invalid-input', `The training split has no '${missing.join("', '")}' items; label some before training.`);
  }
  const tokenizer =
    existing ??
    new Tokenizer({
      vocabSize: hp.vocabSize,
      minCount: hp.minCount,
      maxLen: hp.maxLen,
      padding: hp.padding,
      truncating: hp.truncating,
      lowercase: hp.lowercase,
    }).fit(textsOf(source, assignment.role, roles.train));
  const encoded = encodeSplits(source, tokenizer, assignment, memoryBudget);
  const validation = split(encoded.get(roles.validation)!, assignment, roles.validation);
  const testRows = positions(assignment.role, roles.test);
  return {
    tokenizer,
    train: split(encoded.get(roles.train)!, assignment, roles.train),
    validation: validation.n ? validation : null,
    test: split(encoded.get(roles.test)!, assignment, roles.test),
    testItemIds: Int32Array.from(testRows, (p) => assignment.itemIds[p]!),
    classWeights: hp.classWeights === 'auto' ? balancedClassWeights(trainCounts) : null,
    counts: { train: trainCounts, validation: countByClass(assignment, roles.validation, classes), test: countByClass(assignment, roles.test, classes) },
    dispose: () => {
      for (const ids of encoded.values()) if (!(ids instanceof Int32Array)) ids.dispose();
    },
  };
}

/** Rows already in memory (label check folds, benchmarks): every split stays an array. */
export function prepareData(rows: SnapshotRow[], labels: string[], hp: Hyperparameters, existing?: Tokenizer): PreparedData<Int32Array> {
  return prepareSnapshot(arraySource(rows), labels, hp, existing, Infinity) as PreparedData<Int32Array>;
}
