import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src-main/node/ingest/csv-parser';
import { collect, failure, readAll, rows, textChunks, useTempDir } from './helpers';

const tmp = useTempDir();

/** Parses `text` once per chunk size, so every split point (inside quotes, CRLF, "") is exercised. */
async function parseAllSplits(text: string, delimiter = ',') {
  const whole = (await collect(parseCsv(textChunks(text, text.length || 1), delimiter))).flat();
  for (let size = 1; size <= Math.min(text.length, 40); size++) {
    expect((await collect(parseCsv(textChunks(text, size), delimiter))).flat(), `chunk size ${size}`).toEqual(whole);
  }
  return whole;
}

describe('CSV parsing (RFC 4180)', () => {
  it('keeps delimiters, "" escapes and line breaks inside quoted fields', async () => {
    const text = 'id,text\r\n1,"Great, really ""great"" food"\r\n2,"line one\r\nline two"\r\n3,plain\r\n';
    expect(await parseAllSplits(text)).toEqual([
      { line: 1, cells: ['id', 'text'] },
      { line: 2, cells: ['1', 'Great, really "great" food'] },
      { line: 3, cells: ['2', 'line one\r\nline two'] },
      { line: 5, cells: ['3', 'plain'] },
    ]);
  });

  it('counts lines across mixed LF, CRLF and lone CR endings', async () => {
    const text = 'a,b\n1,x\r\n2,"multi\nline"\r3,y\r\n\n4,z';
    expect(await parseAllSplits(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x'] },
      { line: 3, cells: ['2', 'multi\nline'] },
      { line: 5, cells: ['3', 'y'] },
      { line: 7, cells: ['4', 'z'] },
    ]);
  });

  it('reads the last row with or without a trailing line break', async () => {
    expect(await parseAllSplits('a,b\n1,2')).toEqual(await parseAllSplits('a,b\n1,2\n'));
    expect(await parseAllSplits('a,b\r\n1,"2"')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });

  it('keeps empty fields, including a trailing one', async () => {
    expect(await parseAllSplits('a,,"",\n')).toEqual([{ line: 1, cells: ['a', '', '', ''] }]);
  });

  it('treats a stray quote inside an unquoted field as a literal, like Excel', async () => {
    expect(await parseAllSplits('12" pizza,5 "stars"\n"quoted"tail,x\n')).toEqual([
      { line: 1, cells: ['12" pizza', '5 "stars"'] },
      { line: 2, cells: ['quotedtail', 'x'] },
    ]);
  });

  it('reports an unterminated quote at the line where the quoted field started', async () => {
    const text = 'id,text\n1,ok\n2,"starts here\nand never\nends\n';
    for (const size of [1, 3, text.length]) {
      const error = await failure(collect(parseCsv(textChunks(text, size), ',')));
      expect(error.message).toBe('line 3: unterminated quote');
      expect(error).toMatchObject({ code: 'bad-file', line: 3 });
    }
  });

  it('parses other delimiters the same way', async () => {
    expect(await parseAllSplits('a;b\n"x;y";"1"\n', ';')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x;y', '1'] },
    ]);
  });
});

describe('CSV files', () => {
  it('names columns from the header and pads short rows', async () => {
    const path = await tmp.file('reviews.csv', 'id,text,label\n1,"Nice, clean room",positive\n2,Too noisy\n');
    const { stream, records } = await readAll(path);
    expect(stream.source).toMatchObject({ format: 'csv', delimiter: ',', encoding: 'utf-8', gzip: false });
    expect(stream.columns).toEqual(['id', 'text', 'label']);
    expect(rows(records)).toEqual([
      { line: 2, id: '1', text: 'Nice, clean room', label: 'positive' },
      { line: 3, id: '2', text: 'Too noisy', label: '' },
    ]);
  });

  it('stops at a row with more fields than the header, naming its line', async () => {
    const lines = ['a,b,c', ...Array.from({ length: 10 }, (_, i) => `${i},x,y`), '1,2,3,4,5'];
    const path = await tmp.file('too-many.csv', lines.join('\n'));
    const error = await failure(readAll(path));
    expect(error.message).toBe('line 12: 5 fields, the header has 3');
    expect(error).toMatchObject({ code: 'bad-file', line: 12 });
  });

  it('stops at a header row repeated mid-file, but keeps a one-column review that reads like its header', async () => {
    const joined = await tmp.file('joined.csv', 'text,label\nfirst,positive\n\uFEFF text , label\nsecond,negative\n');
    const error = await failure(readAll(joined));
    expect(error.message).toBe('line 3: this row repeats the header row (were two files joined together?); remove it and import again');
    expect(error).toMatchObject({ code: 'bad-file', line: 3 });
    const oneColumn = await tmp.file('one-column.csv', 'review\nGood\nreview\n');
    expect((await readAll(oneColumn)).records.map((r) => r.fields.review)).toEqual(['Good', 'review']);
  });

  it('makes header names unique and names empty ones by position', async () => {
    const path = await tmp.file('dupes.csv', 'text,text, ,text (2),text\nA,B,C,D,E\n');
    const { stream, records } = await readAll(path);
    expect(stream.columns).toEqual(['text', 'text (2)', 'column 3', 'text (2) (2)', 'text (3)']);
    expect(records[0].fields).toEqual({
      text: 'A',
      'text (2)': 'B',
      'column 3': 'C',
      'text (2) (2)': 'D',
      'text (3)': 'E',
    });
  });

  it('keeps __proto__, constructor and prototype headers as ordinary fields', async () => {
    const path = await tmp.file('reserved.csv', '__proto__,constructor,prototype,text\n"{""polluted"":""yes""}",c,p,Great\n');
    const { stream, records } = await readAll(path);
    expect(stream.columns).toEqual(['__proto__', 'constructor', 'prototype', 'text']);
    const { fields } = records[0];
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(fields['__proto__']).toBe('{"polluted":"yes"}');
    expect(fields.constructor).toBe('c');
    expect(fields.prototype).toBe('p');
    expect(Object.keys(fields)).toEqual(['__proto__', 'constructor', 'prototype', 'text']);
    // No field is inherited, so a column the file lacks reads as missing.
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(fields.toString).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it('reads a file with only a header as columns and no records', async () => {
    const { stream, records } = await readAll(await tmp.file('header-only.csv', 'id;text;label\r\n'));
    expect(stream.columns).toEqual(['id', 'text', 'label']);
    expect(records).toEqual([]);
  });

  it('numbers the columns when the file has no header', async () => {
    const path = await tmp.file('no-header.csv', 'great,1\nawful,0,extra\n');
    const { stream, records } = await readAll(path, { hasHeader: false });
    expect(stream.columns).toEqual(['column 1', 'column 2', 'column 3']);
    expect(rows(records)).toEqual([
      { line: 1, 'column 1': 'great', 'column 2': '1', 'column 3': '' },
      { line: 2, 'column 1': 'awful', 'column 2': '0', 'column 3': 'extra' },
    ]);
  });

  it.each([
    ['semicolon', ';', 'name;price;review\nA;1,50;"good; cheap"\nB;2,00;bad\nC;3,10;"ok, I guess"\n'],
    ['pipe', '|', 'id|text\n1|fine, thanks\n2|meh, really, meh\n3|"quoted | pipe"\n'],
    ['tab', '\t', 'id\ttext\tlabel\n1\tgreat, great, great\tpos\n2\t"tab\tinside"\tneg\n'],
  ])('sniffs the %s delimiter, ignoring delimiters inside quotes', async (_name, delimiter, text) => {
    const path = await tmp.file(`sniff-${_name}.csv`, text);
    const { stream, records } = await readAll(path);
    expect(stream.source.delimiter).toBe(delimiter);
    expect(stream.source.format).toBe(delimiter === '\t' ? 'tsv' : 'csv');
    expect(records.length).toBe(text.trim().split('\n').length - 1);
  });

  it('detects a delimited table in a .txt file but keeps a list of reviews as text', async () => {
    const table = await tmp.file('table.txt', 'text;label\nGood food;pos\nCold soup;neg\n');
    expect((await readAll(table)).stream.source).toMatchObject({ format: 'csv', delimiter: ';' });
    const list = await tmp.file('list.txt', 'Loved it, would come back.\nNo.\nWell, okay, fine, whatever.\n');
    expect((await readAll(list)).stream.source).toMatchObject({ format: 'text', delimiter: null });
  });

  it('reads a .tsv file with quotes per RFC 4180', async () => {
    const path = await tmp.file('reviews.tsv', 'text\tlabel\r\n"He said ""wow""\r\nand left"\tpositive\r\n');
    const { stream, records } = await readAll(path);
    expect(stream.source).toMatchObject({ format: 'tsv', delimiter: '\t' });
    expect(rows(records)).toEqual([{ line: 2, text: 'He said "wow"\r\nand left', label: 'positive' }]);
  });

  it('honours an explicit delimiter over sniffing', async () => {
    const path = await tmp.file('explicit.csv', 'a|b,c\n1|2,3\n');
    const { stream } = await readAll(path, { delimiter: '|' });
    expect(stream.columns).toEqual(['a', 'b,c']);
  });

  it('reads the same records whatever the file chunk size', async () => {
    const text =
      'id,text\r\n' +
      Array.from({ length: 50 }, (_, i) => `${i},"review ${i}, with ""quotes""\r\nand a second line"`).join('\r\n');
    const path = await tmp.file('chunks.csv', text);
    const whole = await readAll(path);
    for (const chunkSize of [1, 7, 64]) {
      expect((await readAll(path, {}, { chunkSize })).records).toEqual(whole.records);
    }
    expect(whole.records[49]).toEqual({ line: 100, fields: { id: '49', text: 'review 49, with "quotes"\r\nand a second line' } });
  });
});
