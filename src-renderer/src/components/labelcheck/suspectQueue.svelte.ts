/**
 * The queue of the newest finished label check: one suspect at a time (the cursor), the few after
 * it, and the review actions taken from it. Reviewed suspects leave the queue (unless the analyst
 * shows them), so after a relabel or a confirm the cursor stays put and the next one moves up.
 * Every action re-reads the queue: the handler decides what counts as reviewed.
 */
import type { SuspectPage, SuspectRow } from '@common/labelCheck';
import { call, errorMessage, StudioCallError } from '../../lib/studio';

/** Suspects listed after the current one. */
export const upcomingCount = 8;

export type QueueResult =
  | { kind: 'relabelled'; itemId: number; label: string }
  | { kind: 'confirmed'; itemId: number; label: string }
  | { kind: 'undone'; itemId: number }
  | { kind: 'nothing-to-undo' }
  | { kind: 'moved' };

export class SuspectQueue {
  /** The page that starts at the cursor. Replaced whole on every read. */
  page = $state.raw<SuspectPage | null>(null);
  /** Suspects not reviewed yet (the queue's length when reviewed ones are hidden). */
  remaining = $state<number | null>(null);
  /** Position of the current suspect in the queue (0-based). */
  cursor = $state(0);
  showReviewed = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);
  /** No label check has finished yet. */
  missing = $state(false);
  canUndo = $state(false);
  /** This screen's own label actions, newest last, with where the cursor was. */
  private undoStack: { actionId: number; itemId: number; cursor: number }[] = [];
  /** Only the newest read may land. */
  private generation = 0;

  current = $derived<SuspectRow | null>(this.page?.rows[0] ?? null);
  upcoming = $derived<SuspectRow[]>(this.page?.rows.slice(1) ?? []);
  reviewed = $derived(this.page && this.remaining !== null ? this.page.flagged - this.remaining : null);

  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    try {
      const page = await call('labels:suspects', { hideReviewed: !this.showReviewed, offset: this.cursor, limit: 1 + upcomingCount });
      // Showing reviewed ones too, the queue's length no longer says how many are left.
      const remaining = this.showReviewed ? (await call('labels:suspects', { runId: page.runId, hideReviewed: true, limit: 1 })).total : page.total;
      if (generation !== this.generation) return;
      this.page = page;
      this.remaining = remaining;
      this.missing = false;
      this.error = null;
    } catch (error) {
      if (generation !== this.generation) return;
      this.page = null;
      this.remaining = null;
      this.missing = error instanceof StudioCallError && error.code === 'not-found';
      this.error = this.missing ? null : errorMessage(error);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  /** A new check finished: its queue from the top. */
  async restart(): Promise<void> {
    this.cursor = 0;
    await this.load();
  }

  async move(step: number): Promise<QueueResult> {
    const total = this.page?.total ?? 0;
    this.cursor = Math.max(0, Math.min(this.cursor + step, total));
    await this.load();
    return { kind: 'moved' };
  }

  async setShowReviewed(show: boolean): Promise<void> {
    this.showReviewed = show;
    await this.restart();
  }

  /** The given label chosen again means "the label is right". */
  async relabel(row: SuspectRow, label: string): Promise<QueueResult> {
    if (label === (row.currentLabel ?? row.given)) return this.confirm(row);
    const result = await call('labels:set', { itemIds: [row.itemId], label, origin: 'review' });
    this.reviewedOne(result.actionId, row.itemId);
    await this.load();
    return { kind: 'relabelled', itemId: row.itemId, label };
  }

  async confirm(row: SuspectRow): Promise<QueueResult> {
    const result = await call('labels:confirm', { itemIds: [row.itemId] });
    this.reviewedOne(result.actionId, row.itemId);
    await this.load();
    return { kind: 'confirmed', itemId: row.itemId, label: row.currentLabel ?? row.given };
  }

  /** Takes back this screen's last review and shows that suspect again, where it was. */
  async undo(): Promise<QueueResult> {
    const last = this.undoStack.pop();
    this.canUndo = this.undoStack.length > 0;
    if (!last) return { kind: 'nothing-to-undo' };
    await call('labels:undo', { actionId: last.actionId });
    this.cursor = last.cursor;
    await this.load();
    return { kind: 'undone', itemId: last.itemId };
  }

  private reviewedOne(actionId: number, itemId: number): void {
    this.undoStack.push({ actionId, itemId, cursor: this.cursor });
    this.canUndo = true;
    // A reviewed suspect stays in a queue that shows them: step past it.
    if (this.showReviewed) this.cursor++;
  }
}
