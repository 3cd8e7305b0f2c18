/**
 * An open project: the database connection and its repositories, created once per open.
 */
import {
  labelOrigins,
  splits,
  type ItemRow,
  type LabelActionResult,
  type LabelOrigin,
  type ProjectSummary,
  type Split,
  type UndoResult,
} from '../../common/contract';
import { ItemList, type ItemFilter, type ItemQuery } from './itemList';
import { Items } from './items';
import { LabelEvents } from './labelEvents';
import { createProjectDb, latestSchemaVersion, openProjectDb, readOnlyReason, type Db, type NewProject, type OpenOptions } from './open';
import { ProjectMeta } from './projectMeta';
import { SearchIndex } from './search';
import { Splits } from './splits';

export type { ItemFilter, ItemQuery };

/** Origins of labels a person gave (an IN list, not NOT IN, so the annotator index can seek each one). */
const personOrigins = labelOrigins
  .filter((o) => o !== 'import' && o !== 'undo')
  .map((o) => `'${o}'`)
  .join(', ');

export class Project {
  readonly meta: ProjectMeta;
  readonly items: Items;
  readonly labelEvents: LabelEvents;
  readonly splits: Splits;
  readonly searchIndex: SearchIndex;
  private readonly itemList: ItemList;

  private constructor(
    readonly db: Db,
    readonly path: string,
    readonly readOnly: boolean,
    /** Set when the project was asked for writable but its file or folder cannot be written. */
    readonly readOnlyReason: string | null = null,
  ) {
    this.meta = new ProjectMeta(db);
    this.items = new Items(db);
    this.labelEvents = new LabelEvents(db);
    this.splits = new Splits(db, this.meta);
    this.searchIndex = new SearchIndex(db);
    this.itemList = new ItemList(db, this.meta, this.searchIndex);
  }

  /** Opens read-only, saying why, when writing was asked for but the file or its folder refuses it. */
  static open(path: string, options: OpenOptions = {}): Project {
    const refused = options.readOnly ? null : readOnlyReason(path);
    const readOnly = (options.readOnly ?? false) || refused !== null;
    return new Project(openProjectDb(path, { ...options, readOnly }), path, readOnly, refused);
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
        `SELECT label, nullif(split, '') AS split, sum(n) AS n FROM label_counts WHERE n > 0 GROUP BY label, split`,
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
        // Each annotator once (the next one after the last, through the index of migration 6),
        // kept when one of their 'label' actions holds an event that is not an import: seeks, not
        // a scan of every event. Imports and undos write only 'import' and 'undo' events, under
        // actions of their own kind (importer.ts, labelEvents.ts); an event's annotator is its action's.
        `WITH RECURSIVE names(annotator) AS (
           SELECT min(annotator) FROM label_actions
           UNION ALL
           SELECT (SELECT min(annotator) FROM label_actions WHERE annotator > names.annotator) FROM names WHERE names.annotator IS NOT NULL)
         SELECT annotator FROM names WHERE annotator IS NOT NULL
           AND EXISTS (SELECT 1 FROM label_actions a JOIN label_events e ON e.action_id = a.id
                       WHERE a.annotator = names.annotator AND a.kind = 'label' AND e.origin IN (${personOrigins}))
         ORDER BY annotator`,
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

  listItems(query: ItemQuery): { total: number | null; items: ItemRow[] } {
    return this.itemList.list(query);
  }

  /** What itemCounting.ts counts with: the kept counts when they answer, else id slices. */
  get counting(): Pick<ItemList, 'keptCount' | 'lastId' | 'countRange'> {
    return this.itemList;
  }

  /** Every item id matching a filter, in id order. */
  itemIds(filter: ItemFilter): number[] {
    return this.itemList.ids(filter);
  }
}
