/**
 * The bytes of an import file: opened once, streamed in large chunks, transparently gunzipped,
 * with progress counted on the file as stored so it can be compared with its size on disk.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StudioError } from '../../common/errors';
import { defaultChunkSize } from './limits';

export type FileMagic = 'gzip' | 'zip' | 'ole' | 'none';

export interface ByteSource {
  readonly path: string;
  /** Size on disk (compressed size for .gz). */
  readonly totalBytes: number;
  /** Magic bytes of the file as stored. */
  readonly magic: FileMagic;
  readonly gzip: boolean;
  /** The raw file, for readers that parse a container themselves (xlsx). Not decompressed. */
  readonly fileStream: Readable;
  /** Decompressed content. Iterate once. */
  chunks(): AsyncGenerator<Buffer>;
  bytesRead(): number;
  close(): Promise<void>;
}

export interface OpenBytesOptions {
  chunkSize?: number;
  signal?: AbortSignal;
}

export function cancelledError(): StudioError {
  return new StudioError('cancelled', 'import cancelled');
}

export async function openByteSource(path: string, options: OpenBytesOptions = {}): Promise<ByteSource> {
  const { signal } = options;
  if (signal?.aborted) throw cancelledError();
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openError(path, error);
  }
  let magic: FileMagic;
  let size: number;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new StudioError('bad-file', `${path} is not a file`);
    if (stat.size === 0) throw new StudioError('bad-file', 'the file is empty');
    size = stat.size;
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    magic = magicOf(head.subarray(0, bytesRead));
  } catch (error) {
    await handle.close();
    throw error;
  }

  const chunkSize = options.chunkSize ?? defaultChunkSize;
  // autoClose: destroying or finishing the stream releases the handle, so close() has one path.
  const fileStream = handle.createReadStream({ start: 0, highWaterMark: chunkSize, autoClose: true });
  const gzip = magic === 'gzip';
  // zlib's default 16 KB output chunks cost measurable per-chunk overhead downstream.
  const content: Readable = gzip
    ? pipeline(fileStream, createGunzip({ chunkSize: Math.max(64, chunkSize) }), () => {})
    : fileStream;

  // Only a stream we iterate ourselves may be destroyed on abort: exceljs pipes fileStream into
  // its unzipper, which would wait forever for the rest of a destroyed source. The xlsx path
  // checks the signal between rows instead.
  const onAbort = () => content.destroy(cancelledError());
  const chunks = () => {
    signal?.addEventListener('abort', onAbort, { once: true });
    return readChunks(content, signal);
  };

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      signal?.removeEventListener('abort', onAbort);
      const closed = fileStream.closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => fileStream.once('close', () => resolve()));
      content.destroy();
      fileStream.destroy();
      await closed;
    })();
    return closing;
  };

  return {
    path,
    totalBytes: size,
    magic,
    gzip,
    fileStream,
    chunks,
    bytesRead: () => fileStream.bytesRead,
    close,
  };
}

async function* readChunks(content: Readable, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of content) {
      if (signal?.aborted) throw cancelledError();
      yield chunk as Buffer;
    }
  } catch (error) {
    throw streamError(error);
  }
}

function magicOf(head: Buffer): FileMagic {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return 'zip';
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) return 'ole';
  return 'none';
}

function openError(path: string, error: unknown): StudioError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new StudioError('not-found', `file not found: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new StudioError('bad-file', `no permission to read ${path}`, { cause: error });
  }
  return new StudioError('bad-file', `cannot open ${path}: ${(error as Error).message}`, { cause: error });
}

/** zlib reports a cut-off download as a bare "unexpected end of file"; say what it means. */
export function streamError(error: unknown): unknown {
  if (StudioError.is(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
    return new StudioError(
      'bad-file',
      `the compressed file is truncated or corrupt (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (code === 'ABORT_ERR') return cancelledError();
  return error;
}
