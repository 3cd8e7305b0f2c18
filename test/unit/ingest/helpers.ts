/** Shared by the ingest tests: a temp folder per test file, and reading a file to the end. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ReadOptions, SourceRecord } from '../../../src-main/common/ingest';
import type { ReaderTuning } from '../../../src-main/node/ingest/limits';
import { openRecordStream, type RecordStream } from '../../../src-main/node/ingest/source';

/** A fresh folder under the OS temp dir for this test file, removed afterwards. */
export function useTempDir(): { file(name: string, content: string | Buffer): Promise<string>; path(name: string): string } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'studio-ingest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    path: (name) => join(dir, name),
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
  };
}

export interface ReadResult {
  stream: RecordStream;
  records: SourceRecord[];
}

export async function readAll(path: string, options: ReadOptions = {}, tuning: ReaderTuning = {}): Promise<ReadResult> {
  const stream = await openRecordStream(path, options, tuning);
  const records: SourceRecord[] = [];
  try {
    for await (const record of stream.records) records.push(record);
  } finally {
    await stream.close();
  }
  return { stream, records };
}

/** Plain objects for `toEqual`, with each record's line. */
export function rows(records: SourceRecord[]): Array<{ line: number } & Record<string, string>> {
  return records.map((r) => ({ line: r.line, ...r.fields }) as { line: number } & Record<string, string>);
}

/** The text in pieces of `size` characters, as a stream of chunks. */
export async function* chunksOf<T extends string | Buffer>(value: T, size: number): AsyncGenerator<T> {
  for (let i = 0; i < value.length; i += size) yield value.slice(i, i + size) as T;
}

/** Text as the readers receive it from the decoder: one array of pieces per chunk. */
export async function* textChunks(text: string, size: number): AsyncGenerator<string[]> {
  for (let i = 0; i < text.length; i += size) yield [text.slice(i, i + size)];
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Awaits a promise that must reject, returning the error for detailed assertions. */
export async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; line?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; line?: number };
  }
  throw new Error('expected a failure, but it succeeded');
}
