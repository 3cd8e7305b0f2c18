import { describe, expect, it } from 'vitest';
import { JsonArraySplitter } from '../../../src-main/node/ingest/json-array';
import type { TextLine } from '../../../src-main/node/ingest/line-splitter';
import { failure, readAll, rows, useTempDir } from './helpers';

const tmp = useTempDir();

describe('JSON Lines', () => {
  it('reads one object per line, skipping blank lines, with each record line', async () => {
    const text = '{"text":"Great hotel","label":"positive"}\n\n   \r\n{"text":"Dirty","label":"negative","stars":1}\r\n';
    const path = await tmp.file('reviews.jsonl', text);
    const { stream, records } = await readAll(path);
    expect(stream.source).toMatchObject({ format: 'jsonl', encoding: 'utf-8', delimiter: null });
    expect(stream.columns).toEqual(['text', 'label', 'stars']);
    expect(rows(records)).toEqual([
      { line: 1, text: 'Great hotel', label: 'positive', stars: '' },
      { line: 4, text: 'Dirty', label: 'negative', stars: '1' },
    ]);
  });

  it('converts values that are not strings', async () => {
    const record = { text: 'ok', n: 4.5, ok: true, none: null, tags: ['a', 'b'], meta: { x: 1 } };
    const path = await tmp.file('values.jsonl', `${JSON.stringify(record)}\n`);
    const { records } = await readAll(path);
    expect(records[0].fields).toEqual({ text: 'ok', n: '4.5', ok: 'true', none: '', tags: '["a","b"]', meta: '{"x":1}' });
  });

  it('names the line of invalid JSON, and of a line that is not an object', async () => {
    const good = '{"text":"fine"}\n';
    const bad = await tmp.file('bad.jsonl', `${good.repeat(150)}\n{"text": "broken}\n`);
    const error = await failure(readAll(bad));
    expect(error.message).toMatch(/^line 152: not valid JSON \(/);
    expect(error).toMatchObject({ code: 'bad-file', line: 152 });

    const notObject = await tmp.file('array-line.jsonl', `${good}["text"]\n`);
    expect((await failure(readAll(notObject))).message).toMatch(/^line 2: not valid JSON \(expected an object.*found an array\)$/);
  });

  it('takes the columns from the first 100 records but keeps later keys too', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify(i === 110 ? { text: 't', late: 'x' } : { text: 't' }));
    const path = await tmp.file('late-key.jsonl', lines.join('\n'));
    const { stream, records } = await readAll(path);
    expect(stream.columns).toEqual(['text']);
    expect(records).toHaveLength(120);
    expect(records[110].fields).toEqual({ text: 't', late: 'x' });
  });

  it('treats .json that does not start with [ as JSON Lines, and sniffs { in a .txt', async () => {
    const text = '{"text":"a"}\n{"text":"b"}\n';
    for (const name of ['lines.json', 'lines.txt', 'lines.ndjson', 'no-extension']) {
      const { stream, records } = await readAll(await tmp.file(name, text));
      expect(stream.source.format, name).toBe('jsonl');
      expect(records.map((r) => r.fields.text)).toEqual(['a', 'b']);
    }
  });

  it('keeps a key called __proto__ as an ordinary field', async () => {
    const path = await tmp.file('proto.jsonl', '{"text":"x","__proto__":"y"}\n');
    const { stream, records } = await readAll(path);
    expect(stream.columns).toEqual(['text', '__proto__']);
    expect(Object.getPrototypeOf(records[0].fields)).toBeNull();
    expect(Object.keys(records[0].fields)).toEqual(['text', '__proto__']);
    expect(records[0].fields['__proto__']).toBe('y');
  });

  it('reads a key that only later records have as missing, not as an inherited function', async () => {
    const late = { text: 'late', constructor: 'c', toString: 't', prototype: 'p', ['__proto__']: '{"polluted":"yes"}' };
    const lines = Array.from({ length: 120 }, (_, i) => (i === 110 ? JSON.stringify(late) : '{"text":"early"}'));
    const { records } = await readAll(await tmp.file('late-reserved.jsonl', lines.join('\n')));
    const early = records[0].fields;
    expect(early.constructor).toBeUndefined();
    expect(early.toString).toBeUndefined();
    expect(early['__proto__']).toBeUndefined();
    expect(Object.keys(late)).toContain('__proto__');
    expect({ ...records[110].fields }).toEqual(late);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says a .json file of one object is not a list of reviews, however it is laid out', async () => {
    const reviews = [{ text: 'Great', label: 'positive' }, { text: 'Bad', label: 'negative' }];
    const wrapped = { reviews };
    const bigReviews = Array.from({ length: 4000 }, (_, i) => ({ text: `review ${i} ${'padding '.repeat(10)}`, label: 'positive' }));
    const files: Array<[string, string]> = [
      ['pretty.json', JSON.stringify(wrapped, null, 2)],
      ['minified.json', `${JSON.stringify(wrapped)}\n`],
      ['sniffed.txt', `\n${JSON.stringify(wrapped)}`],
      // Larger than the detection sample: laid out on many lines, or on one line longer than it.
      ['big-pretty.json', JSON.stringify({ reviews: bigReviews }, null, 2)],
      ['big-minified.json', JSON.stringify({ reviews: bigReviews })],
    ];
    for (const [name, content] of files) {
      const error = await failure(readAll(await tmp.file(name, content)));
      expect(error.message, name).toBe(
        'the file is one JSON object, not a list of reviews; expected a JSON array [ {...}, ... ] or one JSON object per line',
      );
      expect(error.code, name).toBe('bad-file');
    }
    expect(JSON.stringify({ reviews: bigReviews }).length).toBeGreaterThan(256 * 1024);
  });

  it('still reads JSON Lines saved as .json, and a .jsonl file of one record', async () => {
    const lines = await readAll(await tmp.file('several.json', '{"text":"a",\t"label":"x"}\n\n{"text":"b"}\n'));
    expect(lines.stream.source.format).toBe('jsonl');
    expect(lines.records.map((r) => r.fields.text)).toEqual(['a', 'b']);
    const single = await readAll(await tmp.file('single.jsonl', '{"reviews":[{"text":"a"}]}\n'));
    expect(rows(single.records)).toEqual([{ line: 1, reviews: '[{"text":"a"}]' }]);
  });

  it('marks JSON columns as a hint and table columns as complete', async () => {
    const jsonl = await readAll(await tmp.file('hint.jsonl', '{"text":"a"}\n'));
    const json = await readAll(await tmp.file('hint.json', '[{"text":"a"}]'));
    const csv = await readAll(await tmp.file('complete.csv', 'text\na\n'));
    const text = await readAll(await tmp.file('complete.txt', 'just a review\n'));
    expect([jsonl, json, csv, text].map((r) => r.stream.columnsComplete)).toEqual([false, false, true, true]);
  });
});

describe('JSON arrays', () => {
  const tricky = [
    { text: 'Brackets ] } [ { inside a string', label: 'positive' },
    { text: 'Escaped \\" quote, then a comma, and \\\\ backslash', nested: { a: [1, { b: '}' }] } },
    { text: 'Unicode \u00e9\u4e2d and an escaped \\u005d', label: null },
  ];
  const text = `[\n  ${tricky.map((t) => JSON.stringify(t)).join(',\n  ')}\n]\n`;

  /** Splits `text` into chunks of `size` and returns the element texts the splitter found. */
  function split(source: string, size: number): TextLine[] {
    const splitter = new JsonArraySplitter();
    const out: TextLine[] = [];
    for (let i = 0; i < source.length; i += size) splitter.push(source.slice(i, i + size), out);
    splitter.end();
    return out;
  }

  it('slices top-level elements whatever the chunk boundaries', () => {
    const expected = split(text, text.length);
    expect(expected.map((e) => JSON.parse(e.text))).toEqual(tricky);
    expect(expected.map((e) => e.line)).toEqual([2, 3, 4]);
    for (let size = 1; size <= 40; size++) expect(split(text, size), `chunk size ${size}`).toEqual(expected);
  });

  it('reads a .json file element by element, with tiny file chunks', async () => {
    const path = await tmp.file('array.json', text);
    for (const chunkSize of [1, 5, 1 << 20]) {
      const { stream, records } = await readAll(path, {}, { chunkSize });
      expect(stream.source.format).toBe('json');
      expect(stream.columns).toEqual(['text', 'label', 'nested']);
      expect(rows(records)).toEqual([
        { line: 2, text: tricky[0].text, label: 'positive', nested: '' },
        { line: 3, text: tricky[1].text, label: '', nested: '{"a":[1,{"b":"}"}]}' },
        { line: 4, text: tricky[2].text, label: '', nested: '' },
      ]);
    }
  });

  it('accepts an empty array and a trailing comma', async () => {
    expect((await readAll(await tmp.file('empty.json', ' [ ] '))).records).toEqual([]);
    const trailing = await readAll(await tmp.file('trailing.json', '[{"text":"a"},]'));
    expect(trailing.records.map((r) => r.fields.text)).toEqual(['a']);
  });

  it('rejects elements that are not objects, naming their line', async () => {
    const path = await tmp.file('strings.json', '[\n{"text":"a"},\n"just a string"\n]');
    const error = await failure(readAll(path));
    expect(error.message).toBe('line 3: not valid JSON (expected an object like {"text": "..."}, found a string)');
  });

  it('reports a truncated array and text after the array', async () => {
    const cut = await tmp.file('cut.json', '[{"text":"a"},\n{"text":"b"');
    expect((await failure(readAll(cut))).message).toBe('line 2: the JSON array is not closed with "]"; the file may be truncated');
    const after = await tmp.file('after.json', '[{"text":"a"}]\n\n{"text":"b"}');
    expect((await failure(readAll(after))).message).toBe('line 3: unexpected text after the end of the JSON array');
  });

  it('names the line of an element that is not valid JSON', async () => {
    const path = await tmp.file('invalid-element.json', '[\n{"text":"a"},\n{"text": nope}\n]');
    expect((await failure(readAll(path))).message).toMatch(/^line 3: not valid JSON \(/);
  });
});
