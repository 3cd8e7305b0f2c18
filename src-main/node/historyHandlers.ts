/**
 * The handlers of the run history and of studies: listing, comparing, marking the current model,
 * deleting and exporting runs; starting, resuming and deleting learning curves and searches.
 * Split from services.ts, which owns the project and the training slot these use.
 */
import { existsSync } from 'node:fs';
import type { EventMap, EventName } from '../common/contract';
import { StudioError } from '../common/errors';
import type { Project } from './db/project';
import { RunHistory } from './db/runHistory';
import { Studies } from './db/studies';
import { writeModelBundle } from './export/modelBundle';
import { zipFolder } from './export/zipFolder';
import type { Handlers, StudioServiceOptions } from './services';
import type { StudyController } from './studyController';

export interface HistoryContext {
  options: StudioServiceOptions;
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  requireProject(): Project;
  requireWritable(): Project;
  studies: StudyController;
}

type HistoryChannel = 'runs:list' | 'runs:epochs' | 'runs:setCurrent' | 'runs:delete' | 'runs:export' | 'studies:list' | 'studies:start' | 'studies:resume' | 'studies:delete';

function runHistory(p: Project): RunHistory {
  return new RunHistory(p.db, p.meta);
}

/** In one transaction: a run that cannot go (another was fine-tuned from it) keeps the study too. */
function deleteStudy(p: Project, studyId: number, withRuns: boolean): number {
  return p.db
    .transaction(() => {
      const studies = new Studies(p.db);
      const runIds = withRuns ? studies.runIds(studyId) : [];
      studies.delete(studyId);
      const history = runHistory(p);
      for (const runId of runIds) history.delete(runId);
      return runIds.length;
    })
    .immediate();
}

export function createHistoryHandlers(ctx: HistoryContext): Pick<Handlers, HistoryChannel> {
  return {
  'runs:list': () => runHistory(ctx.requireProject()).list(),
  'runs:epochs': (r) => runHistory(ctx.requireProject()).epochs(r.runIds),
  'runs:setCurrent': (r) => {
    const p = ctx.requireWritable();
    runHistory(p).setCurrent(r.runId);
    ctx.emit('project:changed', p.summary());
    return { runId: r.runId };
  },
  'runs:delete': (r) => {
    const p = ctx.requireWritable();
    runHistory(p).delete(r.runId);
    ctx.emit('project:changed', p.summary());
    return { deleted: r.runId };
  },
  'runs:export': async (r) => {
    const zipPath = `${r.path.replace(/[\\/]+$/, '')}.zip`;
    // Checked before the folder is written, so a refusal leaves nothing half done.
    if (r.zip && existsSync(zipPath) && !r.overwrite) throw new StudioError('invalid-input', `${zipPath} already exists; choose another name or allow overwriting.`);
    const written = writeModelBundle(ctx.requireProject(), r.runId, r.path, { appVersion: ctx.options.appVersion, overwrite: r.overwrite });
    return { ...written, zip: r.zip ? await zipFolder(written.path, { overwrite: r.overwrite }) : null };
  },
  'studies:list': () => new Studies(ctx.requireProject().db).list(),
  'studies:start': (r) => ctx.studies.start(ctx.requireWritable(), r),
  'studies:resume': (r) => ctx.studies.resume(ctx.requireWritable(), r.studyId),
  'studies:delete': (r) => {
    const p = ctx.requireWritable();
    const runsDeleted = deleteStudy(p, r.studyId, r.deleteRuns);
    ctx.emit('project:changed', p.summary());
    return { deleted: r.studyId, runsDeleted };
  },
  };
}
