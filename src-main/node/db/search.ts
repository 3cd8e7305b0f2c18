/**
 * Full-text search over item texts: a query is whitespace-separated terms (or "quoted phrases"),
 * and an item matches when it contains every term, case-insensitively, anywhere in its text, so
 * 干净 finds 酒店很干净 and "not worth" finds a phrase. Terms of three characters or more are
 * trigram phrases. A shorter term is looked up as every indexed trigram that starts with it (the
 * index's vocabulary, a range scan; indexed texts end in two sentinel characters so a term at the
 * very end still starts a trigram). Items the background indexer has not reached yet, and short
 * terms that start too many trigrams to list, are checked on the text itself, folded as the index
 * folds it (caseFolding.ts), so a search finds the same items before and after indexing.
 */
import { foldCase, foldedContainsSql } from './caseFolding';
import type { Db } from './open';

/** Short terms starting more trigrams than this are scanned for instead (an OR of thousands is slower). */
export const maxTrigramsPerShortTerm = 200;

/** The terms of a search box entry; quotes group words into one term, stray quotes are text. */
export function searchTerms(input: string): string[] {
  const terms: string[] = [];
  for (const m of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    // Control characters never reach the index's sentinel (and are no one's search anyway).
    const term = (m[1] ?? m[2] ?? '').replace(/\p{Cc}/gu, '').trim();
    if (term !== '' && !terms.includes(term)) terms.push(term);
  }
  return terms;
}

/** Characters, not UTF-16 units: the trigram tokenizer counts code points. */
function characters(term: string): number {
  return [...term].length;
}

/** A trigram-indexable term: one FTS5 string, quoted so no user input is ever query syntax. */
export function ftsString(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** `%term%` for LIKE … ESCAPE '\', with the term's own wildcards taken literally. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * An SQL condition: `i.text` contains `term` as the index would find it. An ASCII-only text (as
 * many bytes as characters) folds as LIKE does, so LIKE decides, inside SQLite; any other text
 * takes a call into JavaScript, which folds all of Unicode. Scanning 200,000 reviews (27,700 of
 * them not ASCII) took 420 ms so, 545 ms with a call for every text, 215 ms with LIKE alone (which
 * misses ÉCOLE for école).
 */
function containsCondition(term: string, params: Record<string, unknown>): string {
  const folded = foldCase(term);
  const n = Object.keys(params).length;
  params[`s${n}`] = likePattern(folded);
  params[`s${n + 1}`] = folded;
  return `(CASE WHEN length(i.text) = octet_length(i.text) THEN i.text LIKE @s${n} ESCAPE '\\'
    ELSE ${foldedContainsSql}(i.text, @s${n + 1}) END)`;
}

export interface SearchPlan {
  /** The FTS5 query over indexed items; null when the index cannot narrow the search. */
  match: string | null;
  /** Some term starts no indexed trigram: no indexed item matches. */
  indexedNone: boolean;
  /** Conditions on `i.text` the index cannot answer (short terms starting too many trigrams). */
  scanTerms: string[];
  /** Conditions on `i.text` for every term: for items the index has not reached. */
  tailTerms: string[];
  /** Named parameters (prefixed `s`) of the conditions. */
  params: Record<string, unknown>;
}

/**
 * How to search for `input`; null when it has no terms. `trigramsStartingWith` lists the indexed
 * trigrams that start with a (case-folded) short term.
 */
export function searchPlan(input: string, trigramsStartingWith: (prefix: string) => string[]): SearchPlan | null {
  const terms = searchTerms(input);
  if (terms.length === 0) return null;
  const params: Record<string, unknown> = {};
  const contains = (term: string) => containsCondition(term, params);
  const phrases: string[] = [];
  const scanTerms: string[] = [];
  let indexedNone = false;
  for (const term of terms) {
    if (characters(term) >= 3) {
      phrases.push(ftsString(term));
      continue;
    }
    const trigrams = trigramsStartingWith(foldCase(term));
    if (trigrams.length === 0) indexedNone = true;
    else if (trigrams.length > maxTrigramsPerShortTerm) scanTerms.push(contains(term));
    else phrases.push(`(${trigrams.map(ftsString).join(' OR ')})`);
  }
  const plan: SearchPlan = { match: phrases.length ? phrases.join(' AND ') : null, indexedNone, scanTerms, tailTerms: terms.map(contains), params };
  if (plan.match !== null) params.sMatch = plan.match;
  return plan;
}

/** The trigram index's catch-up work: items are indexed in id order after they are inserted. */
export class SearchIndex {
  private readonly markStmt;
  private readonly maxIdStmt;
  private readonly batchEndStmt;
  private readonly indexStmt;
  private readonly setMarkStmt;
  private readonly vocabStmt;

  constructor(private readonly db: Db) {
    this.markStmt = db.prepare<[], { upto: number }>('SELECT indexed_upto AS upto FROM search_index_state');
    this.maxIdStmt = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM items');
    this.batchEndStmt = db.prepare<[number, number], { id: number | null }>(
      'SELECT max(id) AS id FROM (SELECT id FROM items WHERE id > ? ORDER BY id LIMIT ?)',
    );
    this.indexStmt = db.prepare<[number, number]>(
      'INSERT INTO items_fts(rowid, text) SELECT id, text FROM items_search_text WHERE id > ? AND id <= ?',
    );
    this.vocabStmt = db.prepare<[string, string, number], string>(
      'SELECT term FROM items_fts_vocab WHERE term >= ? AND term < ? || char(1114111) LIMIT ?',
    );
    this.setMarkStmt = db.prepare<[number]>('UPDATE search_index_state SET indexed_upto = ?');
  }

  /** Indexed trigrams starting with `prefix` (one past the cap when there are more). */
  trigramsStartingWith(prefix: string): string[] {
    return this.vocabStmt.pluck().all(prefix, prefix, maxTrigramsPerShortTerm + 1);
  }

  /** Items not yet in the index (ids only grow, so the gap to the newest id). */
  pending(): number {
    return Math.max(0, (this.maxIdStmt.get()!.id ?? 0) - this.markStmt.get()!.upto);
  }

  /** Indexes up to `rows` more items in one transaction; returns how many. */
  indexBatch(rows: number): number {
    return this.db.transaction(() => {
      const upto = this.markStmt.get()!.upto;
      const end = this.batchEndStmt.get(upto, rows)!.id;
      if (end === null) return 0;
      const indexed = this.indexStmt.run(upto, end).changes;
      this.setMarkStmt.run(end);
      return indexed;
    })();
  }

  /**
   * Indexes for about `budgetMs` in batches sized from the measured cost per item (a long review
   * costs ten times a tweet); returns true when nothing is left.
   */
  indexFor(budgetMs: number): boolean {
    const start = performance.now();
    let rows = 16;
    for (;;) {
      const t0 = performance.now();
      const n = this.indexBatch(rows);
      if (n < rows) return this.pending() === 0;
      const now = performance.now();
      const perRow = Math.max((now - t0) / n, 0.001);
      const left = budgetMs - (now - start);
      if (left < perRow * 8) return false;
      rows = Math.max(8, Math.min(5000, Math.floor(left / perRow)));
    }
  }

  indexAll(): void {
    while (this.indexBatch(5000) > 0);
  }
}
