/**
 * Listing items for the annotate queues and the list view. Filters combine (label or
 * 'unlabelled', split, search); pages go by OFFSET for the list view or by id (keyset: `after`,
 * `before`) for "next item", which then costs the same at item 200,000 as at item 1.
 */
import type { ItemRow, Split } from '../../common/contract';
import type { ProjectMeta } from './projectMeta';
import { registerCaseFolding } from './caseFolding';
import type { Db } from './open';
import { searchPlan, type SearchIndex } from './search';

export interface ItemFilter {
  /** A label name, `unlabelled`, or absent for all. */
  label?: string;
  split?: Split;
  search?: string;
}

export interface ItemQuery extends ItemFilter {
  offset: number;
  limit: number;
  /** Items with larger ids than this, in id order. */
  after?: number;
  /** The `limit` items just before this id, still returned in id order. */
  before?: number;
  /** false: skip the count (`total` is null); a count walks every matching item. */
  withTotal?: boolean;
  /** Count at most this many (a search for "the" need not count 150,000 matches to say "10,000+"). */
  maxTotal?: number;
}

/** Where the ids of the largest selections stop (the most one labels:set accepts). */
export const maxListedIds = 1_000_000;

// Explicit joins rather than the current_labels view: a view on the right of a LEFT JOIN may be
// materialised whole, which costs every labelled item on every "next item".
const labelJoins = `LEFT JOIN latest_label_event l ON l.item_id = i.id
  LEFT JOIN label_events e ON e.id = l.event_id
  LEFT JOIN item_splits s ON s.item_id = i.id`;

// The pre-label rides along with each listed item (a primary-key lookup per row).
const columns = `i.id, i.text, i.external_id AS externalId, e.label, s.split,
  CASE WHEN e.label IS NOT NULL THEN e.annotator END AS annotator,
  CASE WHEN e.label IS NOT NULL THEN e.created_at END AS labelledAt,
  CASE WHEN e.label IS NOT NULL THEN e.origin END AS origin,
  (SELECT json_object('label', p.label, 'confidence', p.confidence, 'source', p.source) FROM prelabels p WHERE p.item_id = i.id) AS prelabel`;

const indexedUpto = '(SELECT indexed_upto FROM search_index_state)';
const firstUnlabelled = '(SELECT min(item_id) FROM unlabelled_items)';

interface Segment {
  /** FROM for listing: the item and its label and split. */
  from: string;
  /** FROM for counting: only what `countWhere` refers to. */
  countFrom: string;
  where: string[];
  /** `where` for counting, the unlabelled queue's condition left to the join in `countFrom`. */
  countWhere: string[];
  /** The id column the segment is ordered by. */
  id: string;
}

interface Source {
  /** Where matches come from, each segment in id order and after the one before it. */
  segments: Segment[];
  params: Record<string, unknown>;
}

export class ItemList {
  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();

  constructor(
    private readonly db: Db,
    private readonly meta: ProjectMeta,
    private readonly search: SearchIndex,
  ) {
    // The search conditions call it; every project connection, read-only ones too, lists items here.
    registerCaseFolding(db);
  }

  /** Query shapes are few (filters on or off), so their statements are prepared once each. */
  private statement(sql: string): ReturnType<Db['prepare']> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      // Search adds one parameter per term: bound the cache for someone pasting whole paragraphs.
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, (stmt = this.db.prepare(sql)));
    }
    return stmt;
  }

  /**
   * Where matching items come from. Without a search: the items table in id order. With one: the
   * trigram index drives (it yields ids in order, so "first match" stops early), and items the
   * background indexer has not reached are scanned; both segments are in id order, the second
   * after the first.
   */
  private source(filter: ItemFilter, range: { after?: number; before?: number }): Source {
    const where: string[] = [];
    const params: Record<string, unknown> = { ...range };
    if (filter.label === 'unlabelled') where.push('e.label IS NULL');
    else if (filter.label !== undefined) {
      where.push('e.label = @label');
      params.label = this.meta.requireLabel(filter.label);
    }
    if (filter.split) {
      where.push('s.split = @split');
      params.split = filter.split;
    }
    const plan = filter.search ? searchPlan(filter.search, (prefix) => this.search.trigramsStartingWith(prefix)) : null;
    // A count joins the label and split tables only when a filter reads them, and the unlabelled
    // queue's own table instead when that is all it reads: a key lookup per match rather than its
    // latest label (counting "the" in the queue at a million items: 335 ms before, 157 ms so).
    const queueOnly = filter.label === 'unlabelled' && !filter.split;
    const countWhere = queueOnly ? [] : where;
    const countJoins = (id: string) => (queueOnly ? `JOIN unlabelled_items u ON u.item_id = ${id}` : where.length ? labelJoins : '');
    // One lower and one upper bound per id column, each folded into a single integer comparison.
    // The trigram index seeks with the first bound of each kind it is offered and filters the rest,
    // and only to an integer: better-sqlite3 binds JavaScript numbers as floating point, and with
    // such a bound every "next match" walked from the first match (measured: 58 ms instead of
    // 0.2 ms for 1,000 ids of "the" at a million items, either way).
    const bounded = (id: string, { queue = filter.label === 'unlabelled', lower = [] as string[], upper = [] as string[] } = {}) => {
      const lows = [
        ...(range.after !== undefined ? ['CAST(@after AS INTEGER) + 1'] : []),
        // No unlabelled item comes before the queue's first: a search in it skips the labelled ones
        // before that in one seek (a million labelled matches of "the" took 480 ms to walk past).
        ...(queue ? [firstUnlabelled] : []),
        ...lower,
      ];
      const highs = [...(range.before !== undefined ? ['CAST(@before AS INTEGER) - 1'] : []), ...upper];
      return [...(lows.length ? [`${id} >= ${fold('max', lows)}`] : []), ...(highs.length ? [`${id} <= ${fold('min', highs)}`] : [])];
    };
    const scan = (conditions: string[], lower: string[] = []): Segment => ({
      from: `items i ${labelJoins}`,
      countFrom: `items i ${countJoins('i.id')}`,
      where: [...conditions, ...where, ...bounded('i.id', { lower })],
      countWhere: [...conditions, ...countWhere, ...bounded('i.id', { lower })],
      id: 'i.id',
    });
    if (!plan && filter.label === 'unlabelled') {
      // The queue's own table (migration 7) is in id order: a run of labelled items costs nothing.
      const queued = where.filter((w) => w !== 'e.label IS NULL');
      return {
        segments: [
          {
            from: `unlabelled_items u JOIN items i ON i.id = u.item_id ${labelJoins}`,
            countFrom: `unlabelled_items u ${queued.length ? `JOIN items i ON i.id = u.item_id ${labelJoins}` : ''}`,
            where: [...queued, ...bounded('u.item_id', { queue: false })],
            countWhere: [...queued, ...bounded('u.item_id', { queue: false })],
            id: 'u.item_id',
          },
        ],
        params,
      };
    }
    if (!plan && filter.label !== undefined) {
      // A label's queue from its own table (migration 9), in id order: runs of items with other
      // labels or none cost nothing to step over.
      const kept = where.filter((w) => w !== 'e.label = @label');
      const bounds = bounded('q.item_id', { queue: false });
      return {
        segments: [
          {
            from: `labelled_items q JOIN items i ON i.id = q.item_id ${labelJoins}`,
            countFrom: `labelled_items q ${kept.length ? `JOIN items i ON i.id = q.item_id ${labelJoins}` : ''}`,
            where: ['q.label = @label', ...kept, ...bounds],
            countWhere: ['q.label = @label', ...kept, ...bounds],
            id: 'q.item_id',
          },
        ],
        params,
      };
    }
    if (!plan) return { segments: [scan([])], params };
    Object.assign(params, plan.params);
    const tail = scan(plan.tailTerms, [`${indexedUpto} + 1`]);
    if (plan.indexedNone) return { segments: [tail], params };
    if (plan.match === null) return { segments: [scan(plan.tailTerms)], params };
    const needsItem = countWhere.length > 0 || plan.scanTerms.length > 0;
    const matched = ['items_fts MATCH @sMatch', ...bounded('items_fts.rowid', { upper: [indexedUpto] })];
    return {
      segments: [
        {
          from: `items_fts JOIN items i ON i.id = items_fts.rowid ${labelJoins}`,
          countFrom: `items_fts ${needsItem ? 'JOIN items i ON i.id = items_fts.rowid' : ''} ${countJoins('items_fts.rowid')}`,
          where: [...matched, ...where, ...plan.scanTerms],
          countWhere: [...matched, ...countWhere, ...plan.scanTerms],
          id: 'items_fts.rowid',
        },
        tail,
      ],
      params,
    };
  }

  list(query: ItemQuery): { total: number | null; items: ItemRow[] } {
    const range: { after?: number; before?: number } = {};
    if (query.after !== undefined) range.after = query.after;
    if (query.before !== undefined) range.before = query.before;
    const backwards = range.before !== undefined;
    const { segments, params } = this.source(query, range);
    // Segment by segment, each in its own id order: one UNION ALL … ORDER BY would sort every
    // match of a common word (165 ms at 200,000 items) before returning the first.
    const ordered = backwards ? [...segments].reverse() : segments;
    const items: ItemRow[] = [];
    let offset = query.offset;
    for (const g of ordered) {
      const rows = this.statement(
        `SELECT ${columns} FROM ${g.from} ${whereSql(g.where)} ORDER BY ${g.id} ${backwards ? 'DESC' : 'ASC'} LIMIT @limit OFFSET @offset`,
      ).all({ ...params, limit: query.limit - items.length, offset }) as (Omit<ItemRow, 'prelabel'> & { prelabel: string | null })[];
      for (const row of rows) items.push({ ...row, prelabel: row.prelabel === null ? null : (JSON.parse(row.prelabel) as ItemRow['prelabel']) });
      if (items.length >= query.limit) break;
      // This segment ran out: the offset still to skip is what it did not hold.
      if (offset > 0 && g !== ordered.at(-1)) offset = Math.max(0, offset - this.count(g, params, offset));
    }
    if (backwards) items.reverse();
    let total: number | null = null;
    if (query.withTotal ?? true) {
      const kept = this.keptCount(query);
      if (kept !== null) return { total: query.maxTotal === undefined ? kept : Math.min(kept, query.maxTotal), items };
      const all = this.source(query, {});
      total = 0;
      for (const g of all.segments) {
        const cap = query.maxTotal === undefined ? undefined : query.maxTotal - total;
        if (cap === 0) break;
        total += this.count(g, all.params, cap);
      }
    }
    return { total, items };
  }

  /** The largest item id: where a count sliced by id ranges ends. */
  lastId(): number {
    return this.statement('SELECT coalesce(max(id), 0) FROM items').pluck().get() as number;
  }

  /**
   * Matches with ids in (after, upto], counting at most `cap`: one slice of a count spread over
   * turns of the event loop (itemCounting.ts). Both segments of a search are counted in the same
   * synchronous step, so an item the indexer reaches between two slices is counted once.
   */
  countRange(filter: ItemFilter, after: number, upto: number, cap?: number): number {
    const { segments, params } = this.source(filter, { after, before: upto + 1 });
    let n = 0;
    for (const g of segments) {
      const left = cap === undefined ? undefined : cap - n;
      if (left === 0) break;
      n += this.count(g, params, left);
    }
    return n;
  }

  /**
   * A label filter alone is counted from what triggers keep (label_counts, as the summary counts,
   * and the unlabelled queue's table): the list view's "of N" walked every item with its label
   * joins, 330 ms at a million items.
   */
  keptCount(filter: ItemFilter): number | null {
    if (filter.search || filter.split) return null;
    const labelled = (label: string | null) =>
      this.statement('SELECT coalesce(sum(n), 0) FROM label_counts WHERE n > 0 AND (@label IS NULL OR label = @label)').pluck().get({ label }) as number;
    const unlabelled = () => this.statement('SELECT COUNT(*) FROM unlabelled_items').pluck().get() as number;
    if (filter.label === undefined) return unlabelled() + labelled(null);
    return filter.label === 'unlabelled' ? unlabelled() : labelled(this.meta.requireLabel(filter.label));
  }

  /** Matches in one segment, counting at most `cap` of them. */
  private count(g: Segment, params: Record<string, unknown>, cap?: number): number {
    const inner = `SELECT 1 FROM ${g.countFrom} ${whereSql(g.countWhere)}`;
    if (cap === undefined) return this.statement(`SELECT COUNT(*) FROM (${inner})`).pluck().get(params) as number;
    return this.statement(`SELECT COUNT(*) FROM (${inner} LIMIT @cap)`).pluck().get({ ...params, cap }) as number;
  }

  /** Every matching id in id order, for "select all matching" (at most `maxListedIds`). */
  ids(filter: ItemFilter): number[] {
    const { segments, params } = this.source(filter, {});
    const selects = segments.map((g) => `SELECT i.id FROM ${g.from} ${whereSql(g.where)}`);
    return this.statement(`${selects.join(' UNION ALL ')} ORDER BY 1 LIMIT ${maxListedIds}`)
      .pluck()
      .all(params) as number[];
  }
}

/** `max(a, b)` of SQL expressions, or the one expression alone (SQLite's max is NULL if any is). */
function fold(fn: 'max' | 'min', expressions: string[]): string {
  return expressions.length === 1 ? expressions[0]! : `${fn}(${expressions.join(', ')})`;
}

function whereSql(conditions: string[]): string {
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}
