/**
 * The handlers of labelling: reading items, writing and undoing labels, and the labelling
 * assistant that refreshes the suggestions as labels come in. Split from services.ts, which owns
 * the project and the training slot the assistant shares.
 */
import type { EventMap, EventName } from '../common/contract';
import type { AssistController } from './assistController';
import type { Project } from './db/project';
import type { Handlers } from './services';

export interface LabelContext {
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  annotator: string;
  requireProject(): Project;
  requireWritable(): Project;
  assist: AssistController;
}

type LabelChannel = 'items:list' | 'items:ids' | 'labels:set' | 'labels:undo' | 'labels:history' | 'labels:confirm' | 'assist:status' | 'assist:configure' | 'assist:refresh';

export function createLabelHandlers(ctx: LabelContext): Pick<Handlers, LabelChannel> {
  const { emit, annotator, requireProject, requireWritable, assist } = ctx;
  return {
    'items:list': (r) => requireProject().listItems(r),
    'items:ids': (r) => ({ ids: requireProject().itemIds(r) }),
    'labels:set': (r) => {
      const p = requireWritable();
      const label = r.label === null ? null : p.meta.requireLabel(r.label);
      const result = p.setLabels(r.itemIds, label, r.origin, r.annotator ?? annotator);
      emit('project:changed', p.summary());
      assist.afterLabels(p);
      return result;
    },
    'labels:undo': (r) => {
      const p = requireWritable();
      const result = p.undo(annotator, r.actionId);
      if (result.undoneActionId !== null) emit('project:changed', p.summary());
      return result;
    },
    'labels:history': (r) => requireProject().labelEvents.history(r.itemId),
    'labels:confirm': (r) => {
      const p = requireWritable();
      const result = p.labelEvents.confirm(r.itemIds, r.annotator ?? annotator);
      emit('project:changed', p.summary());
      assist.afterLabels(p);
      return result;
    },
    'assist:status': () => assist.status(requireProject()),
    'assist:configure': (r) => assist.configure(requireWritable(), r),
    'assist:refresh': () => assist.start(requireWritable()),
  };
}
