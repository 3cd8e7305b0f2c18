/**
 * The Train screen's studies: the project's list, the one shown (running, just ended, or opened
 * from the list) and the calls that start, resume and delete them. Fed by `studies:updated`, so
 * the strip and the results follow every trial without polling.
 */
import type { StudyRequest, StudySummary } from '@common/studies';
import { call, errorMessage } from '../../lib/studio';
import { studyProgress } from './studyText';

export class StudySession {
  studies = $state<StudySummary[]>([]);
  /** The study on screen; null shows the setup. */
  shown = $state<StudySummary | null>(null);
  busy = $state(false);
  cancelling = $state(false);
  /** The last failed call, in the handler's words. */
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  readonly running = $derived(this.shown?.status === 'running');
  /** The run of the trial in progress, for the live monitor. */
  readonly currentRunId = $derived(this.shown ? (studyProgress(this.shown).current?.runId ?? null) : null);

  async load(): Promise<void> {
    try {
      this.studies = await call('studies:list', {});
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  /**
   * Events and call responses travel separately, so a response can arrive after an event that
   * is newer than it (trial 1 already queued, the response still saying "pending"): a response
   * is applied only when no event about its study has come since the call went out.
   */
  private clock = 0;
  private lastEvent = new Map<number, number>();

  /** `studies:updated`: a study started, a trial began or ended, or the study ended. */
  onEvent(summary: StudySummary): void {
    this.lastEvent.set(summary.id, ++this.clock);
    this.apply(summary);
  }

  /** A summary a call returned; `since` is `mark()` taken before the call. */
  onResponse(summary: StudySummary, since: number): void {
    if ((this.lastEvent.get(summary.id) ?? -1) <= since) this.apply(summary);
  }

  mark(): number {
    return this.clock;
  }

  private apply(summary: StudySummary): void {
    const known = this.studies.some((s) => s.id === summary.id);
    this.studies = known ? this.studies.map((s) => (s.id === summary.id ? summary : s)) : [summary, ...this.studies];
    // A running study is always the one shown: nothing else can train meanwhile.
    if (this.shown?.id === summary.id || summary.status === 'running') this.show(summary);
    if (summary.status !== 'running') this.cancelling = false;
  }

  show(study: StudySummary | null): void {
    this.shown = study;
    this.error = null;
    this.notice = null;
  }

  start(request: StudyRequest): Promise<boolean> {
    return this.attempt(async () => {
      const since = this.mark();
      this.onResponse(await call('studies:start', request), since);
    });
  }

  resume(study: StudySummary): Promise<boolean> {
    return this.attempt(async () => {
      const since = this.mark();
      this.onResponse(await call('studies:resume', { studyId: study.id }), since);
    });
  }

  async cancel(): Promise<void> {
    this.cancelling = true;
    try {
      await call('train:cancel', {});
    } catch (e) {
      this.cancelling = false;
      this.error = errorMessage(e);
    }
  }

  remove(study: StudySummary, deleteRuns: boolean, message: (runsDeleted: number) => string): Promise<boolean> {
    return this.attempt(async () => {
      const { runsDeleted } = await call('studies:delete', { studyId: study.id, deleteRuns });
      this.studies = this.studies.filter((s) => s.id !== study.id);
      if (this.shown?.id === study.id) this.shown = null;
      this.notice = message(runsDeleted);
    });
  }

  private async attempt(task: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    this.notice = null;
    try {
      await task();
      return true;
    } catch (e) {
      this.error = errorMessage(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
