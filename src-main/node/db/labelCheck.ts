/**
 * The label check's queue: suspects computed from a 'crossval' run's out-of-fold probabilities
 * (kept per run and connection: they never change), and each one's review state read per page.
 */
import { StudioError } from '../../common/errors';
import { CROSSVAL_RUN_KIND, findSuspects, suspectQuerySchema, type SuspectPage, type SuspectSearch } from '../../common/labelCheck';
import type { z } from 'zod';
import { reviewStates } from './evaluation';
import type { Db } from './open';
import type { ProjectMeta } from './projectMeta';
import { Runs } from './runs';

interface CachedCheck {
  labels: string[];
  itemIds: Int32Array;
  probabilities: Float32Array;
  search: SuspectSearch;
}

const cache = new WeakMap<Db, Map<string, CachedCheck>>();

export class LabelChecks {
  constructor(
    private readonly db: Db,
    private readonly meta: ProjectMeta,
  ) {}

  /** The newest finished label check, if any. */
  latest(): number | null {
    return this.db.prepare<[string], { id: number }>("SELECT id FROM runs WHERE kind = ? AND status = 'done' ORDER BY id DESC LIMIT 1").get(CROSSVAL_RUN_KIND)?.id ?? null;
  }

  private load(runId: number): CachedCheck {
    let perDb = cache.get(this.db);
    if (!perDb) cache.set(this.db, (perDb = new Map()));
    const run = new Runs(this.db).get(runId);
    // Run ids are reused after the newest run is deleted: the start time tells the runs apart.
    const key = `${runId}@${run.startedAt}`;
    const hit = perDb.get(key);
    if (hit) return hit;
    if (run.kind !== CROSSVAL_RUN_KIND) throw new StudioError('invalid-input', `Run ${runId} is not a label check (it is a ${run.kind} run).`);
    if (run.status !== 'done') throw new StudioError('not-found', `Label check ${runId} did not finish (its status is ${run.status}).`);
    const labels = this.meta.labels().map((l) => l.name);
    const k = labels.length;
    const index = new Map(labels.map((l, i) => [l, i]));
    const rows = this.db
      .prepare<[number], { itemId: number; label: string; probabilities: Buffer }>('SELECT item_id AS itemId, label, probabilities FROM run_predictions WHERE run_id = ? ORDER BY item_id')
      .all(runId);
    const itemIds = Int32Array.from(rows, (r) => r.itemId);
    const given = Int32Array.from(rows, (r) => index.get(r.label) ?? 0);
    const probabilities = new Float32Array(rows.length * k);
    rows.forEach((r, i) => probabilities.set(new Float32Array(r.probabilities.buffer.slice(r.probabilities.byteOffset, r.probabilities.byteOffset + 4 * k)), i * k));
    const check = { labels, itemIds, probabilities, search: findSuspects(given, probabilities, k) };
    perDb.set(key, check);
    return check;
  }

  suspects(request: z.output<typeof suspectQuerySchema>): SuspectPage {
    const runId = request.runId ?? this.latest();
    if (runId === null) throw new StudioError('not-found', 'No label check has finished yet: run “Find likely label errors” first.');
    const query = { ...request, runId };
    const check = this.load(runId);
    const k = check.labels.length;
    const states = reviewStates(this.db, query.runId, 'all');
    const queue = query.hideReviewed
      ? check.search.suspects.filter((s) => {
          const state = states.get(check.itemIds[s.index]!);
          return !state || (state.review === null && !state.changed);
        })
      : check.search.suspects;
    const page = queue.slice(query.offset, query.offset + query.limit);
    const texts = new Map(
      this.db
        .prepare<[string], { id: number; text: string }>('SELECT id, text FROM items WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(page.map((s) => check.itemIds[s.index]!)))
        .map((r) => [r.id, r.text]),
    );
    return {
      runId: query.runId,
      checked: check.itemIds.length,
      flagged: check.search.suspects.length,
      labels: check.labels,
      thresholds: check.search.thresholds.map((x) => (Number.isNaN(x) ? null : x)),
      total: queue.length,
      rows: page.map((s) => {
        const itemId = check.itemIds[s.index]!;
        const state = states.get(itemId);
        const given = check.labels[s.given]!;
        return {
          itemId,
          text: texts.get(itemId) ?? '',
          given,
          suggested: check.labels[s.suggested]!,
          probabilities: Array.from(check.probabilities.subarray(s.index * k, (s.index + 1) * k)),
          margin: s.margin,
          currentLabel: state ? state.current : given,
          review: state?.review ?? (state?.changed ? 'relabelled' : null),
        };
      }),
    };
  }
}
