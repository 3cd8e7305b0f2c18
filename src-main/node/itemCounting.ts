/**
 * Counting the items that match a filter without holding the main process. A count of a common
 * word walks every match (the trigram index has no counts): "the" over 2,000,000 items took
 * 95 ms in one statement, and a phrase of common words ("one of the best") 50 ms at a million
 * for 4,373 matches. So `items:list` shows the first review or page without a count, and
 * `items:count` counts in id slices of a few milliseconds with the event loop free between them:
 * a label or "next" sent meanwhile waits one slice, not the whole count.
 */
import type { ItemFilter } from './db/itemList';
import type { Project } from './db/project';

export interface ItemCountingOptions {
  /** Milliseconds of counting per slice; the id range of the next slice is sized to it. */
  sliceMs?: number;
  /** Wait between slices, leaving the event loop to requests (a timer, so Electron's own IPC tasks run too). */
  pause?: () => Promise<void>;
}

/** The first slice's id range, small so its cost is mostly the fixed part (below); later ones are sized by it. */
const firstWidth = 1024;
/** A slice's range grows at most this much over the last one's, so a guess too low costs few extra slices. */
const maxGrowth = 4;

export interface CountRequest {
  /** Count at most this many. */
  max?: number;
  /** A newer count in the same slot replaces this one while it runs. */
  slot?: string;
}

export class ItemCounting {
  private tickets = 0;
  /** Each slot's latest count. */
  private readonly latest = new Map<string, number>();
  private readonly sliceMs: number;
  private readonly pause: () => Promise<void>;

  constructor(options: ItemCountingOptions = {}) {
    this.sliceMs = options.sliceMs ?? 6;
    this.pause = options.pause ?? (() => new Promise((resolve) => setTimeout(resolve, 0)));
  }

  /**
   * Matches of `filter`, at most `max`. `null` when a newer count in its slot started meanwhile
   * (the screen asking has moved on to another search) or the project was closed or replaced.
   */
  async count(project: Project, current: () => Project | null, filter: ItemFilter, { max, slot }: CountRequest = {}): Promise<number | null> {
    const ticket = ++this.tickets;
    if (slot !== undefined) this.latest.set(slot, ticket);
    const replaced = () => (slot !== undefined && this.latest.get(slot) !== ticket) || current() !== project;
    try {
      return await this.slices(project, filter, max, replaced);
    } finally {
      // Slots are named by the renderer: forget finished ones rather than keep every name ever sent.
      if (slot !== undefined && this.latest.get(slot) === ticket) this.latest.delete(slot);
    }
  }

  private async slices(project: Project, filter: ItemFilter, max: number | undefined, replaced: () => boolean): Promise<number | null> {
    const { counting } = project;
    const kept = counting.keptCount(filter);
    if (kept !== null) return max === undefined ? kept : Math.min(kept, max);
    const last = counting.lastId();
    let total = 0;
    let after = 0;
    let width = firstWidth;
    // Every slice costs a fixed part (the index seeks each trigram of the search once per query:
    // 4 ms for "sommelier" over 100 ids or over a million) and a part that grows with its range.
    // The cheapest slice yet stands for the fixed part; the rest of the budget sizes the range.
    let fixedMs = Infinity;
    while (after < last) {
      if (after > 0) {
        await this.pause();
        if (replaced()) return null;
      }
      const upto = Math.min(last, after + width);
      const started = performance.now();
      total += counting.countRange(filter, after, upto, max === undefined ? undefined : max - total);
      const ms = performance.now() - started;
      after = upto;
      if (max !== undefined && total >= max) break;
      fixedMs = Math.min(fixedMs, ms);
      // A fixed part near the budget would shrink every range to nothing: allow twice the fixed part then.
      const spare = Math.max(this.sliceMs, 2 * fixedMs) - fixedMs;
      // Matches are uneven along the ids (an import of one kind of review): each slice is sized by the last.
      const factor = Math.min(maxGrowth, Math.max(1 / maxGrowth, spare / Math.max(ms - fixedMs, 0.01)));
      width = Math.max(firstWidth, Math.round(width * factor));
    }
    return total;
  }
}
