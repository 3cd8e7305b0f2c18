import { describe, expect, it } from 'vitest';
import { guessColumns, previewFile } from '../../../src-main/node/ingest/preview';
import { maxColumns } from '../../../src-main/node/ingest/limits';
import { failure, useTempDir } from './helpers';

const tmp = useTempDir();

describe('import preview', () => {
  it('guesses the column with the longest texts when no name says which, the first of equals', () => {
    const rows = [
      { line: 2, fields: { a: 'x', b: 'a long review text', c: 'same length here!!' } },
      { line: 3, fields: { a: 'y', b: 'another one', c: 'short' } },
    ];
    expect(guessColumns(['a', 'b', 'c'], rows, {}).textColumn).toBe('b');
    expect(guessColumns(['a', 'c', 'b'], [rows[0]!], {}).textColumn).toBe('c');
    expect(guessColumns([], [], {}).textColumn).toBeNull();
  });

  it('previews a file at the column limit with every column, and refuses one past it', async () => {
    const header = Array.from({ length: maxColumns }, (_, i) => `c${i + 1}`);
    const row = (n: number) => header.map((_, i) => (i === 0 ? `review ${n}` : String(i % 7))).join(',');
    const wide = await tmp.file('wide.csv', `${header.join(',')}\n${row(1)}\n${row(2)}\n`);
    const preview = await previewFile(wide);
    expect(preview.columns).toHaveLength(maxColumns);
    expect(Object.keys(preview.valueCounts)).toHaveLength(maxColumns);
    expect(preview.rows.map((r) => r.fields.c1)).toEqual(['review 1', 'review 2']);
    const wider = await tmp.file('wider.csv', `${header.join(',')},one more\n${row(1)},x\n`);
    expect((await failure(previewFile(wider))).message).toBe('line 1: 20,001 columns; an import reads at most 20,000 (is the delimiter right?)');
  });
});
