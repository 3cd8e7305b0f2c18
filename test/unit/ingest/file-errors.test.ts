import { existsSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectSource, openRecordStream } from '../../../src-main/node/ingest/source';
import { failure, readAll, useTempDir } from './helpers';

const tmp = useTempDir();

/** Deterministic bytes that look like a compressed or binary file. */
function junk(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = 2463534242;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

function manyRows(count: number): string {
  return `id,text\n${Array.from({ length: count }, (_, i) => `${i},"review ${i}, fine"`).join('\n')}\n`;
}

const openFiles = () => readdirSync('/proc/self/fd').length;
const canCountFiles = existsSync('/proc/self/fd');

describe('files that cannot be imported', () => {
  it('says when the file does not exist', async () => {
    const error = await failure(readAll(tmp.path('missing.csv')));
    expect(error).toMatchObject({ code: 'not-found' });
    expect(await failure(detectSource(tmp.path('missing.csv')))).toMatchObject({ code: 'not-found' });
  });

  it('says when the file is empty or blank', async () => {
    for (const [name, content] of [
      ['empty.csv', ''],
      ['blank.txt', ' \r\n\n\t\n'],
      ['bom-only.csv', '\uFEFF'],
    ]) {
      const error = await failure(readAll(await tmp.file(name, content)));
      expect(error, name).toMatchObject({ code: 'bad-file', message: 'the file is empty' });
    }
  });

  it('rejects binary files early', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), junk(20000)]);
    for (const [name, content] of [
      ['photo.png', png],
      ['data.csv', junk(50000)],
    ] as const) {
      const error = await failure(readAll(await tmp.file(name, content)));
      expect(error, name).toMatchObject({ code: 'bad-file', message: expect.stringMatching(/^this does not look like a text file: [\d,]+ of its first [\d,]+ characters are control codes; the first \(0x[0-9A-F]{2}\) is on line \d+$/) });
    }
  });

  it('names the line of a NUL byte in a text file', async () => {
    const lines = manyRows(1000).split('\n');
    lines[500] = `500,"review\0 500"`;
    const error = await failure(readAll(await tmp.file('nul.csv', lines.join('\n'))));
    expect(error.message).toBe('line 501: contains a NUL byte (binary data); this does not look like a text file');
    expect(error).toMatchObject({ code: 'bad-file', line: 501 });
  });

  it('stops at a record larger than 16 MB', async () => {
    const huge = 'x'.repeat(17 * 1024 * 1024);
    const text = await tmp.file('huge.txt', `short review\n${huge}\nanother\n`);
    expect((await failure(readAll(text))).message).toBe(
      'line 2: a single record is larger than 16 MB; is this really a text file?',
    );
    const csv = await tmp.file('runaway-quote.csv', `text,label\nfine,1\n"opens and never closes,${huge}\n`);
    expect((await failure(readAll(csv))).message).toBe(
      'line 3: a quoted field runs on for more than 16 MB: an unterminated quote, or a record far too large to be a review',
    );
  });
});

describe('stream lifecycle', () => {
  it('reports progress in file bytes as it reads', async () => {
    const path = await tmp.file('progress.csv', manyRows(20000));
    const stream = await openRecordStream(path, {}, { chunkSize: 16 * 1024 });
    const seen: number[] = [];
    let count = 0;
    for await (const _record of stream.records) if (++count % 2000 === 0) seen.push(stream.bytesRead());
    expect(count).toBe(20000);
    expect(seen[0]).toBeLessThan(stream.source.totalBytes);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(stream.bytesRead()).toBe(stream.source.totalBytes);
  });

  it.runIf(canCountFiles)('releases the file when iteration stops early, and close() is idempotent', async () => {
    const path = await tmp.file('early.csv', manyRows(50000));
    const before = openFiles();
    const stream = await openRecordStream(path, {}, { chunkSize: 4096 });
    expect(openFiles()).toBe(before + 1);
    for await (const record of stream.records) if (record.line === 10) break;
    expect(openFiles()).toBe(before);
    await stream.close();
    await stream.close();

    const zipped = await tmp.file('early.csv.gz', gzipSync(manyRows(50000)));
    const compressed = await openRecordStream(zipped, {}, { chunkSize: 4096 });
    for await (const record of compressed.records) if (record.line === 10) break;
    expect(openFiles()).toBe(before);

    const unread = await openRecordStream(path);
    await unread.close();
    await detectSource(path);
    expect(openFiles()).toBe(before);
  });

  it('stops promptly when cancelled, and releases the file', async () => {
    const path = await tmp.file('cancel.csv', manyRows(50000));
    const before = canCountFiles ? openFiles() : 0;
    const controller = new AbortController();
    const stream = await openRecordStream(path, { signal: controller.signal }, { chunkSize: 4096 });
    let count = 0;
    const error = await failure(
      (async () => {
        for await (const _record of stream.records) if (++count === 100) controller.abort();
      })(),
    );
    expect(error).toMatchObject({ code: 'cancelled', message: 'import cancelled' });
    expect(count).toBe(100);
    if (canCountFiles) expect(openFiles()).toBe(before);

    const aborted = AbortSignal.abort();
    expect(await failure(openRecordStream(path, { signal: aborted }))).toMatchObject({ code: 'cancelled' });
  });

  it('detects without reading the records', async () => {
    const path = await tmp.file('detect.tsv', 'text\tlabel\ngood\tpos\n');
    const source = await detectSource(path);
    expect(source).toEqual({
      format: 'tsv',
      encoding: 'utf-8',
      encodingConfidence: 1,
      delimiter: '\t',
      gzip: false,
      totalBytes: 20,
    });
  });
});
