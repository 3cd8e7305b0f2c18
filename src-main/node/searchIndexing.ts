/**
 * Fills the search index in the background, in slices short enough that a key press arriving
 * meanwhile waits at most one slice. Searches are complete before it finishes (they scan what
 * is not indexed yet), only slower; after a 200,000-review import this runs for about a minute.
 */
import type { Project } from './db/project';

export interface SearchIndexingOptions {
  /** Milliseconds of indexing per slice. */
  sliceMs?: number;
  /** Pause between slices, leaving the event loop to requests. */
  pauseMs?: number;
  /** How soon to look again when the project is in someone else's transaction. */
  retryMs?: number;
  /** Called with the error when a slice fails (the index stays as it was; searches still work). */
  onError?: (error: unknown) => void;
}

export class SearchIndexing {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly sliceMs: number;
  private readonly pauseMs: number;
  private readonly retryMs: number;

  /**
   * `target` is the project to index now, or null while there is none or it must not be written;
   * null stops indexing until the next `kick()`, so whoever makes it null kicks when that ends.
   */
  constructor(
    private readonly target: () => Project | null,
    private readonly options: SearchIndexingOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 20;
    this.pauseMs = options.pauseMs ?? 5;
    this.retryMs = options.retryMs ?? 250;
  }

  /** Starts (or keeps) indexing whatever the target project has not indexed yet. */
  kick(): void {
    if (this.timer === null) this.schedule(0);
  }

  get running(): boolean {
    return this.timer !== null;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.slice(), ms);
    // The CLI must be able to exit with items left: the app indexes them on the next open.
    this.timer.unref?.();
  }

  private slice(): void {
    this.timer = null;
    const project = this.target();
    if (!project || project.readOnly) return;
    // An import keeps a transaction open across awaits: writing now would join it. It ends, though,
    // committed or not, and nothing may be left unindexed for the session.
    if (project.db.inTransaction) {
      this.schedule(this.retryMs);
      return;
    }
    let done: boolean;
    try {
      done = project.searchIndex.indexFor(this.sliceMs);
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    if (!done) this.schedule(this.pauseMs);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
