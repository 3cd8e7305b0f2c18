import { afterEach, describe, expect, it } from 'vitest';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

function setup() {
  const t = tempDir();
  cleanup = t.cleanup;
  const project = newProject(t.dir);
  const ids = addTexts(project, ['a fine film', 'a dull film', 'an odd film']);
  return { project, ids };
}

describe('label events', () => {
  it('appends events and derives the current label from the newest one', () => {
    const { project, ids } = setup();
    const [a] = ids;
    project.labelEvents.setLabels([a!], 'positive', 'manual', 'ann');
    project.labelEvents.setLabels([a!], 'negative', 'manual', 'bob');
    expect(project.labelEvents.currentLabel(a!)).toBe('negative');
    const history = project.labelEvents.history(a!);
    expect(history.map((e) => [e.label, e.annotator, e.origin])).toEqual([
      ['positive', 'ann', 'manual'],
      ['negative', 'bob', 'manual'],
    ]);
    project.close();
  });

  it('does not write an event when the label is unchanged', () => {
    const { project, ids } = setup();
    project.labelEvents.setLabels(ids, 'positive', 'bulk', 'ann');
    const again = project.labelEvents.setLabels(ids, 'positive', 'bulk', 'ann');
    expect(again).toMatchObject({ changed: 0, unchanged: 3 });
    expect(project.summary().labelEvents).toBe(3);
    project.close();
  });

  it('undo appends the previous label, and never edits or deletes an event', () => {
    const { project, ids } = setup();
    const [a, b, c] = ids as [number, number, number];
    project.labelEvents.setLabels([a], 'positive', 'manual', 'ann');
    const bulk = project.labelEvents.setLabels([a, b, c], 'negative', 'bulk', 'ann');
    expect(project.summary().perLabel).toEqual({ positive: 0, negative: 3 });

    const undo = project.labelEvents.undo('ann');
    expect(undo).toEqual({ undoneActionId: bulk.actionId, reverted: 3, skipped: 0 });
    expect(project.labelEvents.currentLabel(a)).toBe('positive');
    expect(project.labelEvents.currentLabel(b)).toBeNull();
    expect(project.summary()).toMatchObject({ labelled: 1, unlabelled: 2, labelEvents: 7 });
    expect(project.labelEvents.history(b).map((e) => [e.label, e.origin])).toEqual([
      ['negative', 'bulk'],
      [null, 'undo'],
    ]);

    // The next undo goes one further back.
    project.labelEvents.undo('ann');
    expect(project.labelEvents.currentLabel(a)).toBeNull();
    expect(project.labelEvents.undo('ann')).toEqual({ undoneActionId: null, reverted: 0, skipped: 0 });

    expect(() => project.db.prepare('UPDATE label_events SET label = ?').run('positive')).toThrow(/append-only/);
    expect(() => project.db.prepare('DELETE FROM label_events').run()).toThrow(/append-only/);
    project.close();
  });

  it('undo leaves items that were relabelled after the undone action', () => {
    const { project, ids } = setup();
    const [a, b] = ids as [number, number];
    const bulk = project.labelEvents.setLabels([a, b], 'positive', 'bulk', 'ann');
    project.labelEvents.setLabels([b], 'negative', 'manual', 'bob');
    const undo = project.labelEvents.undo('ann', bulk.actionId);
    expect(undo).toMatchObject({ reverted: 1, skipped: 1 });
    expect(project.labelEvents.currentLabel(a)).toBeNull();
    expect(project.labelEvents.currentLabel(b)).toBe('negative');
    expect(() => project.labelEvents.undo('ann', bulk.actionId)).toThrow(/already undone/);
    project.close();
  });

  it('rejects an unknown item without writing anything of the action', () => {
    const { project, ids } = setup();
    expect(() => project.labelEvents.setLabels([ids[0]!, 9999], 'positive', 'bulk', 'ann')).toThrow(/item 9999 does not exist/);
    expect(project.summary().labelEvents).toBe(0);
    expect(project.db.prepare('SELECT COUNT(*) AS n FROM label_actions').get()).toEqual({ n: 0 });
    project.close();
  });

  it('names the allowed labels when a label is not in the set', () => {
    const { project } = setup();
    expect(project.meta.requireLabel(' Positive ')).toBe('positive');
    expect(() => project.meta.requireLabel('postive')).toThrow("label 'postive' is not one of positive, negative");
    project.close();
  });
});

describe('undo of several actions', () => {
  it('never resurrects a label from an action that was undone', () => {
    const { project, ids } = setup();
    const [a] = ids as [number];
    const first = project.labelEvents.setLabels([a], 'positive', 'manual', 'ann');
    const second = project.labelEvents.setLabels([a], 'negative', 'manual', 'ann');
    expect(project.labelEvents.undo('ann', first.actionId)).toMatchObject({ reverted: 0, skipped: 1 });
    expect(project.labelEvents.undo('ann', second.actionId)).toMatchObject({ reverted: 1 });
    expect(project.labelEvents.currentLabel(a)).toBeNull();
    project.close();
  });

  it('walks back through an undo that restored a label', () => {
    const { project, ids } = setup();
    const [a] = ids as [number];
    project.labelEvents.setLabels([a], 'positive', 'manual', 'ann');
    project.labelEvents.setLabels([a], 'negative', 'manual', 'ann');
    project.labelEvents.undo('ann'); // back to positive
    const third = project.labelEvents.setLabels([a], 'negative', 'manual', 'ann');
    project.labelEvents.undo('ann', third.actionId);
    expect(project.labelEvents.currentLabel(a)).toBe('positive');
    project.close();
  });
});
