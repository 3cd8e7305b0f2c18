import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type TextLine } from '../../../src-main/node/ingest/line-splitter';
import { detectSource } from '../../../src-main/node/ingest/source';
import { failure, readAll, rows, useTempDir } from './helpers';

const tmp = useTempDir();

const jsonl = Array.from({ length: 300 }, (_, i) => JSON.stringify({ text: `review ${i} – très bien`, label: i % 2 ? 'neg' : 'pos' })).join('\n');

describe('gzip', () => {
  it('decompresses by magic bytes and detects the format from the inner name', async () => {
    const path = await tmp.file('reviews.jsonl.gz', gzipSync(jsonl));
    for (const chunkSize of [64, 1 << 20]) {
      const { stream, records } = await readAll(path, {}, { chunkSize });
      expect(stream.source).toMatchObject({ format: 'jsonl', encoding: 'utf-8', gzip: true });
      expect(stream.source.totalBytes).toBeLessThan(jsonl.length);
      expect(records).toHaveLength(300);
      expect(records[299]).toEqual({ line: 300, fields: { text: 'review 299 – très bien', label: 'neg' } });
      // Progress is measured on the compressed file, against its size on disk.
      expect(stream.bytesRead()).toBe(stream.source.totalBytes);
    }
  });

  it('detects gzip whatever the extension, then the format from the content', async () => {
    const csv = iconv.encode('text;label\n"Très cher, à éviter";négatif\nParfait;positif\n', 'windows-1252');
    const path = await tmp.file('export.dat', gzipSync(csv));
    const { stream, records } = await readAll(path);
    expect(stream.source).toMatchObject({ format: 'csv', delimiter: ';', encoding: 'windows-1252', gzip: true });
    expect(rows(records)).toEqual([
      { line: 2, text: 'Très cher, à éviter', label: 'négatif' },
      { line: 3, text: 'Parfait', label: 'positif' },
    ]);
  });

  it('reports a truncated archive as a truncated or corrupt file', async () => {
    const big = Array.from({ length: 20000 }, (_, i) => JSON.stringify({ text: `review ${i} ${'x'.repeat(i % 50)}` })).join('\n');
    const zipped = gzipSync(big);
    const path = await tmp.file('cut.jsonl.gz', zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    const error = await failure(readAll(path));
    expect(error).toMatchObject({ code: 'bad-file' });
    expect(error.message).toMatch(/^the compressed file is truncated or corrupt/);
  });

  it('reports an archive of nothing as an empty file', async () => {
    const path = await tmp.file('nothing.csv.gz', gzipSync(Buffer.alloc(0)));
    expect(await failure(readAll(path))).toMatchObject({ code: 'bad-file', message: 'the file is empty' });
  });
});

describe('plain text', () => {
  it('makes one review per non-empty line, whatever the line endings', async () => {
    const path = await tmp.file('reviews.txt', 'Great food, slow service.\r\n\r\nWould not return.\rLoved it!\n   \nOkay.');
    const { stream, records } = await readAll(path);
    expect(stream.source).toMatchObject({ format: 'text', delimiter: null });
    expect(stream.columns).toEqual(['text']);
    expect(rows(records)).toEqual([
      { line: 1, text: 'Great food, slow service.' },
      { line: 3, text: 'Would not return.' },
      { line: 4, text: 'Loved it!' },
      { line: 6, text: 'Okay.' },
    ]);
  });

  it('splits lines identically wherever the chunks break, CRLF included', () => {
    const text = 'one\r\ntwo\rthree\n\r\nfour\r\r\nfive';
    const split = (size: number) => {
      const splitter = new LineSplitter();
      const out: TextLine[] = [];
      for (let i = 0; i < text.length; i += size) splitter.push(text.slice(i, i + size), out);
      splitter.end(out);
      return out;
    };
    const expected = [
      { line: 1, text: 'one' },
      { line: 2, text: 'two' },
      { line: 3, text: 'three' },
      { line: 4, text: '' },
      { line: 5, text: 'four' },
      { line: 6, text: '' },
      { line: 7, text: 'five' },
    ];
    for (let size = 1; size <= text.length; size++) expect(split(size), `chunk size ${size}`).toEqual(expected);
  });

  it('keeps lines that open with a bracket as text', async () => {
    const path = await tmp.file('spoilers.txt', '[Spoiler] the butler did it.\nGreat twist.\n');
    const { stream, records } = await readAll(path, {}, { chunkSize: 3 });
    expect(stream.source.format).toBe('text');
    expect(records.map((r) => r.fields.text)).toEqual(['[Spoiler] the butler did it.', 'Great twist.']);
  });

  it('reads a forced format regardless of the name', async () => {
    const path = await tmp.file('table.csv', 'a,b\n1,2\n');
    const { stream, records } = await readAll(path, { format: 'text' });
    expect(stream.columns).toEqual(['text']);
    expect(records.map((r) => r.fields.text)).toEqual(['a,b', '1,2']);
    expect(await detectSource(path, { format: 'text' })).toMatchObject({ format: 'text', delimiter: null });
  });
});
