/**
 * A run's test predictions for the evaluation panel: the scores behind its curves, the error list
 * (filtered, sorted, paged) and accuracy by slice. A run's predictions never change, so each
 * run's rows are read and tokenized once per connection and kept; the current labels (which do
 * change) are read per page.
 */
import { StudioError } from '../../common/errors';
import { CROSSVAL_RUN_KIND } from '../../common/labelCheck';
import { negationCharacters, negationWords, predictionQuerySchema, type PredictionPage, type RunEvaluation, type SliceRow } from '../../common/evaluation';
import type { z } from 'zod';
import { percentile } from '../text';
import { Tokenizer } from '../text/tokenizer';
import type { Db } from './open';
import type { ProjectMeta } from './projectMeta';
import { Runs } from './runs';
import { searchPlan } from './search';

type ParsedQuery = z.output<typeof predictionQuerySchema>;

interface CachedRun {
  labels: string[];
  itemIds: Int32Array;
  gold: Int32Array;
  predicted: Int32Array;
  /** Row-major, items × labels. */
  probabilities: Float32Array;
  confidence: Float32Array;
  tokens: Int32Array;
  negation: Uint8Array;
  /** Imported metadata columns with a handful of values (categories, not free text). */
  metadata: Map<string, (string | null)[]>;
}

const cache = new WeakMap<Db, Map<string, CachedRun>>();
/** Metadata columns with more distinct values than this are free text, not slices. */
const maxSliceValues = 30;
const negationSet = new Set(negationWords);

function hasNegation(text: string, tokens: string[]): boolean {
  for (const t of tokens) if (negationSet.has(t.toLowerCase())) return true;
  for (const c of negationCharacters) if (text.includes(c)) return true;
  return false;
}

function categoricalColumns(raw: (string | null)[]): Map<string, (string | null)[]> {
  const parsed = raw.map((m) => {
    if (!m) return null;
    try {
      const value = JSON.parse(m) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  });
  const columns = new Set<string>();
  for (const p of parsed) if (p) for (const k of Object.keys(p)) columns.add(k);
  const out = new Map<string, (string | null)[]>();
  for (const column of columns) {
    const values = parsed.map((p) => {
      const v = p?.[column];
      return v === undefined || v === null || v === '' ? null : String(v);
    });
    const distinct = new Set(values.filter((v) => v !== null));
    if (distinct.size >= 2 && distinct.size <= maxSliceValues) out.set(column, values);
  }
  return out;
}

export type ReviewState = { current: string | null; changed: boolean; review: 'relabelled' | 'confirmed' | null };

/**
 * Items a run scored (its test split, or all of them) whose label moved on since, or that were
 * reviewed from an error list or the label check: the current label, and whether the newest
 * event came from that review (origin 'review').
 */
export function reviewStates(db: Db, runId: number, split: 'test' | 'all'): Map<number, ReviewState> {
  const rows = db
    .prepare<[number], { itemId: number; gold: string; current: string | null; origin: string | null }>(
      `SELECT p.item_id AS itemId, p.label AS gold, e.label AS current, e.origin FROM run_predictions p
       LEFT JOIN latest_label_event l ON l.item_id = p.item_id LEFT JOIN label_events e ON e.id = l.event_id
       WHERE p.run_id = ? ${split === 'test' ? "AND p.split = 'test'" : ''} AND (e.label IS NOT p.label OR e.origin = 'review')`,
    )
    .all(runId);
  return new Map(
    rows.map((r) => [
      r.itemId,
      { current: r.current, changed: r.current !== r.gold, review: r.origin === 'review' ? (r.current === r.gold ? 'confirmed' : 'relabelled') : null },
    ]),
  );
}

export class RunEvaluations {
  /** `db` is a Project's connection, which has the case-folding function the text search calls. */
  constructor(
    private readonly db: Db,
    private readonly meta: ProjectMeta,
  ) {}

  private load(runId: number): CachedRun {
    let perDb = cache.get(this.db);
    if (!perDb) cache.set(this.db, (perDb = new Map()));
    const run = new Runs(this.db).get(runId);
    if (run.kind === CROSSVAL_RUN_KIND) throw new StudioError('invalid-input', `Run ${runId} is a label check: its out-of-fold scores are reviewed under Evaluate ▸ Label check.`);
    // Run ids are reused after the newest run is deleted: the start time tells the runs apart.
    const key = `${runId}@${run.startedAt}`;
    const cached = perDb.get(key);
    if (cached) return cached;
    const rows = this.db
      .prepare<[number], { itemId: number; label: string; predicted: string; probabilities: Buffer; text: string; metadata: string | null }>(
        `SELECT p.item_id AS itemId, p.label, p.predicted, p.probabilities, i.text, i.metadata FROM run_predictions p
         JOIN items i ON i.id = p.item_id WHERE p.run_id = ? AND p.split = 'test' ORDER BY p.item_id`,
      )
      .all(runId);
    if (rows.length === 0) {
      throw new StudioError('not-found', `Run ${runId} has no test predictions (its status is ${run.status}${run.status === 'done' ? ', and the project had no test items' : ''}).`);
    }
    const labels = this.meta.labels().map((l) => l.name);
    const k = labels.length;
    const index = new Map(labels.map((l, i) => [l, i]));
    const n = rows.length;
    const tokenizer = new Tokenizer();
    const out: CachedRun = {
      labels,
      itemIds: new Int32Array(n),
      gold: new Int32Array(n),
      predicted: new Int32Array(n),
      probabilities: new Float32Array(n * k),
      confidence: new Float32Array(n),
      tokens: new Int32Array(n),
      negation: new Uint8Array(n),
      metadata: categoricalColumns(rows.map((r) => r.metadata)),
    };
    rows.forEach((r, i) => {
      out.itemIds[i] = r.itemId;
      out.gold[i] = index.get(r.label) ?? -1;
      out.predicted[i] = index.get(r.predicted) ?? -1;
      const probabilities = new Float32Array(r.probabilities.buffer.slice(r.probabilities.byteOffset, r.probabilities.byteOffset + r.probabilities.byteLength));
      out.probabilities.set(probabilities.subarray(0, k), i * k);
      out.confidence[i] = probabilities[out.predicted[i]!] ?? 0;
      const tokens = tokenizer.tokenize(r.text);
      out.tokens[i] = tokens.length;
      out.negation[i] = hasNegation(r.text, tokens) ? 1 : 0;
    });
    perDb.set(key, out);
    return out;
  }

  evaluation(runId: number): RunEvaluation {
    const run = new Runs(this.db).get(runId);
    if (!run.metrics?.test) throw new StudioError('not-found', `Run ${runId} has no test metrics (its status is ${run.status}).`);
    const data = this.load(runId);
    const changes = reviewStates(this.db, runId, 'test');
    let labelsChangedSince = 0;
    let confirmed = 0;
    for (const c of changes.values()) {
      if (c.changed) labelsChangedSince++;
      if (c.review === 'confirmed') confirmed++;
    }
    return {
      runId,
      labels: data.labels,
      metrics: run.metrics.test,
      gold: Array.from(data.gold),
      probabilities: Array.from(data.probabilities),
      labelsChangedSince,
      confirmed,
    };
  }

  predictions(query: ParsedQuery): PredictionPage {
    const data = this.load(query.runId);
    const k = data.labels.length;
    const labelIndex = (name: string | undefined) => {
      if (name === undefined) return -1;
      const i = data.labels.indexOf(name);
      if (i < 0) throw new StudioError('invalid-input', `'${name}' is not one of this project's labels (${data.labels.join(', ')}).`);
      return i;
    };
    const truth = labelIndex(query.truth);
    const predicted = labelIndex(query.predicted);
    const matching = query.search.trim() ? this.searchIds(query.runId, query.search) : null;
    const picked: number[] = [];
    for (let i = 0; i < data.itemIds.length; i++) {
      const wrong = data.gold[i] !== data.predicted[i];
      if (query.outcome === 'wrong' && !wrong) continue;
      if (query.outcome === 'right' && wrong) continue;
      if (truth >= 0 && data.gold[i] !== truth) continue;
      if (predicted >= 0 && data.predicted[i] !== predicted) continue;
      if (query.minTokens !== undefined && data.tokens[i]! < query.minTokens) continue;
      if (query.maxTokens !== undefined && data.tokens[i]! > query.maxTokens) continue;
      if (matching && !matching.has(data.itemIds[i]!)) continue;
      picked.push(i);
    }
    const key = query.sort.startsWith('confidence') ? data.confidence : data.tokens;
    const sign = query.sort.endsWith('desc') ? -1 : 1;
    // Ties by item id keep pages stable while the analyst pages through.
    picked.sort((a, b) => sign * (key[a]! - key[b]!) || data.itemIds[a]! - data.itemIds[b]!);
    const page = picked.slice(query.offset, query.offset + query.limit);
    const ids = page.map((i) => data.itemIds[i]!);
    const texts = new Map(
      this.db
        .prepare<[string], { id: number; text: string }>('SELECT id, text FROM items WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids))
        .map((r) => [r.id, r.text]),
    );
    const review = reviewStates(this.db, query.runId, 'test');
    return {
      total: picked.length,
      rows: page.map((i) => {
        const itemId = data.itemIds[i]!;
        const state = review.get(itemId);
        const gold = data.labels[data.gold[i]!] ?? '';
        return {
          itemId,
          text: texts.get(itemId) ?? '',
          gold,
          predicted: data.labels[data.predicted[i]!] ?? '',
          probabilities: Array.from(data.probabilities.subarray(i * k, (i + 1) * k)),
          confidence: data.confidence[i]!,
          tokens: data.tokens[i]!,
          currentLabel: state ? state.current : gold,
          review: state?.review ?? null,
        };
      }),
    };
  }

  /** Test items of the run whose text contains every search term, folded as the item search folds. */
  private searchIds(runId: number, search: string): Set<number> {
    const plan = searchPlan(search, () => []);
    if (!plan) return new Set();
    const sql = `SELECT p.item_id AS id FROM run_predictions p JOIN items i ON i.id = p.item_id
                 WHERE p.run_id = @runId AND p.split = 'test' AND ${plan.tailTerms.join(' AND ')}`;
    return new Set(this.db.prepare<Record<string, unknown>, { id: number }>(sql).all({ ...plan.params, runId }).map((r) => r.id));
  }

  /** Accuracy by review length (quartiles), by negation, and by each categorical metadata column. */
  slices(runId: number): SliceRow[] {
    const data = this.load(runId);
    const n = data.itemIds.length;
    const rows: SliceRow[] = [];
    const add = (dimension: string, value: string, member: (i: number) => boolean, tokens?: { min: number; max: number }) => {
      let count = 0;
      let correct = 0;
      for (let i = 0; i < n; i++) {
        if (!member(i)) continue;
        count++;
        if (data.gold[i] === data.predicted[i]) correct++;
      }
      if (count > 0) rows.push({ dimension, value, n: count, correct, accuracy: correct / count, ...(tokens ? { tokens } : {}) });
    };
    const sorted = Float64Array.from(data.tokens).sort();
    const cuts = [...new Set([25, 50, 75].map((p) => Math.round(percentile(sorted, p))))];
    let low = 0;
    for (const high of [...cuts, Infinity]) {
      const range = { min: low, max: high === Infinity ? Math.max(low, sorted[n - 1]!) : high };
      if (range.min <= range.max) add('length', high === Infinity ? `${range.min}+` : `${range.min}–${range.max}`, (i) => data.tokens[i]! >= range.min && data.tokens[i]! <= range.max, range);
      low = high + 1;
    }
    add('negation', 'with', (i) => data.negation[i] === 1);
    add('negation', 'without', (i) => data.negation[i] === 0);
    for (const [column, values] of data.metadata) {
      const counts = new Map<string, number>();
      for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      for (const value of [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b))) {
        add(`metadata:${column}`, value, (i) => values[i] === value);
      }
    }
    return rows;
  }
}
