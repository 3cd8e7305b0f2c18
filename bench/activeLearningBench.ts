/**
 * `npm run bench -- --active-learning`: does labelling the items the model is least sure of first
 * beat labelling in random order? A simulation on IMDB: the pool is a seeded sample of the train
 * set (its labels stay hidden until "labelled"), the yardstick a seeded sample of the test set.
 * From 200 labels up to 2,000 in steps of 200, each strategy trains the `fast` preset on what it
 * has labelled, scores the test sample, and (uncertainty) picks the next 200 by the smallest
 * margin between the two likeliest labels, skipping near-duplicates as the studio's queue does.
 * Same preset, same seeds, same first 200 for both strategies.
 */
import { resolveHyperparameters } from '../src-main/common/hyperparameters';
import { evaluate } from '../src-main/common/metrics';
import type { SnapshotRow } from '../src-main/node/db/runs';
import { backendDescription, initBackend } from '../src-main/node/train/backend';
import { prepareData } from '../src-main/node/train/dataset';
import { fit } from '../src-main/node/train/fit';
import { predictProbabilities } from '../src-main/node/train/inference';
import { buildModel } from '../src-main/node/train/model';
import { permutation, seededRandom, seedGlobalRandom } from '../src-main/node/train/random';
import { loadJsonl } from './data';

export interface ActiveLearningStep {
  labels: number;
  random: number[];
  uncertainty: number[];
  /** Half of each batch by smallest margin, half at random (the studio's queue mixes the same way). */
  hybrid: number[];
}

export const strategies = ['random', 'uncertainty', 'hybrid'] as const;

const labels = ['positive', 'negative'];

function sample<T>(rows: T[], n: number, seed: number): T[] {
  return Array.from(permutation(rows.length, seededRandom(seed)).subarray(0, n), (i) => rows[i]!);
}

export async function benchActiveLearning(options: { pool: number; test: number; seeds: number[]; steps: number[]; batch: number; classWeights: boolean }): Promise<{ steps: ActiveLearningStep[]; backend: string }> {
  const backend = await initBackend();
  const { tf } = backend;
  const pool = sample(loadJsonl('imdb_train.jsonl.gz'), options.pool, 101);
  const test = sample(loadJsonl('imdb_test.jsonl.gz'), options.test, 202);
  const steps: ActiveLearningStep[] = options.steps.map((n) => ({ labels: n, random: [], uncertainty: [], hybrid: [] }));
  for (const seed of options.seeds) {
    // Class weights: a batch picked by uncertainty can lean to one label, and an unweighted model
    // then collapses to predicting it.
    const hp = resolveHyperparameters('fast', { seed, validationSplit: 0.1, classWeights: options.classWeights ? 'auto' : 'none' });
    const order = permutation(pool.length, seededRandom(seed + 7));
    for (const strategy of strategies) {
      const chosen = new Set<number>(Array.from(order.subarray(0, options.steps[0]!)));
      for (let s = 0; s < options.steps.length; s++) {
        seedGlobalRandom(seed);
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
          steps[s]![strategy].push(evaluate(data.test.labels, p, labels).accuracy);
          process.stderr.write(`  seed ${seed} ${strategy} ${options.steps[s]} labels: ${(100 * steps[s]![strategy].at(-1)!).toFixed(1)}%\n`);
          if (s + 1 === options.steps.length) continue;
          const want = options.steps[s + 1]! - options.steps[s]!;
          if (strategy === 'random') {
            for (let i = 0; chosen.size < options.steps[s + 1]! && i < order.length; i++) chosen.add(order[i]!);
            continue;
          }
          // Score the unlabelled pool; take the smallest margins (|p − 0.5| for two labels).
          const rest = pool.map((_, i) => i).filter((i) => !chosen.has(i));
          const encoded = data.tokenizer.encode(rest.map((i) => pool[i]!.text));
          const q = predictProbabilities(tf, model, encoded.ids, rest.length, maxLen, 2);
          const ranked = rest.map((i, j) => ({ i, margin: Math.abs(q[j * 2]! - q[j * 2 + 1]!) })).sort((a, b) => a.margin - b.margin);
          const uncertain = strategy === 'hybrid' ? Math.floor(want / 2) : want;
          for (const { i } of ranked.slice(0, uncertain)) chosen.add(i);
          // The rest at random from what is left, in the seed's order.
          for (let k = 0; chosen.size < options.steps[s + 1]! && k < order.length; k++) chosen.add(order[k]!);
        } finally {
          model.dispose();
        }
      }
    }
  }
  return { steps, backend: backendDescription(backend) };
}
