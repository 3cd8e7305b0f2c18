/**
 * The streamed data path equals the in-memory one: a snapshot read pass by pass (as the trainer
 * reads a project) gives the same vocabulary, splits and encoded rows as the same rows in an array,
 * and splits spilled to a temporary file read back the same rows, which then go when released.
 */
import { describe, expect, it } from 'vitest';
import { resolveHyperparameters } from '../../../src-main/common/hyperparameters';
import type { SnapshotRow } from '../../../src-main/node/db/runs';
import { Tokenizer } from '../../../src-main/node/text/tokenizer';
import { prepareData, prepareSnapshot, type PreparedData, type SnapshotSource } from '../../../src-main/node/train/dataset';
import { gatherRows, RowFile, type RowIds } from '../../../src-main/node/train/encodedRows';
import { toyReviews } from '../../helpers/toyReviews';

const labels = ['negative', 'positive'];

function snapshot(withValidation: boolean): SnapshotRow[] {
  return toyReviews(300, 3).map((r, i) => ({
    itemId: 1000 + i,
    text: r.text,
    label: r.label,
    split: i % 10 === 0 ? 'test' : withValidation && i % 10 === 1 ? 'validation' : 'train',
  }));
}

/** Each pass a fresh generator over its own copy, as a database cursor would hand rows out. */
function streamed(rows: SnapshotRow[]): SnapshotSource & { passes: number } {
  const source = {
    size: rows.length,
    passes: 0,
    *rows() {
      source.passes++;
      for (const { itemId, label, split } of rows) yield { itemId, label, split };
    },
    *texts() {
      source.passes++;
      for (const r of rows) yield String(r.text);
    },
  };
  return source;
}

function rowsOf(ids: RowIds, n: number, maxLen: number): Int32Array {
  const out = new Int32Array(n * maxLen);
  gatherRows(ids, Int32Array.from({ length: n }, (_, i) => i), 0, n, maxLen, out);
  return out;
}

function plain(data: PreparedData) {
  const maxLen = data.tokenizer.options.maxLen;
  const split = (s: PreparedData['train'] | null) => s && { n: s.n, labels: Array.from(s.labels), ids: Array.from(rowsOf(s.ids, s.n, maxLen)) };
  return {
    vocabulary: data.tokenizer.vocabulary.tokens,
    train: split(data.train),
    validation: split(data.validation),
    test: split(data.test),
    testItemIds: Array.from(data.testItemIds),
    classWeights: data.classWeights,
    counts: data.counts,
  };
}

describe('prepareSnapshot', () => {
  const cases = [
    ['validation items in the project', true, {}],
    ['validation held out of the training split', false, {}],
    ['a learning-curve share, class weights', false, { trainFraction: 0.4, classWeights: 'auto' }],
  ] as const;
  for (const [name, withValidation, overrides] of cases) {
    it(`streams to the same vocabulary and rows as the rows in memory: ${name}`, () => {
      const rows = snapshot(withValidation);
      const hp = resolveHyperparameters('fast', { maxLen: 12, vocabSize: 100, minCount: 1, seed: 9, ...overrides });
      const inMemory = prepareData(rows, labels, hp);
      const source = streamed(rows);
      const fromStream = prepareSnapshot(source, labels, hp);
      // Labels and splits, the training texts' tokens, then every text encoded: three passes.
      expect(source.passes).toBe(3);
      expect(plain(fromStream)).toEqual(plain(inMemory));
      expect(inMemory.train.n).toBeGreaterThan(0);
      expect(inMemory.validation?.n).toBeGreaterThan(0);
    });
  }

  it('builds the vocabulary a tokenizer fitted on the training texts has', () => {
    const rows = snapshot(true);
    const hp = resolveHyperparameters('fast', { maxLen: 12, vocabSize: 100, minCount: 2 });
    const data = prepareSnapshot(streamed(rows), labels, hp);
    const fitted = new Tokenizer({ vocabSize: 100, minCount: 2, maxLen: 12 }).fit(rows.filter((r) => r.split === 'train').map((r) => r.text));
    expect(data.tokenizer.vocabulary.tokens).toEqual(fitted.vocabulary.tokens);
  });

  it('keeps splits over the memory budget in a temporary file with the same rows, removed on dispose', () => {
    const rows = snapshot(false);
    const hp = resolveHyperparameters('fast', { maxLen: 10, vocabSize: 100, minCount: 1 });
    const onDisk = prepareSnapshot(streamed(rows), labels, hp, undefined, 1024);
    expect(onDisk.train.ids).toBeInstanceOf(RowFile);
    expect(plain(onDisk)).toEqual(plain(prepareData(rows, labels, hp)));
    // Unlinked while open (POSIX): a killed trainer leaves nothing behind in the temporary folder.
    if (process.platform !== 'win32') expect((onDisk.train.ids as RowFile).leftBehind).toBeNull();
    onDisk.dispose();
    expect(() => rowsOf(onDisk.train.ids, 1, 10)).toThrow(/released/);
  });

  it('refuses a snapshot whose label is not one of the project labels, naming it', () => {
    const rows = snapshot(true);
    rows[5] = { ...rows[5]!, label: 'neutral' };
    expect(() => prepareSnapshot(streamed(rows), labels, resolveHyperparameters('fast', {}))).toThrow(/item 1005 is labelled 'neutral', which is not one of negative, positive/);
  });
});

describe('RowFile', () => {
  it('round-trips ids of two-byte and four-byte vocabularies, by index and by range', () => {
    for (const vocabularySize of [500, 70_000]) {
      const maxLen = 3;
      const ids = Int32Array.from({ length: 7 * maxLen }, (_, i) => (i * 9973) % vocabularySize);
      const file = new RowFile(7, maxLen, vocabularySize);
      try {
        file.append(ids.subarray(0, 4 * maxLen), 4);
        file.append(ids.subarray(4 * maxLen), 3);
        expect(() => file.append(ids, 1)).toThrow(/more rows than the 7/);
        const order = Int32Array.from([6, 0, 3]);
        const out = new Int32Array(3 * maxLen);
        file.gather(order, 0, 3, out);
        expect(Array.from(out)).toEqual([...ids.subarray(18, 21), ...ids.subarray(0, 3), ...ids.subarray(9, 12)]);
        expect(Array.from(file.range(2, 4))).toEqual(Array.from(ids.subarray(6, 18)));
      } finally {
        file.dispose();
      }
    }
  });
});
