/**
 * Token saliency latency: integrated gradients (32 steps) for one ~300-word IMDB review, as the
 * explainer process computes it once its model is loaded. Weights do not change the cost, so
 * the model is built untrained at each preset's shape; the tokenizer is fitted on real reviews.
 */
import { resolveHyperparameters, type PresetName } from '../src-main/common/hyperparameters';
import { median } from '../src-main/common/stats';
import { Tokenizer } from '../src-main/node/text/tokenizer';
import { backendDescription, initBackend } from '../src-main/node/train/backend';
import { buildModel } from '../src-main/node/train/model';
import { explainText } from '../src-main/node/train/saliency';
import { loadJsonl } from './data';

export interface SaliencyBench {
  preset: PresetName;
  tokens: number;
  medianMs: number;
  runs: number[];
  backend: string;
}

export async function benchSaliency(presets: PresetName[], repeats: number): Promise<SaliencyBench[]> {
  const backend = await initBackend();
  const texts = loadJsonl('imdb_test.jsonl.gz').map((r) => r.text);
  const out: SaliencyBench[] = [];
  for (const preset of presets) {
    const hp = resolveHyperparameters(preset, {});
    const tokenizer = new Tokenizer({ vocabSize: hp.vocabSize, minCount: hp.minCount, maxLen: hp.maxLen, padding: hp.padding, truncating: hp.truncating }).fit(texts.slice(0, 5000));
    // The review closest to 300 tokens.
    const review = texts.reduce((best, t) => (Math.abs(tokenizer.tokenize(t).length - 300) < Math.abs(tokenizer.tokenize(best).length - 300) ? t : best));
    const model = buildModel(backend.tf, hp, { vocabSize: tokenizer.vocabulary.size, maxLen: hp.maxLen, numClasses: 2 });
    // Warm-up, as in the explainer process after its first request: kernels compile, buffers grow.
    for (let i = 0; i < 2; i++) explainText(backend.tf, model, tokenizer, review, 2);
    const runs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      explainText(backend.tf, model, tokenizer, review, 2);
      runs.push(performance.now() - started);
    }
    model.dispose();
    out.push({ preset, tokens: tokenizer.tokenize(review).length, medianMs: median(runs), runs, backend: backendDescription(backend) });
  }
  return out;
}
