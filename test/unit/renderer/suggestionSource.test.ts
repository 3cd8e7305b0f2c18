/** A suggestion's source as the store names it: a run, the assistant's background run, or a bundle. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../../src-renderer/src/components/annotate/suggestionSource';

describe('parseSource', () => {
  it('tells a run, a background run and a bundle apart', () => {
    expect(parseSource('run 12')).toEqual({ kind: 'run', runId: '12' });
    expect(parseSource('run 12 (background)')).toEqual({ kind: 'background', runId: '12' });
    expect(parseSource('imdb-gru')).toEqual({ kind: 'bundle', name: 'imdb-gru' });
    // A bundle folder that merely looks like a run keeps its whole name.
    expect(parseSource('run 12 (copy)')).toEqual({ kind: 'bundle', name: 'run 12 (copy)' });
  });
});
