/**
 * Integrated gradients on the stock model: complete (the scores add up to the change of the
 * explained probability from an all-zero input), faithful (hiding the most helpful word hurts
 * more than hiding the least helpful one), and the model is left exactly as it was.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { resolveHyperparameters } from '../../../src-main/common/hyperparameters';
import { Tokenizer } from '../../../src-main/node/text/tokenizer';
import { initBackend } from '../../../src-main/node/train/backend';
import { buildModel } from '../../../src-main/node/train/model';
import { explainText } from '../../../src-main/node/train/saliency';

const texts = ['the plot was great and the acting superb', 'a dull boring film, not worth it', 'it was fine i guess', 'great great great', 'awful awful film'];

const variants = [
  { pooling: 'last', bidirectional: false, cell: 'lstm', classes: 2, padding: 'post', truncating: 'pre' },
  { pooling: 'max', bidirectional: true, cell: 'gru', classes: 2, padding: 'post', truncating: 'pre' },
  { pooling: 'mean', bidirectional: false, cell: 'gru', classes: 3, padding: 'pre', truncating: 'post' },
] as const;

async function setup(variant: (typeof variants)[number]) {
  const { tf } = await initBackend();
  const tokenizer = new Tokenizer({ maxLen: 8, minCount: 1, padding: variant.padding, truncating: variant.truncating }).fit(texts);
  const { classes, ...fields } = variant;
  const hp = resolveHyperparameters('accurate', { ...fields, maxLen: 8, embedDim: 8, units: 6, dropout: 0, seed: 3 });
  const model = buildModel(tf, hp, { vocabSize: tokenizer.vocabulary.size, maxLen: 8, numClasses: classes });
  // Larger random weights than the initialiser's, so an untrained model's output depends on its words.
  const embedding = model.getLayer('embedding');
  const [weights] = embedding.getWeights();
  const scaled = tf.randomNormal(weights!.shape, 0, 1, 'float32', 7);
  embedding.setWeights([scaled]);
  const classifier = model.getLayer('classifier');
  classifier.setWeights(classifier.getWeights().map((w) => w.mul(8)));
  return { tf, tokenizer, model, scaled };
}

function probabilityOf(tf: typeof tfTypes, model: tfTypes.LayersModel, tokenizer: Tokenizer, tokens: string[], target: number, classes: number): number {
  const { ids } = tokenizer.encodeTokenLists([tokens]);
  const out = (model.predict(tf.tensor2d(ids, [1, 8], 'int32')) as tfTypes.Tensor).dataSync();
  return classes === 2 ? (target === 1 ? out[0]! : 1 - out[0]!) : out[target]!;
}

describe('integrated gradients', () => {
  for (const variant of variants) {
    it(`adds up and ranks words faithfully: ${JSON.stringify(variant)}`, async () => {
      const { tf, tokenizer, model, scaled } = await setup(variant);
      const text = 'the plot was great but the acting was dull and slow';
      const before = Array.from(scaled.dataSync());
      const result = explainText(tf, model, tokenizer, text, variant.classes, { steps: 128 });
      // The model is untouched.
      expect(Array.from(model.getLayer('embedding').getWeights()[0]!.dataSync())).toEqual(before);
      const tokens = tokenizer.tokenize(text);
      expect(result.tokens.map((t) => t.token)).toEqual(tokens);
      // maxLen 8 keeps 8 of 11 tokens: the ending (truncating pre) or the start (post).
      const scored = result.tokens.map((t) => t.score !== null);
      expect(scored).toEqual(tokens.map((_, i) => (variant.truncating === 'pre' ? i >= 3 : i < 8)));
      const sum = result.tokens.reduce((s, t) => s + (t.score ?? 0), 0);
      expect(Math.abs(result.delta)).toBeGreaterThan(0.01);
      expect(Math.abs(sum - result.delta)).toBeLessThan(0.05 * Math.abs(result.delta) + 1e-3);
      expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(result.target).toBe(result.probabilities.indexOf(Math.max(...result.probabilities)));

      // Hiding (as unknown) the word that helped most costs more than hiding the one that helped least.
      const kept = result.tokens.map((t, i) => ({ ...t, i })).filter((t) => t.score !== null);
      const top = kept.reduce((a, b) => (b.score! > a.score! ? b : a));
      const bottom = kept.reduce((a, b) => (b.score! < a.score! ? b : a));
      const p = probabilityOf(tf, model, tokenizer, tokens, result.target, variant.classes);
      const hide = (i: number) => probabilityOf(tf, model, tokenizer, tokens.map((t, j) => (j === i ? '\u0000unknown' : t)), result.target, variant.classes);
      expect(p - hide(top.i)).toBeGreaterThan(p - hide(bottom.i));
      model.dispose();
    });
  }
});
