/**
 * Training or inference throughput of the studio's own model and training loop on random token
 * ids: one untimed warm-up pass, then `repeats` timed passes over `samples`; the median counts.
 * Serves `sentiment-studio bench` and `npm run bench`.
 */
import type { Hyperparameters } from '../../common/hyperparameters';
import { median } from '../../common/stats';
import { initBackend } from './backend';
import { fit, predictProbabilities, type EncodedSplit } from './fit';
import { buildModel } from './model';
import { seededRandom } from './random';

export interface ThroughputOptions {
  hp: Hyperparameters;
  samples: number;
  infer: boolean;
  repeats: number;
}

export interface ThroughputResult {
  samplesPerSecond: number;
  runs: number[];
  backend: string;
  kernels: string;
}

export async function measureThroughput({ hp, samples, infer, repeats }: ThroughputOptions): Promise<ThroughputResult> {
  const backend = await initBackend();
  const { tf } = backend;
  const next = seededRandom(42);
  const data: EncodedSplit = {
    ids: Int32Array.from({ length: samples * hp.maxLen }, () => 1 + Math.floor(next() * (hp.vocabSize - 1))),
    labels: Int32Array.from({ length: samples }, () => (next() < 0.5 ? 0 : 1)),
    n: samples,
  };
  const model = buildModel(tf, hp, { vocabSize: hp.vocabSize, maxLen: hp.maxLen, numClasses: 2 });
  const pass = async (): Promise<number> => {
    if (infer) {
      const t0 = performance.now();
      predictProbabilities(tf, model, data.ids, samples, hp.maxLen, 2, hp.batchSize);
      return samples / ((performance.now() - t0) / 1000);
    }
    const result = await fit(tf, model, { ...hp, epochs: 1, patience: 0 }, { train: data, validation: null, maxLen: hp.maxLen, numClasses: 2, classWeights: null });
    return result.samplesPerSecond;
  };
  try {
    await pass();
    const runs: number[] = [];
    for (let r = 0; r < repeats; r++) runs.push(await pass());
    return { samplesPerSecond: median(runs), runs, backend: backend.label, kernels: backend.kernels };
  } finally {
    model.dispose();
  }
}
