/**
 * The scale benchmark's data: short reviews cut from IMDB. `reviews.jsonl` holds windows of one to
 * three consecutive sentences of one review, labelled as that review (about 1.6 million distinct
 * windows exist in the 50,000 reviews); `more.jsonl` holds as many texts again, each two or three
 * sentences of different reviews of one label, for the project to score. Both are shuffled with a
 * fixed seed, every text distinct (and none in both), so an import keeps every row.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { permutation, seededRandom } from '../src-main/node/train/random';
import { loadJsonl } from './data';

/** A sentence ends at . ! or ? followed by space and something that starts a sentence. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=["'(A-Z0-9])/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 2);
}

async function writeJsonl(path: string, rows: Iterable<{ text: string; label?: string }>): Promise<number> {
  const out = createWriteStream(path);
  let n = 0;
  let parts: string[] = [];
  for (const row of rows) {
    parts.push(JSON.stringify(row) + '\n');
    n++;
    if (parts.length === 4096) {
      if (!out.write(parts.join(''))) await once(out, 'drain');
      parts = [];
    }
  }
  out.end(parts.join(''));
  await once(out, 'finish');
  return n;
}

export interface ScaleSources {
  reviews: string;
  more: string;
  /** Rows written to each file. */
  rows: number;
  /** Characters of text in each file, millions. */
  megabytes: { reviews: number; more: number };
}

export async function writeScaleSources(dir: string, n: number, seed = 11): Promise<ScaleSources> {
  const source = [...loadJsonl('imdb_train.jsonl.gz'), ...loadJsonl('imdb_test.jsonl.gz')];
  const split = source.map((r) => sentences(r.text));
  // Every window as (review, first sentence, width), shuffled, then taken until n distinct texts.
  const windows: number[] = [];
  split.forEach((s, review) => {
    for (let width = 1; width <= 3; width++) for (let first = 0; first + width <= s.length; first++) windows.push(review, first, width);
  });
  const random = seededRandom(seed);
  const order = permutation(windows.length / 3, random);
  const seen = new Set<string>();
  let bytes = 0;
  function* reviews(): Generator<{ text: string; label: string }> {
    for (let k = 0; k < order.length && seen.size < n; k++) {
      const w = order[k]! * 3;
      const review = windows[w]!;
      const text = split[review]!.slice(windows[w + 1]!, windows[w + 1]! + windows[w + 2]!).join(' ');
      if (seen.has(text)) continue;
      seen.add(text);
      bytes += text.length;
      yield { text, label: source[review]!.label };
    }
  }
  const dirPath = (name: string) => join(dir, name);
  const written = await writeJsonl(dirPath('reviews.jsonl'), reviews());
  if (written < n) throw new Error(`IMDB has only ${written} distinct 1–3 sentence windows; ask for at most that many reviews`);

  const byLabel = new Map<string, number[]>();
  source.forEach((r, i) => {
    if (!byLabel.has(r.label)) byLabel.set(r.label, []);
    byLabel.get(r.label)!.push(i);
  });
  const labels = [...byLabel.keys()];
  function* more(): Generator<{ text: string }> {
    for (let made = 0; made < n; ) {
      const pool = byLabel.get(labels[made % labels.length]!)!;
      const parts: string[] = [];
      for (let p = 2 + Math.floor(random() * 2); parts.length < p; ) {
        const s = split[pool[Math.floor(random() * pool.length)]!]!;
        if (s.length) parts.push(s[Math.floor(random() * s.length)]!);
      }
      const text = parts.join(' ');
      if (seen.has(text)) continue;
      seen.add(text);
      bytes += text.length;
      made++;
      yield { text };
    }
  }
  const reviewBytes = bytes;
  await writeJsonl(dirPath('more.jsonl'), more());
  return { reviews: dirPath('reviews.jsonl'), more: dirPath('more.jsonl'), rows: n, megabytes: { reviews: reviewBytes / 1e6, more: (bytes - reviewBytes) / 1e6 } };
}
