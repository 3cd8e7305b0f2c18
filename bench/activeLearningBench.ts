/**
 * `npm run bench -- --active-learning`: does labelling the items a model is least sure of first
 * beat labelling in random order? A simulation on IMDB: the pool is a seeded sample of the train
 * set (its labels stay hidden until "labelled"), the yardstick a seeded sample of the test set.
 * From 200 labels up to 2,000 in steps of 200, each strategy trains the `fast` preset on what it
 * has labelled and scores the test sample; then it picks the next 200:
 * - random: the seed's order;
 * - uncertainty: smallest margin between the two likeliest labels of that fast-preset model;
 * - nbsvm: smallest margin of an NBSVM baseline trained on the same labels (a steadier ranker
 *   while the recurrent model is weak), the studio's assistant's choice;
 * - nbsvm-subpool: the same, among a random tenth of the unlabelled pool only (fewer outliers:
 *   the least sure of a whole pool are often atypical reviews);
 * - hybrid: half by the fast model's margin, half at random.
 * Ranked picks skip near-duplicates as the studio's queue does (spreadOut). Same preset, same
 * seeds and the same first 200 for every strategy. The NBSVM's own test accuracy is recorded too.
 */
import { resolveHyperparameters } from '../src-main/common/hyperparameters';
import { evaluate } from '../src-main/common/metrics';
import { predictBaseline, trainBaseline } from '../src-main/node/baseline';
import type { SnapshotRow } from '../src-main/node/db/runs';
import { spreadOut } from '../src-main/node/db/usefulQueue';
import { backendDescription, initBackend } from '../src-main/node/train/backend';
import { prepareData } from '../src-main/node/train/dataset';
import { fit } from '../src-main/node/train/fit';
import { predictProbabilities } from '../src-main/node/train/inference';
import { buildModel } from '../src-main/node/train/model';
import { permutation, seededRandom, seedGlobalRandom } from '../src-main/node/train/random';
import { loadJsonl } from './data';

export const strategies = ['random', 'uncertainty', 'nbsvm', 'nbsvm-subpool', 'hybrid'] as const;
export type Strategy = (typeof strategies)[number];

export interface ActiveLearningStep {
  labels: number;
  /** Fast-preset test accuracy per seed, by strategy. */
  accuracy: Partial<Record<Strategy, number[]>>;
  /** The NBSVM baseline's test accuracy on the same labels, per seed, by strategy. */
  nbsvm: Partial<Record<Strategy, number[]>>;
}

const labels = ['positive', 'negative'];

function sample<T>(rows: T[], n: number, seed: number): T[] {
  return Array.from(permutation(rows.length, seededRandom(seed)).subarray(0, n), (i) => rows[i]!);
}

type Row = { text: string; label: string };

/** The NBSVM baseline trained on the chosen rows (its own held-out search for C). */
function baselineOn(pool: Row[], chosen: Set<number>) {
  const ids = [...chosen];
  return trainBaseline({ texts: ids.map((i) => pool[i]!.text), labels: Int32Array.from(ids, (i) => labels.indexOf(pool[i]!.label)) }, null, labels, { seed: 1 }).model;
}

/** Pool indices not yet chosen, smallest margin first, near-duplicates spread out. */
function byMargin(pool: Row[], rest: number[], probabilities: Float32Array, want: number): number[] {
  const ranked = rest.map((i, j) => ({ i, text: pool[i]!.text, margin: Math.abs(probabilities[j * 2]! - probabilities[j * 2 + 1]!) })).sort((a, b) => a.margin - b.margin);
  return spreadOut(ranked, want).map((r) => r.i);
}

/**
 * `recurrent: false` trains only the NBSVM at each step (minutes instead of hours on the full
 * 25k pool): the model the assistant suggests with at these label counts.
 */
/** A seeded random tenth of the unlabelled pool. */
function subpool(rest: number[], seed: number): number[] {
  return Array.from(permutation(rest.length, seededRandom(seed)).subarray(0, Math.ceil(rest.length / 10)), (j) => rest[j]!);
}

export async function benchActiveLearning(options: { pool: number; test: number; seeds: number[]; steps: number[]; classWeights: boolean; strategies: Strategy[]; recurrent: boolean }): Promise<{ steps: ActiveLearningStep[]; backend: string }> {
  const backend = await initBackend();
  const { tf } = backend;
  const pool = sample(loadJsonl('imdb_train.jsonl.gz'), options.pool, 101);
  const test = sample(loadJsonl('imdb_test.jsonl.gz'), options.test, 202);
  const testTruth = Int32Array.from(test, (r) => labels.indexOf(r.label));
  const steps: ActiveLearningStep[] = options.steps.map((n) => ({ labels: n, accuracy: {}, nbsvm: {} }));
  for (const seed of options.seeds) {
    // Class weights: a batch picked by uncertainty can lean to one label, and an unweighted model
    // then collapses to predicting it.
    const hp = resolveHyperparameters('fast', { seed, validationSplit: 0.1, classWeights: options.classWeights ? 'auto' : 'none' });
    const order = permutation(pool.length, seededRandom(seed + 7));
    for (const strategy of options.strategies) {
      const chosen = new Set<number>(Array.from(order.subarray(0, options.steps[0]!)));
      for (let s = 0; s < options.steps.length; s++) {
        seedGlobalRandom(seed);
        const baseline = baselineOn(pool, chosen);
        const nbsvm = evaluate(testTruth, predictBaseline(baseline, test.map((r) => r.text)), labels).accuracy;
        (steps[s]!.nbsvm[strategy] ??= []).push(nbsvm);
        const rest = pool.map((_, i) => i).filter((i) => !chosen.has(i));
        const next = s + 1 < options.steps.length ? options.steps[s + 1]! : null;
        const take = (ids: Iterable<number>) => {
          for (const i of ids) chosen.add(i);
          // Random order fills whatever the ranking left (all of it for `random`).
          for (let k = 0; next !== null && chosen.size < next && k < order.length; k++) chosen.add(order[k]!);
        };
        if (!options.recurrent) {
          process.stderr.write(`  seed ${seed} ${strategy} ${options.steps[s]} labels: NBSVM ${(100 * nbsvm).toFixed(1)}%\n`);
          if (next === null) continue;
          if (strategy === 'uncertainty' || strategy === 'hybrid') throw new Error(`--al-nbsvm-only: the ${strategy} strategy needs the recurrent model`);
          const candidates = strategy === 'nbsvm-subpool' ? subpool(rest, seed + s) : rest;
          take(strategy === 'random' ? [] : byMargin(pool, candidates, predictBaseline(baseline, candidates.map((i) => pool[i]!.text)), next - chosen.size));
          continue;
        }
        const rows: SnapshotRow[] = [
          ...[...chosen].map((i) => ({ itemId: i, text: pool[i]!.text, label: pool[i]!.label, split: 'train' as const })),
          ...test.map((r, j) => ({ itemId: pool.length + j, text: r.text, label: r.label, split: 'test' as const })),
        ];
        const data = prepareData(rows, labels, hp);
        const maxLen = data.tokenizer.options.maxLen;
        const model = buildModel(tf, hp, { vocabSize: data.tokenizer.vocabulary.size, maxLen, numClasses: 2 });
        try {
          await fit(tf, model, hp, { train: data.train, validation: data.validation, maxLen, numClasses: 2, classWeights: data.classWeights });
          const p = predictProbabilities(tf, model, data.test.ids, data.test.n, maxLen, 2);
          const accuracy = evaluate(data.test.labels, p, labels).accuracy;
          (steps[s]!.accuracy[strategy] ??= []).push(accuracy);
          process.stderr.write(`  seed ${seed} ${strategy} ${options.steps[s]} labels: ${(100 * accuracy).toFixed(1)}% (NBSVM ${(100 * nbsvm).toFixed(1)}%)\n`);
          if (next === null) continue;
          const want = next - chosen.size;
          if (strategy === 'nbsvm' || strategy === 'nbsvm-subpool') {
            const candidates = strategy === 'nbsvm-subpool' ? subpool(rest, seed + s) : rest;
            take(byMargin(pool, candidates, predictBaseline(baseline, candidates.map((i) => pool[i]!.text)), want));
          } else if (strategy !== 'random') {
            const encoded = data.tokenizer.encode(rest.map((i) => pool[i]!.text));
            const q = predictProbabilities(tf, model, encoded.ids, rest.length, maxLen, 2);
            take(byMargin(pool, rest, q, strategy === 'hybrid' ? Math.floor(want / 2) : want));
          } else {
            take([]);
          }
        } finally {
          model.dispose();
        }
      }
    }
  }
  return { steps, backend: backendDescription(backend) };
}
