/**
 * Labels as append-only events grouped into actions. The current label of an item is its newest
 * event; undo appends the label each item had before the undone action.
 */
import { StudioError } from '../../common/errors';
import type { LabelActionResult, LabelEventRow, LabelOrigin, UndoResult } from '../../common/contract';
import type { Db } from './open';

export type ActionKind = 'label' | 'import' | 'undo';

interface EventRow {
  id: number;
  item_id: number;
  label: string | null;
  annotator: string;
  origin: LabelOrigin;
  created_at: string;
  action_id: number;
}

export class LabelEvents {
  private readonly actionStmt;
  private readonly appendStmt;
  private readonly currentStmt;
  private readonly previousStmt;
  private readonly actionEventsStmt;
  private readonly lastUndoableStmt;
  private readonly actionStmtById;
  private readonly historyStmt;
  private readonly itemExistsStmt;
  private readonly liveLaterStmt;

  constructor(private readonly db: Db) {
    this.actionStmt = db.prepare(
      'INSERT INTO label_actions(kind, annotator, created_at, reverts, import_id) VALUES (?, ?, ?, ?, ?)',
    );
    this.appendStmt = db.prepare(
      'INSERT INTO label_events(item_id, action_id, label, annotator, origin, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.currentStmt = db.prepare<[number], { event_id: number; label: string | null }>(
      'SELECT l.event_id, e.label FROM latest_label_event l JOIN label_events e ON e.id = l.event_id WHERE l.item_id = ?',
    );
    // The label an item had before an event: its newest earlier event that still stands (skipping
    // undo events and events of actions undone since), so undoing A then B never resurrects A.
    this.previousStmt = db.prepare<[number, number], { label: string | null }>(
      `SELECT e.label FROM label_events e JOIN label_actions a ON a.id = e.action_id
       WHERE e.item_id = ? AND e.id < ? AND a.kind <> 'undo'
         AND NOT EXISTS (SELECT 1 FROM label_actions u WHERE u.reverts = a.id)
       ORDER BY e.id DESC LIMIT 1`,
    );
    this.actionEventsStmt = db.prepare<[number], EventRow>('SELECT * FROM label_events WHERE action_id = ? ORDER BY id');
    this.lastUndoableStmt = db.prepare<[], { id: number }>(
      `SELECT a.id FROM label_actions a
       WHERE a.kind <> 'undo' AND NOT EXISTS (SELECT 1 FROM label_actions u WHERE u.reverts = a.id)
         AND EXISTS (SELECT 1 FROM label_events e WHERE e.action_id = a.id)
       ORDER BY a.id DESC LIMIT 1`,
    );
    this.actionStmtById = db.prepare<[number], { id: number; kind: string; undone: number }>(
      `SELECT a.id, a.kind, EXISTS (SELECT 1 FROM label_actions u WHERE u.reverts = a.id) AS undone
       FROM label_actions a WHERE a.id = ?`,
    );
    this.historyStmt = db.prepare<[number], EventRow>('SELECT * FROM label_events WHERE item_id = ? ORDER BY id');
    this.itemExistsStmt = db.prepare<[number], { id: number }>('SELECT id FROM items WHERE id = ?');
    // Later events that still stand: not undo events, and not part of an action undone since.
    this.liveLaterStmt = db.prepare<[number, number], { n: number }>(
      `SELECT COUNT(*) AS n FROM label_events e JOIN label_actions a ON a.id = e.action_id
       WHERE e.item_id = ? AND e.id > ? AND a.kind <> 'undo'
         AND NOT EXISTS (SELECT 1 FROM label_actions u WHERE u.reverts = a.id)`,
    );
  }

  createAction(kind: ActionKind, annotator: string, options: { reverts?: number; importId?: number } = {}): number {
    const r = this.actionStmt.run(kind, annotator, new Date().toISOString(), options.reverts ?? null, options.importId ?? null);
    return Number(r.lastInsertRowid);
  }

  currentLabel(itemId: number): string | null {
    return this.currentStmt.get(itemId)?.label ?? null;
  }

  append(itemId: number, actionId: number, label: string | null, annotator: string, origin: LabelOrigin, at: string): void {
    this.appendStmt.run(itemId, actionId, label, annotator, origin, at);
  }

  /** One action: every listed item gets `label` (null = unlabelled) unless it already has it. */
  setLabels(itemIds: number[], label: string | null, origin: LabelOrigin, annotator: string): LabelActionResult {
    return this.db.transaction(() => {
      const actionId = this.createAction('label', annotator);
      const at = new Date().toISOString();
      let changed = 0;
      let unchanged = 0;
      for (const itemId of new Set(itemIds)) {
        if (!this.itemExistsStmt.get(itemId)) throw new StudioError('not-found', `item ${itemId} does not exist`);
        if (this.currentLabel(itemId) === label) {
          unchanged++;
          continue;
        }
        this.append(itemId, actionId, label, annotator, origin, at);
        changed++;
      }
      return { actionId, changed, unchanged };
    }).immediate();
  }

  /**
   * "The model is wrong, the label is right": one action that re-asserts each item's current label
   * with origin 'review', so the audit trail records the check. Unlabelled items are skipped.
   */
  confirm(itemIds: number[], annotator: string): LabelActionResult {
    return this.db.transaction(() => {
      const actionId = this.createAction('label', annotator);
      const at = new Date().toISOString();
      let changed = 0;
      let unchanged = 0;
      for (const itemId of new Set(itemIds)) {
        if (!this.itemExistsStmt.get(itemId)) throw new StudioError('not-found', `item ${itemId} does not exist`);
        const label = this.currentLabel(itemId);
        if (label === null) {
          unchanged++;
          continue;
        }
        this.append(itemId, actionId, label, annotator, 'review', at);
        changed++;
      }
      return { actionId, changed, unchanged };
    }).immediate();
  }

  /**
   * Reverts an action (default: the newest one not yet undone). Items relabelled since by an action
   * that still stands are left alone; undoing several actions in a row walks back through them.
   */
  undo(annotator: string, actionId?: number): UndoResult {
    return this.db.transaction((): UndoResult => {
      let target: number;
      if (actionId === undefined) {
        const last = this.lastUndoableStmt.get();
        if (!last) return { undoneActionId: null, reverted: 0, skipped: 0 };
        target = last.id;
      } else {
        const action = this.actionStmtById.get(actionId);
        if (!action) throw new StudioError('not-found', `label action ${actionId} does not exist`);
        if (action.kind === 'undo') throw new StudioError('invalid-input', `action ${actionId} is itself an undo`);
        if (action.undone) throw new StudioError('invalid-input', `action ${actionId} was already undone`);
        target = actionId;
      }
      const undoId = this.createAction('undo', annotator, { reverts: target });
      const at = new Date().toISOString();
      let reverted = 0;
      let skipped = 0;
      for (const event of this.actionEventsStmt.all(target)) {
        if (this.liveLaterStmt.get(event.item_id, event.id)!.n > 0) {
          skipped++;
          continue;
        }
        const previous = this.previousStmt.get(event.item_id, event.id)?.label ?? null;
        this.append(event.item_id, undoId, previous, annotator, 'undo', at);
        reverted++;
      }
      return { undoneActionId: target, reverted, skipped };
    }).immediate();
  }

  history(itemId: number): LabelEventRow[] {
    return this.historyStmt.all(itemId).map((e) => ({
      id: e.id,
      itemId: e.item_id,
      label: e.label,
      annotator: e.annotator,
      origin: e.origin,
      createdAt: e.created_at,
      actionId: e.action_id,
    }));
  }
}
