/**
 * A small, separable, seeded review set for training tests: positive reviews use positive words,
 * negative ones negative words, both padded with shared filler. Real data lives in ../shared/data
 * and is for benchmarks only.
 */
import { writeFileSync } from 'node:fs';
import { seededRandom } from '../../src-main/node/train/random';

const positive = ['great', 'wonderful', 'loved', 'brilliant', 'superb', 'moving', 'delightful', 'excellent'];
const negative = ['awful', 'boring', 'hated', 'terrible', 'dull', 'waste', 'dreadful', 'poor'];
const filler = ['the', 'film', 'was', 'and', 'acting', 'plot', 'a', 'story', 'of', 'it', 'this', 'movie', 'with', 'cast'];

export function toyReviews(n: number, seed = 1, classes: readonly string[] = ['positive', 'negative']): { text: string; label: string }[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const label = classes[i % classes.length]!;
    const words = label === 'positive' ? positive : label === 'negative' ? negative : filler;
    const length = 6 + Math.floor(random() * 14);
    const tokens = Array.from({ length }, () => (random() < 0.3 ? pick(words) : pick(filler)));
    tokens.push(pick(words));
    return { text: `${tokens.join(' ')} #${i}`, label };
  });
}

export function writeJsonl(path: string, rows: object[]): string {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}
