/**
 * One annotating session: the queue being worked through, the trail of reviews seen (so "back"
 * returns to the review just labelled even when it has left the unlabelled queue), this
 * session's own label actions for undo, and the label times behind "labels per minute".
 * Every label is written by labels:set before the screen moves on; nothing waits in memory.
 */
import type { ItemRow, LabelOrigin, RequestOf } from '@common/contract';
import { call, errorMessage } from '../../lib/studio';

/** One review at a time, or the list with bulk labelling. */
export type Mode = 'single' | 'list';

/** 'useful': unlabelled reviews whose model suggestion is least sure, near-duplicates spread out. */
export type Queue = { kind: 'unlabelled' } | { kind: 'all' } | { kind: 'label'; label: string } | { kind: 'useful' };

/** What the useful queue knows about the suggestions behind it. */
export interface Suggestions {
  scored: number;
  source: string | null;
  refreshedAt: string | null;
}

/** The useful queue is fetched a page at a time; the next page leaves out every review seen. */
const usefulPageSize = 20;
/** The contract's cap on `exclude`; a longer session forgets its oldest skips. */
const maxExcluded = 5000;
/** After a refresh, the unlabelled reviews of the trail nearest the one on screen are re-read; the rest keep their old suggestion. */
const maxRereadOnRefresh = 20;

export interface UndoEntry {
  actionId: number;
  /** Each item's label before the action. */
  previous: Map<number, string | null>;
}

export type Status =
  | { kind: 'labelled'; label: string }
  | { kind: 'unchanged'; label: string }
  | { kind: 'accepted'; label: string }
  | { kind: 'bulk'; label: string | null; count: number }
  | { kind: 'undone'; itemId: number; count: number }
  | { kind: 'nothing-to-undo' };

type Filter = Pick<RequestOf<'items:list'>, 'label' | 'search'>;

/** Matches of a search are counted up to here; more reads "10,000+" (a full count of a common word is slow). */
export const matchesCounted = 10_000;

export class AnnotateSession {
  queue = $state<Queue>({ kind: 'unlabelled' });
  search = $state('');
  trail = $state<ItemRow[]>([]);
  position = $state(-1);
  /** The queue has nothing after the last review of the trail. */
  atEnd = $state(false);
  /** Matches of the search in this queue (null without a search, and until they are counted). */
  matches = $state<number | null>(null);
  /** A search's matches are being counted; its first match is on screen already. */
  counting = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);
  status = $state<Status | null>(null);
  labelTimes = $state<number[]>([]);
  /** Set while the useful queue is open: how many reviews carry suggestions, from which model. */
  suggestions = $state<Suggestions | null>(null);
  /** The useful queue's fetched reviews not yet shown. */
  private upcoming: ItemRow[] = [];
  /** Reviews the useful queue has shown in this session, labelled or skipped: not offered again. */
  private seen = new Set<number>();
  private undoStack: UndoEntry[] = [];
  /** Requests answer in order of issue; a stale answer (queue changed meanwhile) is dropped. */
  private generation = 0;

  current = $derived<ItemRow | null>(this.trail[this.position] ?? null);
  /** A model's pre-label counts only while the review is unlabelled: a label, once given, wins. */
  suggestion = $derived(this.current && this.current.label === null ? this.current.prelabel : null);

  filter(): Filter {
    const filter: Filter = {};
    if (this.queue.kind === 'unlabelled' || this.queue.kind === 'useful') filter.label = 'unlabelled';
    if (this.queue.kind === 'label') filter.label = this.queue.label;
    // The useful queue ranks by the model alone: the search box is off there.
    if (this.search.trim() && this.queue.kind !== 'useful') filter.search = this.search.trim();
    return filter;
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.error = null;
    try {
      return await work();
    } catch (error) {
      this.error = errorMessage(error);
      return undefined;
    }
  }

  /** Starts the queue over from its first review (after a queue or search change). */
  async restart(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.counting = false;
    this.matches = null;
    this.upcoming = [];
    if (this.queue.kind !== 'useful') this.suggestions = null;
    await this.guarded(async () => {
      if (this.queue.kind === 'useful') {
        this.trail = [];
        this.position = -1;
        const next = await this.nextUseful(generation);
        if (generation !== this.generation) return;
        if (next) {
          this.trail = [next];
          this.position = 0;
        }
        this.atEnd = !next;
        return;
      }
      const filter = this.filter();
      const page = await call('items:list', { ...filter, limit: 1, withTotal: false });
      if (generation !== this.generation) return;
      this.trail = page.items;
      this.position = page.items.length ? 0 : -1;
      this.atEnd = page.items.length === 0;
      if (filter.search !== undefined) void this.countMatches(filter, generation);
    });
    if (generation === this.generation) this.loading = false;
  }

  /**
   * Counted after the first match is on screen: counting every match of a common word takes
   * longer than finding one, and labelling need not wait for it.
   */
  private async countMatches(filter: Filter, generation: number): Promise<void> {
    this.counting = true;
    try {
      const { total } = await call('items:count', { ...filter, maxTotal: matchesCounted + 1, slot: 'annotate-card' });
      if (generation === this.generation && total !== null) this.matches = total;
    } catch (error) {
      if (generation === this.generation) this.error = errorMessage(error);
    } finally {
      if (generation === this.generation) this.counting = false;
    }
  }

  /** The next review: further along the trail, else the queue's next after the last one seen. */
  async advance(): Promise<void> {
    if (this.position < this.trail.length - 1) {
      this.position++;
      return;
    }
    const last = this.trail.at(-1);
    if (!last) return this.restart();
    const generation = this.generation;
    await this.guarded(async () => {
      const next =
        this.queue.kind === 'useful'
          ? await this.nextUseful(generation)
          : (await call('items:list', { ...this.filter(), after: last.id, limit: 1, withTotal: false })).items[0];
      if (generation !== this.generation) return;
      if (next) {
        this.trail.push(next);
        this.position = this.trail.length - 1;
        this.atEnd = false;
      } else {
        this.atEnd = true;
        this.position = this.trail.length;
      }
    });
  }

  async back(): Promise<void> {
    if (this.position > 0) {
      this.position = Math.min(this.position, this.trail.length) - 1;
      return;
    }
    const first = this.trail[0];
    // The useful queue has no order to go back in beyond the reviews this session has shown.
    if (!first || this.queue.kind === 'useful') return;
    const generation = this.generation;
    await this.guarded(async () => {
      const page = await call('items:list', { ...this.filter(), before: first.id, limit: 1, withTotal: false });
      if (generation !== this.generation || !page.items[0]) return;
      this.trail.unshift(page.items[0]);
      this.position = 0;
    });
  }

  /**
   * The useful queue's next review: from the page fetched, else a fresh page that leaves out every
   * review already shown or skipped in this session (the ranking changes as labels arrive).
   */
  private async nextUseful(generation: number): Promise<ItemRow | null> {
    if (this.upcoming.length === 0) {
      const exclude = [...this.seen].slice(-maxExcluded);
      const page = await call('items:useful', { limit: usefulPageSize, exclude });
      if (generation !== this.generation) return null;
      this.upcoming = page.items;
      this.suggestions = { scored: page.scored, source: page.source, refreshedAt: page.refreshedAt };
    }
    const next = this.upcoming.shift() ?? null;
    if (next) this.seen.add(next.id);
    return next;
  }

  /**
   * The suggestions were replaced (a background refresh): the review on screen stays where it is,
   * with its suggestion (or the assistant's label) re-read in place, and the useful queue ranks
   * what comes next anew. Only reviews of the trail still unlabelled can have changed.
   */
  async suggestionsChanged(): Promise<void> {
    const current = this.current;
    if (!current) return this.restart();
    const generation = this.generation;
    this.upcoming = [];
    const nearby = this.trail
      .map((item, index) => ({ item, distance: Math.abs(index - this.position) }))
      .filter(({ item }) => item.label === null)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, maxRereadOnRefresh)
      .map(({ item }) => item.id);
    await this.guarded(async () => {
      // `before: id + 1` with no filter is exactly that review, whatever queue it was found in.
      const fresh = await Promise.all(nearby.map((id) => call('items:list', { before: id + 1, limit: 1, withTotal: false })));
      const page = this.queue.kind === 'useful' ? await call('items:useful', { limit: usefulPageSize, exclude: [...this.seen].slice(-maxExcluded) }) : null;
      if (generation !== this.generation) return;
      for (const row of fresh.flatMap((p) => p.items)) {
        const at = this.trail.findIndex((i) => i.id === row.id);
        if (at >= 0) this.trail[at] = row;
      }
      if (page) {
        this.upcoming = page.items;
        this.suggestions = { scored: page.scored, source: page.source, refreshedAt: page.refreshedAt };
      }
    });
  }

  /** Takes the model's suggestion for the current review as its label; false when there is none. */
  async accept(): Promise<boolean> {
    const suggestion = this.suggestion;
    if (!suggestion) return false;
    await this.label(suggestion.label, 'model-accepted');
    return true;
  }

  /** Labels the current review (written at once), then moves on. */
  async label(label: string, origin: 'manual' | 'model-accepted' = 'manual'): Promise<void> {
    const item = this.current;
    if (!item) return;
    const done = await this.guarded(async () => {
      const result = await call('labels:set', { itemIds: [item.id], label, origin });
      if (result.changed > 0) {
        this.undoStack.push({ actionId: result.actionId, previous: new Map([[item.id, item.label]]) });
        this.labelTimes.push(Date.now());
        this.setLabel(item.id, label, origin);
        this.status = { kind: origin === 'model-accepted' ? 'accepted' : 'labelled', label };
      } else {
        this.status = { kind: 'unchanged', label };
      }
      return true;
    });
    if (done) await this.advance();
  }

  /** Records a bulk action from the list so Ctrl+Z undoes it like any other. */
  recordBulk(actionId: number, previous: Map<number, string | null>, label: string | null, count: number): void {
    this.undoStack.push({ actionId, previous });
    for (const id of previous.keys()) this.setLabel(id, label, 'bulk');
    this.status = { kind: 'bulk', label, count };
  }

  /** Undoes this session's newest action (never someone else's, never an import). */
  async undo(): Promise<boolean> {
    const entry = this.undoStack.at(-1);
    if (!entry) {
      this.status = { kind: 'nothing-to-undo' };
      return false;
    }
    const done = await this.guarded(async () => {
      await call('labels:undo', { actionId: entry.actionId });
      this.undoStack.pop();
      for (const [id, label] of entry.previous) this.setLabel(id, label, 'undo');
      if (entry.previous.size === 1) this.labelTimes.pop();
      const [first] = entry.previous.keys();
      const at = this.trail.findIndex((i) => i.id === first);
      if (entry.previous.size === 1 && at >= 0) this.position = at;
      this.status = { kind: 'undone', itemId: first!, count: entry.previous.size };
      return true;
    });
    return done === true;
  }

  /** The trail's copy of a review, as the project now has it (an undo is an event of its own, origin `undo`). */
  private setLabel(id: number, label: string | null, origin: LabelOrigin): void {
    const at = this.trail.findIndex((i) => i.id === id);
    if (at >= 0) this.trail[at] = { ...this.trail[at]!, label, origin: label === null ? null : origin };
  }
}
