/**
 * Training and prediction read rows from a temporary file exactly as from memory: the same
 * shuffled batches give the same losses and weights, and chunked prediction the same
 * probabilities, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { resolveHyperparameters } from '../../../src-main/common/hyperparameters';
import { initBackend } from '../../../src-main/node/train/backend';
import { predictRows, predictRowsWithProgress, RowFile } from '../../../src-main/node/train/encodedRows';
import { fit, predictProbabilities, type EncodedSplit } from '../../../src-main/node/train/fit';
import { buildModel } from '../../../src-main/node/train/model';

const maxLen = 8;

function rows(n: number, salt: number): EncodedSplit {
  return {
    ids: Int32Array.from({ length: n * maxLen }, (_, i) => 2 + ((i * 7919 + salt) % 40)),
    labels: Int32Array.from({ length: n }, (_, i) => ((i * 31 + salt) >> 2) % 2),
    n,
  };
}

function onDisk(split: EncodedSplit): EncodedSplit<RowFile> {
  const file = new RowFile(split.n, maxLen, 50);
  file.append(split.ids, split.n);
  return { ids: file, labels: split.labels, n: split.n };
}

describe('file-backed rows', () => {
  it('train to the same losses and weights as the same rows in memory', async () => {
    const { tf } = await initBackend();
    const hp = resolveHyperparameters('fast', { maxLen, embedDim: 8, units: 8, epochs: 2, patience: 0, learningRate: 0.05, batchSize: 16, dropout: 0, vocabSize: 100 });
    const train = rows(70, 1);
    const validation = rows(20, 5);
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 2 });
    const initial = model.getWeights().map((w) => w.clone());
    const run = async (data: { train: EncodedSplit<Int32Array | RowFile>; validation: EncodedSplit<Int32Array | RowFile> }) => {
      model.setWeights(initial);
      const result = await fit(tf, model, hp, { ...data, maxLen, numClasses: 2, classWeights: null });
      return { epochs: result.epochs.map(({ loss, accuracy, valLoss, valAccuracy }) => ({ loss, accuracy, valLoss, valAccuracy })), weights: model.getWeights().map((w) => Array.from(w.dataSync())) };
    };
    const trainFile = onDisk(train);
    const validationFile = onDisk(validation);
    try {
      const inMemory = await run({ train, validation });
      const fromFile = await run({ train: trainFile, validation: validationFile });
      expect(fromFile).toEqual(inMemory);
      expect(inMemory.epochs).toHaveLength(2);
    } finally {
      trainFile.ids.dispose();
      validationFile.ids.dispose();
      initial.forEach((t) => t.dispose());
      model.dispose();
    }
  });

  it('predict chunk by chunk to the probabilities of one pass over memory, with progress to the last row', async () => {
    const { tf } = await initBackend();
    const hp = resolveHyperparameters('fast', { maxLen, embedDim: 8, units: 8, vocabSize: 100 });
    const model = buildModel(tf, hp, { vocabSize: 50, maxLen, numClasses: 3 });
    // More rows than one chunk (4,096), so the file is read in several.
    const split = rows(4_500, 3);
    const file = onDisk(split);
    try {
      const expected = predictProbabilities(tf, model, split.ids, split.n, maxLen, 3, 64);
      expect(predictRows(tf, model, file.ids, split.n, maxLen, 3, 64)).toEqual(expected);
      const done: number[] = [];
      const withProgress = await predictRowsWithProgress(tf, model, file.ids, split.n, maxLen, 3, 64, (d, total) => done.push(d / total));
      expect(withProgress).toEqual(expected);
      expect(done.at(-1)).toBe(1);
      expect(done.every((d, i) => i === 0 || d > done[i - 1]!)).toBe(true);
    } finally {
      file.ids.dispose();
      model.dispose();
    }
  });
});
