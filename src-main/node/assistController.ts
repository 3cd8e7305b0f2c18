/**
 * The labelling assistant (common/assist.ts) for the handler map. Label writes tell it how many
 * new labels there are; after `every` of them it trains the fast preset with the NBSVM baseline
 * alongside (one ordinary run pair in the trainer process, so labelling goes on), scores the
 * unlabelled items with whichever did better on validation, replaces the suggestions and, when
 * the analyst asked for it, labels the surest ones itself (origin 'model').
 *
 * It never competes with the analyst: it waits while a run, a study or an import holds the
 * trainer, and a Train ▸ Start, an import or closing the project stops it (`stop`).
 */
import { BASELINE_RUN_KIND } from '../common/baseline';
import { assistMinimumPerLabel, assistSettingsSchema, type AssistChoice, type AssistSettings, type AssistStatus } from '../common/assist';
import { StudioError, toErrorData } from '../common/errors';
import type { EventMap, EventName } from '../common/contract';
import type { Project } from './db/project';
import { Runs, type RunRecord } from './db/runs';
import { lastPrelabelRefresh, replacePrelabels } from './predict/prelabels';
import type { PredictService } from './predict/predictService';
import type { TrainingController } from './trainingController';

const settingsKey = 'assist.settings';
/** The newest label event when the last refresh began: labels after it are "new". */
const markKey = 'assist.sinceEventId';
/** The last refresh: which model it chose and what it labelled itself (survives a restart). */
const lastKey = 'assist.last';

/**
 * Labels people gave (not imports, undos or the assistant's own) after an event id, up to a limit.
 * Its condition is migration 8's partial index, word for word: otherwise the count walks every
 * event since the mark, imported ones too.
 */
export const peopleLabelsSinceSql =
  "SELECT COUNT(*) AS n FROM (SELECT 1 FROM label_events WHERE id > ? AND label IS NOT NULL AND origin IN ('manual','bulk','review','model-accepted') LIMIT ?)";

export interface AssistDeps {
  training: TrainingController;
  predictions: PredictService;
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  /** A study, an import or anything else that must not share the trainer right now. */
  otherWork: () => string | null;
  annotator: () => string;
}

interface LastRefresh {
  choice: AssistChoice;
  autoAccepted: number;
  autoAcceptedActions: number[];
}

function backgroundSource(runId: number): string {
  return `run ${runId} (background)`;
}

function stopped(): StudioError {
  return new StudioError('cancelled', 'The background refresh was stopped; the suggestions are unchanged.');
}

function validationAccuracy(runs: Runs, run: RunRecord): number | null {
  if (run.kind === BASELINE_RUN_KIND) {
    const details = run.metrics?.baseline;
    return details?.search.find((p) => p.C === details.chosenC)?.validationAccuracy ?? null;
  }
  const best = runs.epochs(run.id).find((e) => e.epoch === run.metrics?.bestEpoch);
  return best?.valAccuracy ?? null;
}

export class AssistController {
  private state: AssistStatus['state'] = 'idle';
  private runId: number | null = null;
  private scored: AssistStatus['scored'] = null;
  private error: string | null = null;
  private refreshing: { project: Project; finished: Promise<void>; cancelled: boolean } | null = null;

  constructor(private readonly deps: AssistDeps) {}

  settings(project: Project): AssistSettings {
    const raw = project.meta.get(settingsKey);
    const parsed = assistSettingsSchema.safeParse(raw === null ? {} : JSON.parse(raw));
    // A settings row from a newer or broken build falls back to the defaults rather than failing.
    return parsed.success ? parsed.data : assistSettingsSchema.parse({});
  }

  configure(project: Project, change: Partial<AssistSettings>): AssistStatus {
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
    const next = assistSettingsSchema.parse({ ...this.settings(project), ...defined });
    project.meta.set(settingsKey, JSON.stringify(next));
    const status = this.status(project);
    this.deps.emit('assist:updated', status);
    this.afterLabels(project); // a lower `every` may be due already
    return status;
  }

  status(project: Project): AssistStatus {
    const prelabels = lastPrelabelRefresh(project);
    const stored = project.meta.get(lastKey);
    const last = stored === null ? null : (JSON.parse(stored) as LastRefresh);
    // Suggestions replaced since (Predict, or a refresh from the current model) are not the assistant's.
    const current = last !== null && prelabels.source === backgroundSource(last.choice.runId) ? last : null;
    const reverted = project.db.prepare<[number], { id: number }>('SELECT id FROM label_actions WHERE reverts = ? LIMIT 1');
    const actions = (last?.autoAcceptedActions ?? []).filter((id) => !reverted.get(id));
    return {
      settings: this.settings(project),
      state: this.refreshing && this.refreshing.project !== project ? 'idle' : this.state,
      runId: this.runId,
      scored: this.scored,
      labelsSinceRefresh: this.labelsSince(project),
      refreshedAt: prelabels.at,
      choice: current?.choice ?? null,
      // Undone (all of them): the labels are gone, so is the count.
      autoAccepted: actions.length > 0 ? last!.autoAccepted : 0,
      autoAcceptedActions: actions,
      error: this.error,
    };
  }

  /**
   * Counted up to `every`, all the next refresh needs: a team that bulk-labelled 100,000 reviews
   * with no refresh since (one label only, so none can start) counted them all on every key press.
   */
  private labelsSince(project: Project, every = this.settings(project).every): number {
    const mark = Number(project.meta.get(markKey) ?? 0);
    return project.db.prepare<[number, number], { n: number }>(peopleLabelsSinceSql).get(mark, every)!.n;
  }

  get running(): boolean {
    return this.refreshing !== null;
  }

  /** After a label write: starts a refresh when one is due and the trainer is free. */
  afterLabels(project: Project): void {
    if (this.refreshing || project.readOnly) return;
    const settings = this.settings(project);
    if (!settings.auto || this.labelsSince(project, settings.every) < settings.every) return;
    if (this.deps.training.running || this.deps.otherWork() !== null) return; // checked again at the next label
    if (!this.enoughLabels(project)) return;
    void this.refresh(project).catch(() => {}); // its outcome is in the status and the event
  }

  private enoughLabels(project: Project): boolean {
    // From the counts triggers keep (a handful of rows): grouping every current label took 289 ms at a million.
    const counts = project.db.prepare<[], { n: number }>('SELECT sum(n) AS n FROM label_counts GROUP BY label HAVING sum(n) > 0').all();
    return counts.length >= 2 && counts.every((c) => c.n >= assistMinimumPerLabel);
  }

  /** Refresh now: retrain, re-score, replace the suggestions. Resolves with the status when it has started. */
  async start(project: Project): Promise<AssistStatus> {
    if (project.readOnly) throw new StudioError('read-only', 'This project is open read-only; suggestions cannot be refreshed.');
    if (this.refreshing) throw new StudioError('busy', 'The suggestions are being refreshed already.');
    const other = this.deps.otherWork();
    if (other !== null) throw new StudioError('busy', `${other}; refresh the suggestions when it has finished.`);
    if (this.deps.training.running) throw new StudioError('busy', 'A model is training; refresh the suggestions when it has finished.');
    if (!this.enoughLabels(project)) {
      throw new StudioError('invalid-input', `Label at least ${assistMinimumPerLabel} reviews of each of two labels before the assistant can suggest.`);
    }
    void this.refresh(project).catch(() => {});
    return this.status(project);
  }

  private async refresh(project: Project): Promise<void> {
    const run = { project, cancelled: false, finished: Promise.resolve() };
    let resolveFinished!: () => void;
    run.finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    this.refreshing = run;
    this.error = null;
    const emit = () => this.deps.emit('assist:updated', this.status(project));
    try {
      const mark = project.db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM label_events').get()!.id ?? 0;
      project.meta.set(markKey, String(mark));
      this.state = 'training';
      const launched = await this.deps.training.launch(project, { preset: 'fast', overrides: {}, baseline: true });
      this.runId = launched.runId;
      emit();
      await launched.finished;
      if (run.cancelled) throw stopped();
      const choice = this.choose(project, launched.runId);
      this.state = 'scoring';
      this.scored = { done: 0, total: 0 };
      emit();
      const scored = await this.deps.predictions.score({ projectPath: project.path, runId: choice.runId }, (p) => {
        this.scored = { done: p.rows, total: p.totalBytes ?? p.rows };
        emit();
      });
      if (run.cancelled) throw stopped();
      // Stopped meanwhile (project closed or switched, a training or an import started): the rows
      // written so far each name their model; the next refresh replaces them.
      await replacePrelabels(project, scored, backgroundSource(choice.runId), { stillOpen: () => !run.cancelled && project.db.open });
      const threshold = this.settings(project).autoAcceptAbove;
      const accepted = threshold === null ? { labelled: 0, actions: [] } : this.acceptSurest(project, threshold);
      const last: LastRefresh = { choice, autoAccepted: accepted.labelled, autoAcceptedActions: accepted.actions };
      project.meta.set(lastKey, JSON.stringify(last));
      this.state = 'idle';
      this.deps.emit('project:changed', project.summary());
    } catch (error) {
      // Stopped on purpose: nothing failed, the old suggestions stand.
      this.state = run.cancelled ? 'idle' : 'failed';
      this.error = run.cancelled ? null : toErrorData(error).message;
      throw error;
    } finally {
      this.runId = null;
      this.scored = null;
      this.refreshing = null;
      resolveFinished();
      if (project.db.open) emit();
    }
  }

  /** The fast run or its baseline, whichever is more accurate on validation (done runs only). */
  private choose(project: Project, runId: number): AssistChoice {
    const runs = new Runs(project.db);
    const recurrent = runs.get(runId);
    const baseline = runs.baselineFor(recurrent.snapshotHash);
    const candidates = [recurrent, baseline]
      .filter((r): r is RunRecord => r !== null && r.status === 'done')
      .map((r) => ({ runId: r.id, model: r.kind === BASELINE_RUN_KIND ? ('baseline' as const) : ('recurrent' as const), validationAccuracy: validationAccuracy(runs, r) }));
    if (candidates.length === 0) throw new StudioError('internal', recurrent.error ?? `Background run ${runId} did not finish.`);
    candidates.sort((a, b) => (b.validationAccuracy ?? -1) - (a.validationAccuracy ?? -1));
    const [best, other] = candidates;
    return { ...best!, other: other ?? null };
  }

  /** Labels every still-unlabelled item whose suggestion is at least `threshold` sure; one action per label. */
  private acceptSurest(project: Project, threshold: number): { labelled: number; actions: number[] } {
    const rows = project.db
      .prepare<[number], { itemId: number; label: string }>(
        `SELECT p.item_id AS itemId, p.label FROM prelabels p LEFT JOIN latest_label_event l ON l.item_id = p.item_id
         LEFT JOIN label_events e ON e.id = l.event_id WHERE e.label IS NULL AND p.confidence >= ? ORDER BY p.item_id`,
      )
      .all(threshold);
    const byLabel = new Map<string, number[]>();
    for (const r of rows) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r.itemId]);
    return project.db.transaction(() => {
      let labelled = 0;
      const actions: number[] = [];
      for (const [label, ids] of byLabel) {
        const result = project.setLabels(ids, label, 'model', this.deps.annotator());
        labelled += result.changed;
        actions.push(result.actionId);
      }
      return { labelled, actions };
    })();
  }

  /**
   * Stops a refresh in progress and waits for it to end: a training the analyst starts comes
   * first, and a project being closed or switched takes its refresh with it. The suggestions
   * stay as they were.
   */
  async stop(): Promise<void> {
    const run = this.refreshing;
    if (!run) return;
    run.cancelled = true;
    if (this.state === 'training') this.deps.training.cancel();
    else if (this.state === 'scoring') this.deps.predictions.cancel();
    await run.finished;
  }
}
