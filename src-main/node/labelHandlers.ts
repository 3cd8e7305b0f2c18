/**
 * The handlers of labelling: reading items, writing and undoing labels, and the labelling
 * assistant that refreshes the suggestions as labels come in. Split from services.ts, which owns
 * the project and the training slot the assistant shares.
 */
import type { EventMap, EventName } from '../common/contract';
import type { AssistController } from './assistController';
import type { Project } from './db/project';
import { ItemCounting } from './itemCounting';
import type { Handlers } from './services';

export interface LabelContext {
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  annotator: string;
  requireProject(): Project;
  requireWritable(): Project;
  /** The open project, or null: a count spread over several turns stops when it changes. */
  currentProject(): Project | null;
  assist: AssistController;
}

type LabelChannel = 'items:list' | 'items:count' | 'items:ids' | 'labels:set' | 'labels:undo' | 'labels:history' | 'labels:confirm' | 'assist:status' | 'assist:configure' | 'assist:refresh';

export function createLabelHandlers(ctx: LabelContext): Pick<Handlers, LabelChannel> {
  const { emit, annotator, requireProject, requireWritable, currentProject, assist } = ctx;
  const counting = new ItemCounting();
  return {
    'items:list': (r) => requireProject().listItems(r),
    'items:count': async ({ maxTotal, slot, ...filter }) => ({ total: await counting.count(requireProject(), currentProject, filter, { max: maxTotal, slot }) }),
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
