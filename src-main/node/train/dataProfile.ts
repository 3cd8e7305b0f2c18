/**
 * What the training form shows about the data a run will use: how long the labelled reviews are
 * in tokens (the studio's tokenizer, default normalisation), as a histogram and as quantiles so
 * the form can say what share a given maxLen cuts without asking again. Large projects are
 * profiled on a seeded sample: tokenizing 100,000 IMDB-length reviews takes seconds, a sample of
 * a few thousand tells the same story in milliseconds.
 */
import type { DataProfile } from '../../common/contract';
import type { Db } from '../db/open';
import { Tokenizer, tokenLengthStats, percentile } from '../text';
import { seededRandom } from './random';

/** Enough for percentiles to within about a percent of the full distribution. */
export const defaultProfileSample = 3000;
const histogramBins = 40;

/** 1, 2, 5, 10, 20, 50…: bin widths a reader can add up. */
function niceWidth(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= raw) return step * magnitude;
  return 10 * magnitude;
}

/** Up to `size` distinct entries of `ids`, chosen by a seeded partial shuffle (same data, same sample). */
function sampleIds(ids: number[], size: number, seed: number): number[] {
  if (ids.length <= size) return ids;
  const random = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (ids.length - i));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, size);
}

export function profileLabelledData(db: Db, options: { sampleSize?: number; seed?: number } = {}): DataProfile {
  const sampleSize = options.sampleSize ?? defaultProfileSample;
  const ids = db
    .prepare<[], { id: number }>('SELECT item_id AS id FROM current_labels')
    .all()
    .map((r) => r.id);
  const chosen = sampleIds(ids, sampleSize, options.seed ?? 7);
  const texts = db
    .prepare<[string], { text: string }>('SELECT text FROM items WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(chosen))
    .map((r) => r.text);
  const counts = new Tokenizer().tokenCounts(texts);
  const sorted = Float64Array.from(counts).sort();
  const stats = tokenLengthStats(sorted);
  // Bins cover up to the 99th percentile; the last one also holds the longest reviews, so a
  // handful of 5,000-token outliers cannot squash the rest into one bar.
  const width = niceWidth(Math.ceil((stats.p99 || 1) / histogramBins));
  const binCount = Math.max(1, Math.min(histogramBins, Math.ceil((stats.max + 1) / width)));
  const bins = new Array<number>(binCount).fill(0);
  for (const n of counts) bins[Math.min(binCount - 1, Math.floor(n / width))]!++;
  return {
    labelled: ids.length,
    sampled: texts.length,
    stats,
    histogram: { binWidth: width, counts: bins },
    quantiles: Array.from({ length: 101 }, (_, p) => percentile(sorted, p)),
  };
}
