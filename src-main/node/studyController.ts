/**
 * Runs a study's trials one after another through the training controller, so each trial is an
 * ordinary run with the usual live events. The study holds the training slot between trials:
 * nothing else may start a run until it ends or is cancelled.
 */
import { StudioError } from '../common/errors';
import type { EventMap, EventName } from '../common/contract';
import { planStudy, type StudyRequest, type StudySummary } from '../common/studies';
import type { Project } from './db/project';
import { Studies } from './db/studies';
import type { TrainingController } from './trainingController';

interface ActiveStudy {
  id: number;
  project: Project;
  /** Why it should stop: the analyst cancelled, or the app is closing (resumable either way). */
  stop: 'cancel' | 'quit' | null;
  done: Promise<void>;
}

export class StudyController {
  private active: ActiveStudy | null = null;

  constructor(
    private readonly training: TrainingController,
    private readonly emit: <E extends EventName>(event: E, payload: EventMap[E]) => void,
  ) {}

  get running(): boolean {
    return this.active !== null;
  }

  /** The study in progress, for a screen reattaching after a reload. */
  current(): StudySummary | null {
    return this.active ? new Studies(this.active.project.db).get(this.active.id) : null;
  }

  /** 'A study is running (trial 2 of 4)', for refusals elsewhere. */
  describe(): string {
    const study = this.current();
    if (!study) return '';
    const started = study.trials.filter((t) => t.status !== 'pending').length;
    return `A ${study.kind === 'search' ? 'hyperparameter search' : 'learning curve'} is running (trial ${started} of ${study.trials.length})`;
  }

  start(project: Project, request: StudyRequest): StudySummary {
    this.ensureIdle(project);
    // Every trial is checked before the first starts: a bad value fails now, not at trial 7.
    const plan = planStudy(request);
    const id = new Studies(project.db).create(request, plan);
    return this.launch(project, id);
  }

  resume(project: Project, id: number): StudySummary {
    this.ensureIdle(project);
    const studies = new Studies(project.db);
    const study = studies.get(id);
    if (study.status === 'done') throw new StudioError('invalid-input', `Study ${id} has finished: every trial has run.`);
    if (studies.pending(id).length === 0) throw new StudioError('invalid-input', `Study ${id} has no trials left to run.`);
    studies.setStatus(id, 'running');
    return this.launch(project, id);
  }

  cancel(): boolean {
    if (!this.active) return false;
    this.active.stop = 'cancel';
    this.training.cancel();
    return true;
  }

  /** The app is closing: the current trial is stopped and the study left resumable. */
  async dispose(): Promise<void> {
    if (!this.active) return;
    this.active.stop = 'quit';
    const { done } = this.active;
    await this.training.dispose();
    await done;
  }

  private ensureIdle(project: Project): void {
    if (project.readOnly) throw new StudioError('read-only', 'This project is open read-only; a study needs to record its runs.');
    if (this.active) throw new StudioError('busy', `${this.describe()}; cancel it or wait for it to finish.`);
    if (this.training.running) throw new StudioError('busy', 'A model is training; cancel it or wait for it to finish before starting a study.');
  }

  private launch(project: Project, id: number): StudySummary {
    const active: ActiveStudy = { id, project, stop: null, done: Promise.resolve() };
    this.active = active;
    active.done = this.runTrials(active).finally(() => {
      if (this.active === active) this.active = null;
    });
    const summary = new Studies(project.db).get(id);
    this.emit('studies:updated', summary);
    return summary;
  }

  private async runTrials(active: ActiveStudy): Promise<void> {
    const studies = new Studies(active.project.db);
    const study = studies.get(active.id);
    const request = study.request;
    let error: string | null = null;
    try {
      for (const trial of studies.pending(active.id)) {
        if (active.stop) break;
        // Every trial trains on the first trial's snapshot: labels added meanwhile would change
        // the data (and the held-out validation) between the points being compared.
        const sameSnapshotAs = studies.get(active.id).trials.find((t) => t.runId !== null)?.runId ?? undefined;
        const { runId, finished } = await this.training.launch(active.project, {
          preset: request.preset,
          sameSnapshotAs,
          overrides: { ...request.overrides, ...trial.params },
          // The NBSVM baseline only for the full data: on a learning curve's shares it would
          // add a run per point and answer a question nobody asked.
          baseline: request.kind === 'search' || trial.params['trainFraction'] === 1,
        });
        studies.attachRun(active.id, trial.index, runId);
        this.emit('studies:updated', studies.get(active.id));
        await finished;
        // Killed by a quit: the trial did not really run; resuming runs it again.
        if (active.stop === 'quit') studies.reopenTrial(active.id, trial.index);
        this.emit('studies:updated', studies.get(active.id));
      }
    } catch (e) {
      // A trial refused before its run was recorded (the labels went, the project became busy):
      // the next trial would be refused the same way.
      error = (e as Error).message;
    }
    const trials = studies.get(active.id).trials;
    const allFailed = trials.every((t) => t.status === 'failed' || t.status === 'pending');
    const status = error ? 'failed' : active.stop === 'quit' ? 'interrupted' : active.stop === 'cancel' ? 'cancelled' : allFailed ? 'failed' : 'done';
    const firstError = error ?? (status === 'failed' ? 'every trial failed; see the runs for the reason' : null);
    studies.setStatus(active.id, status, firstError);
    // Free the slot before telling the window, which may resume or start at once.
    if (this.active === active) this.active = null;
    this.emit('studies:updated', studies.get(active.id));
  }
}
