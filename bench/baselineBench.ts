/**
 * The NBSVM baseline on the shared data sets: test accuracy, macro-F1 and training seconds
 * (median of several runs; the machine is shared and noisy). Issue 4's targets:
 * IMDB >= 91.0% in <= 30 s, airline tweets macro-F1 >= 0.74, ChnSentiCorp >= 88%.
 *
 *   npx tsx bench/baselineBench.ts [--repeats 3] [--sets imdb,airline,chnsenticorp,chnsenticorp-words,airline-balanced]
 *
 * The last stdout line is one JSON object with every figure.
 *
 * Measured 2026-11-28 on the 2-core machine, otherwise idle, medians of 5 (training is
 * deterministic, so only the seconds vary):
 *
 * | set                 | features                 | C   | accuracy | macro-F1 | train s | predict s (test) |
 * |---------------------|--------------------------|-----|----------|----------|---------|------------------|
 * | imdb                | 454,057 word 1–2-grams   | 1   | 91.47%   | 0.9147   | 9.1     | 3.0 (25,000)     |
 * | airline             | 29,841 word 1–2-grams    | 1   | 82.14%   | 0.7629   | 1.4     | 0.03 (2,928)     |
 * | airline-balanced    | same, balanced weights   | 0.3 | 81.35%   | 0.7710   | 1.2     | 0.03             |
 * | chnsenticorp        | 229,282 char 1–3-grams   | 1   | 93.00%   | 0.9300   | 3.3     | 0.1 (1,200)      |
 * | chnsenticorp-words  | 100,448 word 1–2-grams   | 1   | 93.50%   | 0.9350   | 1.8     | 0.2              |
 *
 * Validation figures behind the C grid (macro-F1 at C = 0.03 / 0.1 / 0.3 / 1 / 3): IMDB (10% of
 * train held out) 0.899 / 0.904 / 0.905 / 0.907 / 0.907; airline 0.736 / 0.764 / 0.770 / 0.774 /
 * 0.772; ChnSentiCorp dev 0.916 / 0.927 / 0.928 / 0.929 / 0.929. Word 1–3-grams on IMDB: 91.79%,
 * but over twice the training time and 2.3 times the vocabulary.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { evaluate } from '../src-main/common/metrics';
import { predictBaseline, trainBaseline } from '../src-main/node/baseline';
import type { BaselineData, BaselineOptions } from '../src-main/node/baseline';
import { permutation, seededRandom } from '../src-main/node/train/random';
import { loadJsonl, median } from './data';

interface Splits {
  labels: string[];
  train: BaselineData;
  validation: BaselineData | null;
  test: BaselineData;
}

interface Case {
  load: () => Splits;
  options?: BaselineOptions;
  target: { accuracy?: number; macroF1?: number; seconds?: number };
}

export interface BaselineBenchResult {
  set: string;
  units: string;
  vocabulary: number;
  chosenC: number;
  accuracy: number;
  macroF1: number;
  /** Training wall time of each run (features, C search, final fit). */
  trainSeconds: number[];
  medianTrainSeconds: number;
  medianPredictSeconds: number;
  target: Case['target'];
  met: boolean;
}

function dataOf(rows: { text: string; label: string }[], labels: string[]): BaselineData {
  return { texts: rows.map((r) => r.text), labels: Int32Array.from(rows, (r) => labels.indexOf(r.label)) };
}

const binary = ['negative', 'positive'];

function chnSentiCorp(): Splits {
  const file = (split: string) => dataOf(loadJsonl(`chnsenticorp_${split}.jsonl.gz`), binary);
  return { labels: binary, train: file('train'), validation: file('dev'), test: file('test') };
}

/** No official split: the fixed, seeded 80/20 one of the accuracy benchmark. */
function airlineTweets(): Splits {
  const labels = ['negative', 'neutral', 'positive'];
  const rows = loadJsonl('airline_tweets_all.jsonl.gz');
  const order = permutation(rows.length, seededRandom(42));
  const cut = Math.round(rows.length * 0.8);
  const pick = (part: Int32Array) => dataOf(Array.from(part, (i) => rows[i]), labels);
  return { labels, train: pick(order.subarray(0, cut)), validation: null, test: pick(order.subarray(cut)) };
}

const cases: Record<string, Case> = {
  imdb: {
    load: () => ({
      labels: binary,
      train: dataOf(loadJsonl('imdb_train.jsonl.gz'), binary),
      validation: null,
      test: dataOf(loadJsonl('imdb_test.jsonl.gz'), binary),
    }),
    target: { accuracy: 0.91, seconds: 30 },
  },
  airline: { load: airlineTweets, target: { macroF1: 0.74 } },
  // Class weights for the imbalanced tweets (9,178 negative, 3,099 neutral, 2,363 positive).
  'airline-balanced': { load: airlineTweets, options: { classWeight: 'balanced' }, target: { macroF1: 0.74 } },
  chnsenticorp: { load: chnSentiCorp, target: { accuracy: 0.88 } },
  // The alternative for Chinese: the tokenizer's words (Intl.Segmenter) instead of characters.
  'chnsenticorp-words': { load: chnSentiCorp, options: { units: 'words' }, target: { accuracy: 0.88 } },
};

export async function benchBaseline(options: { repeats?: number; sets?: string[] } = {}): Promise<BaselineBenchResult[]> {
  const repeats = Math.max(1, Math.floor(options.repeats ?? 3));
  const results: BaselineBenchResult[] = [];
  for (const set of options.sets ?? ['imdb', 'airline', 'chnsenticorp']) {
    const benchCase = cases[set];
    if (benchCase === undefined) throw new Error(`unknown set '${set}' (one of ${Object.keys(cases).join(', ')})`);
    const { labels, train, validation, test } = benchCase.load();
    const trainSeconds: number[] = [];
    const predictSeconds: number[] = [];
    let last: BaselineBenchResult | null = null;
    for (let run = 0; run < repeats; run++) {
      const { model, chosenC, seconds } = trainBaseline(train, validation, labels, benchCase.options);
      const started = performance.now();
      const probabilities = predictBaseline(model, test.texts);
      predictSeconds.push((performance.now() - started) / 1000);
      trainSeconds.push(seconds);
      const metrics = evaluate(test.labels, probabilities, labels);
      last = {
        set,
        units: model.features.units,
        vocabulary: model.vocabulary.length,
        chosenC,
        accuracy: metrics.accuracy,
        macroF1: metrics.macroF1,
        trainSeconds,
        medianTrainSeconds: 0,
        medianPredictSeconds: 0,
        target: benchCase.target,
        met: false,
      };
      // Let the event loop breathe between runs (progress output, cancellation).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const result = { ...last!, medianTrainSeconds: median(trainSeconds), medianPredictSeconds: median(predictSeconds) };
    const { accuracy, macroF1, seconds } = benchCase.target;
    result.met =
      (accuracy === undefined || result.accuracy >= accuracy) &&
      (macroF1 === undefined || result.macroF1 >= macroF1) &&
      (seconds === undefined || result.medianTrainSeconds <= seconds);
    console.log(
      `  ${set}: accuracy ${(100 * result.accuracy).toFixed(2)}% · macro-F1 ${result.macroF1.toFixed(4)} · ` +
        `train ${result.medianTrainSeconds.toFixed(1)} s median (runs ${trainSeconds.map((s) => s.toFixed(1)).join(', ')}) · ` +
        `predict ${result.medianPredictSeconds.toFixed(1)} s · C ${result.chosenC} · ${result.vocabulary.toLocaleString('en-US')} ${result.units} n-grams · ` +
        `target ${result.met ? 'met' : 'NOT met'}`,
    );
    results.push(result);
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  console.log('NBSVM baseline (test split):');
  const baseline = await benchBaseline({ repeats: Number(flag('repeats') ?? 3), sets: flag('sets')?.split(',') });
  console.log(JSON.stringify({ baseline }));
}
