/**
 * Which words pushed a prediction which way: integrated gradients on the embeddings.
 *
 * Why integrated gradients rather than occlusion: occlusion removes one word at a time, but a
 * recurrent model reads words in context ("not good"), so deleting a word also changes how its
 * neighbours are read, and a 300-word review needs 300 forward passes. Integrated gradients
 * attribute along a path from an all-zero embedding to the review's own embeddings in one
 * batched forward and backward pass, and they are complete: the attributions add up to
 * f(review) − f(zero input), which the tests check, so the colours account for the whole score.
 *
 * The model stays the stock tfjs model (masks, pooling constants, fused kernels and all): each
 * interpolation step gets its own embedding rows. Step s's word at position j is looked up as
 * row 1 + s·L + j, filled with α_s times the word's real vector, so one batch holds every step,
 * and the gradient of row 1 + s·L + j is the gradient at that position and step. Padding keeps
 * id 0, so masking and the padding bias behave exactly as in training.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { StudioError } from '../../common/errors';
import type { Tokenizer } from '../text/tokenizer';
import { placement } from '../text/sequences';

type Tf = typeof tfTypes;

export const saliencyMethod = 'integrated-gradients';
/** Riemann midpoints; 32 keep completeness within a few percent on the presets (see the tests). */
export const defaultSteps = 32;

export interface TokenAttribution {
  token: string;
  /** Toward the explained label (positive) or away from it (negative); null: cut off by maxLen. */
  score: number | null;
}

export interface SaliencyResult {
  method: typeof saliencyMethod;
  /** Index of the label explained (the predicted one unless asked otherwise). */
  target: number;
  probabilities: number[];
  tokens: TokenAttribution[];
  /** f(review) − f(zero embeddings) for the target: what the scores add up to, about. */
  delta: number;
  steps: number;
}

/** The target label's probability from the model's output (one sigmoid unit for two labels). */
function targetProbability(tf: Tf, output: tfTypes.Tensor, target: number, numClasses: number): tfTypes.Tensor {
  if (numClasses === 2) {
    const p = output.reshape([-1]);
    return target === 1 ? p : tf.sub(1, p);
  }
  return output.gather([target], 1).reshape([-1]);
}

function embeddingVariable(model: tfTypes.LayersModel): tfTypes.Variable {
  const layer = model.getLayer('embedding');
  const weight = layer.weights[0] as unknown as { read(): tfTypes.Variable } | undefined;
  if (!weight) throw new StudioError('internal', 'the model has no embedding weights to explain');
  return weight.read();
}

export function explainText(
  tf: Tf,
  model: tfTypes.LayersModel,
  tokenizer: Tokenizer,
  text: string,
  numClasses: number,
  options: { steps?: number; target?: number } = {},
): SaliencyResult {
  const steps = options.steps ?? defaultSteps;
  const { maxLen } = tokenizer.options;
  const tokens = tokenizer.tokenize(text);
  const encoded = tokenizer.encodeTokenLists([tokens]);
  const { from, to, kept } = placement(tokens.length, tokenizer.options);
  const probabilities = tf.tidy(() => {
    const out = model.predict(tf.tensor2d(encoded.ids, [1, maxLen], 'int32')) as tfTypes.Tensor;
    const values = Array.from(out.dataSync());
    return numClasses === 2 ? [1 - values[0]!, values[0]!] : values;
  });
  const target = options.target ?? probabilities.indexOf(Math.max(...probabilities));
  const result: SaliencyResult = { method: saliencyMethod, target, probabilities, tokens: tokens.map((token) => ({ token, score: null })), delta: 0, steps };
  if (kept === 0) return result;

  const variable = embeddingVariable(model);
  const vocabRows = variable.shape[0]!;
  const stepsPerPass = Math.min(steps, Math.floor((vocabRows - 1) / kept));
  if (stepsPerPass < 1) throw new StudioError('invalid-input', `This review has ${kept} tokens, more than the model's ${vocabRows - 1}-word vocabulary can hold for an explanation.`);
  const original = variable.clone();
  // variableGrads skips frozen variables; a fine-tuned model may have frozen its embedding.
  const trainable = variable.trainable;
  variable.trainable = true;
  const attributions = new Float64Array(kept);
  let words: tfTypes.Tensor | null = null;
  let gradSum: tfTypes.Variable | null = null;
  // Every change to the embedding happens inside this try: the finally puts the model back as it
  // was (the explainer keeps it warm for the next request), whatever fails.
  try {
    const kept2d = (words = tf.tidy(() => original.gather(tf.tensor1d(encoded.ids.subarray(to, to + kept), 'int32')))); // kept × dim
    const sum = (gradSum = tf.variable(tf.zerosLike(kept2d)));
    for (let start = 0; start < steps; start += stepsPerPass) {
      const m = Math.min(stepsPerPass, steps - start);
      const alphas = Array.from({ length: m }, (_, s) => (start + s + 0.5) / steps);
      tf.tidy(() => {
        const scaled = tf.tensor1d(alphas).reshape([m, 1, 1]).mul(kept2d.expandDims(0)).reshape([m * kept, -1]);
        const rest = original.slice([1 + m * kept, 0], [vocabRows - 1 - m * kept, -1]);
        variable.assign(tf.concat([original.slice([0, 0], [1, -1]), scaled, rest], 0));
        const ids = new Int32Array(m * maxLen);
        for (let s = 0; s < m; s++) for (let j = 0; j < kept; j++) ids[s * maxLen + to + j] = 1 + s * kept + j;
        const input = tf.tensor2d(ids, [m, maxLen], 'int32');
        const { grads } = tf.variableGrads(() => targetProbability(tf, model.apply(input, { training: false }) as tfTypes.Tensor, target, numClasses).sum() as tfTypes.Scalar, [variable]);
        const rows = grads[variable.name]!.slice([1, 0], [m * kept, -1]).reshape([m, kept, -1]).sum(0);
        sum.assign(sum.add(rows));
      });
    }
    attributions.set(tf.tidy(() => kept2d.mul(sum).sum(1).div(steps)).dataSync());
    // f(zero embeddings): every real position looks up a zero row (the OOV row, borrowed).
    result.delta = tf.tidy(() => {
      const zeroIds = new Int32Array(maxLen);
      for (let j = 0; j < kept; j++) zeroIds[to + j] = 1;
      variable.assign(tf.concat([original.slice([0, 0], [1, -1]), tf.zerosLike(original.slice([1, 0], [1, -1])), original.slice([2, 0], [vocabRows - 2, -1])], 0));
      const base = targetProbability(tf, model.predict(tf.tensor2d(zeroIds, [1, maxLen], 'int32')) as tfTypes.Tensor, target, numClasses).dataSync()[0]!;
      return probabilities[target]! - base;
    });
  } finally {
    variable.assign(original);
    variable.trainable = trainable;
    original.dispose();
    words?.dispose();
    gradSum?.dispose();
  }
  for (let j = 0; j < kept; j++) result.tokens[from + j]!.score = attributions[j]!;
  return result;
}
