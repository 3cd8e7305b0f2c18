/**
 * An open project: the database connection and its repositories, created once per open.
 */
import {
  splits,
  type ItemRow,
  type LabelActionResult,
  type LabelOrigin,
  type ProjectSummary,
  type Split,
  type UndoResult,
} from '../../common/contract';
import { Items } from './items';
import { LabelEvents } from './labelEvents';
import { createProjectDb, latestSchemaVersion, openProjectDb, type Db, type NewProject, type OpenOptions } from './open';
import { ProjectMeta } from './projectMeta';
import { Splits } from './splits';

export interface ItemQuery {
  offset: number;
  limit: number;
  label?: string;
  split?: Split;
  search?: string;
}

export class Project {
  readonly meta: ProjectMeta;
  readonly items: Items;
  readonly labelEvents: LabelEvents;
  readonly splits: Splits;

  private constructor(
    readonly db: Db,
    readonly path: string,
    readonly readOnly: boolean,
  ) {
    this.meta = new ProjectMeta(db);
    this.items = new Items(db);
    this.labelEvents = new LabelEvents(db);
    this.splits = new Splits(db, this.meta);
  }

  static open(path: string, options: OpenOptions = {}): Project {
    return new Project(openProjectDb(path, options), path, options.readOnly ?? false);
  }

  static create(path: string, project: NewProject, options: OpenOptions = {}): Project {
    return new Project(createProjectDb(path, project, options), path, false);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** One label action, with split assignment for newly labelled items in the same transaction. */
  setLabels(itemIds: number[], label: string | null, origin: LabelOrigin, annotator: string): LabelActionResult {
    return this.db
      .transaction(() => {
        const result = this.labelEvents.setLabels(itemIds, label, origin, annotator);
        if (label !== null) this.splits.assignPending(itemIds);
        return result;
      })
      .immediate();
  }

  undo(annotator: string, actionId?: number): UndoResult {
    return this.db
      .transaction(() => {
        const result = this.labelEvents.undo(annotator, actionId);
        if (result.reverted > 0) this.splits.assignPending();
        return result;
      })
      .immediate();
  }

  summary(): ProjectSummary {
    const labels = this.meta.labels();
    const perLabel: Record<string, number> = Object.fromEntries(labels.map((l) => [l.name, 0]));
    const perSplit = Object.fromEntries(splits.map((s) => [s, { ...perLabel }])) as Record<Split, Record<string, number>>;
    let labelled = 0;
    const rows = this.db
      .prepare<[], { label: string; split: Split | null; n: number }>(
        `SELECT c.label, s.split, COUNT(*) AS n FROM current_labels c
         LEFT JOIN item_splits s ON s.item_id = c.item_id GROUP BY c.label, s.split`,
      )
      .all();
    for (const r of rows) {
      perLabel[r.label] = (perLabel[r.label] ?? 0) + r.n;
      if (r.split) perSplit[r.split][r.label] = (perSplit[r.split][r.label] ?? 0) + r.n;
      labelled += r.n;
    }
    const items = this.items.count();
    const events = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM label_events').get()!.n;
    const annotators = this.db
      .prepare<[], { annotator: string }>(
        `SELECT DISTINCT annotator FROM label_events WHERE origin NOT IN ('import', 'undo') ORDER BY annotator`,
      )
      .all()
      .map((r) => r.annotator);
    return {
      path: this.path,
      name: this.meta.name(),
      readOnly: this.readOnly,
      schemaVersion: latestSchemaVersion,
      labels,
      items,
      labelled,
      unlabelled: items - labelled,
      perLabel,
      perSplit,
      splitSeed: this.meta.splitSeed(),
      splitFractions: this.meta.splitFractions(),
      labelEvents: events,
      annotators,
    };
  }

  listItems(query: ItemQuery): { total: number; items: ItemRow[] } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.label === 'unlabelled') where.push('c.item_id IS NULL');
    else if (query.label !== undefined) {
      where.push('c.label = @label');
      params.label = this.meta.requireLabel(query.label);
    }
    if (query.split) {
      where.push('s.split = @split');
      params.split = query.split;
    }
    if (query.search?.trim()) {
      // instr() is a case-sensitive scan; lower() on both sides keeps it predictable without FTS.
      where.push('instr(lower(i.text), lower(@search)) > 0');
      params.search = query.search.trim();
    }
    const from = `FROM items i LEFT JOIN current_labels c ON c.item_id = i.id LEFT JOIN item_splits s ON s.item_id = i.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const total = this.db.prepare<Record<string, unknown>, { n: number }>(`SELECT COUNT(*) AS n ${from}`).get(params)!.n;
    const items = this.db
      .prepare<Record<string, unknown>, ItemRow>(
        `SELECT i.id, i.text, i.external_id AS externalId, c.label, s.split, c.annotator, c.created_at AS labelledAt
         ${from} ORDER BY i.id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: query.limit, offset: query.offset });
    return { total, items };
  }
}
