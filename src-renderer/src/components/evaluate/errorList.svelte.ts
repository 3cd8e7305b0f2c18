/**
 * The error list of one run: its filters, the pages loaded so far, the row the keyboard is on,
 * and the review actions taken from it (relabel, "label is right", undo). A run's predictions
 * never change, so after an action only the rows' review state is re-read.
 */
import type { PredictionQuery, PredictionRow, PredictionSort } from '@common/evaluation';
import { call, errorMessage } from '../../lib/studio';

export type Outcome = 'wrong' | 'right' | 'all';

export interface ErrorFilters {
  truth: string | null;
  predicted: string | null;
  outcome: Outcome;
  search: string;
  minTokens: number | null;
  maxTokens: number | null;
  sort: PredictionSort;
}

export const defaultFilters = (): ErrorFilters => ({
  truth: null,
  predicted: null,
  outcome: 'wrong',
  search: '',
  minTokens: null,
  maxTokens: null,
  // The most confident mistakes are the likeliest label errors, and the most telling model errors.
  sort: 'confidence-desc',
});

export const pageSize = 50;
/** The handler's page limit: re-reading more loaded rows takes several requests. */
const maxPage = 500;

export type ReviewResult =
  | { kind: 'relabelled'; itemId: number; label: string }
  | { kind: 'unchanged'; itemId: number; label: string }
  | { kind: 'confirmed'; itemId: number; label: string }
  | { kind: 'undone'; itemId: number }
  | { kind: 'nothing-to-undo' };

export class ErrorList {
  runId = $state<number | null>(null);
  filters = $state<ErrorFilters>(defaultFilters());
  /** Replaced whole on every load, never edited in place. */
  rows = $state.raw<PredictionRow[]>([]);
  total = $state<number | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** The row the keyboard acts on. */
  active = $state(0);
  /** This screen's own label actions, newest last, for undo. */
  private undoStack: { actionId: number; itemId: number }[] = [];
  /** Only the newest request may land: filters can change faster than answers come back. */
  private generation = 0;

  canUndo = $state(false);
  activeRow = $derived<PredictionRow | null>(this.rows[this.active] ?? null);

  private query(offset: number, limit: number): PredictionQuery {
    const f = this.filters;
    return {
      runId: this.runId!,
      outcome: f.outcome,
      sort: f.sort,
      search: f.search.trim(),
      offset,
      limit,
      ...(f.truth ? { truth: f.truth } : {}),
      ...(f.predicted ? { predicted: f.predicted } : {}),
      ...(f.minTokens !== null ? { minTokens: f.minTokens } : {}),
      ...(f.maxTokens !== null ? { maxTokens: f.maxTokens } : {}),
    };
  }

  /** Starts over from the first page (another run, or other filters). */
  async reload(): Promise<void> {
    if (this.runId === null) return;
    const generation = ++this.generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await call('runs:predictions', this.query(0, pageSize));
      if (generation !== this.generation) return;
      this.rows = page.rows;
      this.total = page.total;
      this.active = 0;
    } catch (error) {
      if (generation === this.generation) {
        this.error = errorMessage(error);
        this.rows = [];
        this.total = null;
      }
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (this.runId === null || this.loading || this.total === null || this.rows.length >= this.total) return;
    const generation = this.generation;
    this.loading = true;
    try {
      const page = await call('runs:predictions', this.query(this.rows.length, pageSize));
      if (generation !== this.generation) return;
      this.rows = [...this.rows, ...page.rows];
      this.total = page.total;
    } catch (error) {
      if (generation === this.generation) this.error = errorMessage(error);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  /**
   * Re-reads the loaded rows in place (their current label and review state), keeping the
   * keyboard's row: after a relabel the list must not jump.
   */
  async refresh(): Promise<void> {
    if (this.runId === null || this.rows.length === 0) return;
    const generation = this.generation;
    const wanted = this.rows.length;
    try {
      const rows: PredictionRow[] = [];
      let total = this.total;
      while (rows.length < wanted) {
        const page = await call('runs:predictions', this.query(rows.length, Math.min(maxPage, wanted - rows.length)));
        total = page.total;
        rows.push(...page.rows);
        if (page.rows.length === 0) break;
      }
      if (generation !== this.generation) return;
      this.rows = rows;
      this.total = total;
      this.active = Math.min(this.active, Math.max(0, rows.length - 1));
    } catch (error) {
      if (generation === this.generation) this.error = errorMessage(error);
    }
  }

  move(step: number): void {
    if (this.rows.length === 0) return;
    this.active = Math.min(Math.max(this.active + step, 0), this.rows.length - 1);
  }

  async relabel(row: PredictionRow, label: string): Promise<ReviewResult> {
    const result = await call('labels:set', { itemIds: [row.itemId], label, origin: 'review' });
    if (result.changed === 0) return { kind: 'unchanged', itemId: row.itemId, label };
    this.remember(result.actionId, row.itemId);
    return { kind: 'relabelled', itemId: row.itemId, label };
  }

  async confirm(row: PredictionRow): Promise<ReviewResult> {
    const result = await call('labels:confirm', { itemIds: [row.itemId] });
    this.remember(result.actionId, row.itemId);
    return { kind: 'confirmed', itemId: row.itemId, label: row.currentLabel ?? row.gold };
  }

  async undo(): Promise<ReviewResult> {
    const last = this.undoStack.pop();
    this.canUndo = this.undoStack.length > 0;
    if (!last) return { kind: 'nothing-to-undo' };
    await call('labels:undo', { actionId: last.actionId });
    return { kind: 'undone', itemId: last.itemId };
  }

  /** Another run: its own list. Undo stays: the label actions belong to the project, not the run. */
  reset(runId: number | null): void {
    this.runId = runId;
    this.rows = [];
    this.total = null;
    this.active = 0;
    this.error = null;
  }

  private remember(actionId: number, itemId: number): void {
    this.undoStack.push({ actionId, itemId });
    this.canUndo = true;
  }
}
