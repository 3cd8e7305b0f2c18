#!/usr/bin/env node
/**
 * Rebuilds resources/demo/reviews.jsonl.gz: 2,000 reviews from the IMDB train split (1,000 per
 * label), picked with a fixed seed so the file is reproducible, with a quarter of the labels
 * blanked so the demo project has work left to annotate.
 *   node resources/demo/make-demo.mjs /path/to/imdb_train.jsonl.gz
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const source = process.argv[2] ?? '/work/shared/data/imdb_train.jsonl.gz';
const target = fileURLToPath(new URL('./reviews.jsonl.gz', import.meta.url));
const perLabel = 1000;
/** Every fourth review is left unlabelled. */
const isHeldBack = (i) => i % 4 === 3;

/** mulberry32: a small seeded generator, enough for a reproducible shuffle. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(list, next) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

const next = random(2011);
const rows = gunzipSync(readFileSync(source))
  .toString('utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line, index) => ({ index, ...JSON.parse(line) }));
// The source is grouped by label: shuffle before sampling.
shuffle(rows, next);
// IMDB repeats a few reviews; the importer would store them once, so keep each text once.
const seen = new Set();
const unique = rows.filter((r) => !seen.has(r.text) && seen.add(r.text));
const picked = [];
for (const label of ['positive', 'negative']) picked.push(...unique.filter((r) => r.label === label).slice(0, perLabel));
shuffle(picked, next);
const lines = picked.map((r, i) =>
  JSON.stringify({ id: `imdb-train-${r.index + 1}`, text: r.text, label: isHeldBack(i) ? '' : r.label }),
);
writeFileSync(target, gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'), { level: 9 }));
const labelled = picked.filter((_, i) => !isHeldBack(i));
console.log(
  `${target}: ${picked.length} reviews, ${labelled.length} labelled (${labelled.filter((r) => r.label === 'positive').length} positive)`,
);
