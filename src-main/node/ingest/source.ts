/**
 * The import pipeline's entry: any supported file as a stream of records with named columns.
 * Detection (compression, encoding, format, delimiter) looks at the first 256 KB only; reading
 * then streams the rest, so a file's size never decides how much memory an import takes.
 */
import iconv from 'iconv-lite';
import { StudioError } from '../../common/errors';
import { formatCount } from '../../common/format';
import type { DetectedSource, ReadOptions, SourceRecord } from '../../common/ingest';
import type { Batches } from './batches';
import { cancelledError, openByteSource, streamError, type ByteSource } from './byte-source';
import { parseCsv } from './csv-parser';
import { bomLength, detectEncoding, type DetectedEncoding } from './encoding-detect';
import { detectTextFormat, formatFromMagic, type TextFormat } from './format-detect';
import { parseJsonArray } from './json-array';
import { parseJsonLines } from './json-lines';
import { nameJsonRecords } from './json-records';
import { countLineBreaks } from './line-breaks';
import { sampleBytes, type ReaderTuning } from './limits';
import { parsePlainText, plainTextColumns } from './plain-text';
import { takeSample, type Sampled } from './sample';
import { nameTableRows, type NamedRecords } from './table-records';
import { decodeText } from './text-decoder';
import { readWorksheetRows } from './xlsx-rows';

export interface RecordStream {
  source: DetectedSource;
  /** Column names, unique and non-empty; every record has a field for each. */
  columns: string[];
  /**
   * True when `columns` names every column of the file (a header row, a worksheet, plain text).
   * False for JSON and JSON Lines, whose columns are the keys of the first 100 records: a later
   * record may bring a key of its own, so treat the list as a hint and expect fields beyond it.
   */
  columnsComplete: boolean;
  /** Iterate once. Stopping early (break, an exception) closes the stream. */
  records: AsyncIterable<SourceRecord>;
  /** Bytes of the file consumed so far (compressed bytes for .gz), for progress against totalBytes. */
  bytesRead(): number;
  /** Releases the file. Idempotent. */
  close(): Promise<void>;
}

export type OpenOptions = ReadOptions & { signal?: AbortSignal };

type Inspected =
  | { kind: 'xlsx'; source: DetectedSource }
  | { kind: 'text'; source: DetectedSource; format: TextFormat; encoding: DetectedEncoding; sampled: Sampled };

export async function openRecordStream(
  path: string,
  options: OpenOptions = {},
  tuning: ReaderTuning = {},
): Promise<RecordStream> {
  const bytes = await openByteSource(path, { chunkSize: tuning.chunkSize, signal: options.signal });
  try {
    const inspected = await inspect(bytes, path, options);
    const named = await openReader(bytes, inspected, options);
    return {
      source: inspected.source,
      columns: named.columns,
      columnsComplete: !isJson(inspected.source.format),
      records: guarded(named.batches, options.signal, bytes.close),
      bytesRead: bytes.bytesRead,
      close: bytes.close,
    };
  } catch (error) {
    await bytes.close();
    throw streamError(error);
  }
}

export async function detectSource(path: string, options: ReadOptions = {}): Promise<DetectedSource> {
  const bytes = await openByteSource(path);
  try {
    return (await inspect(bytes, path, options)).source;
  } catch (error) {
    throw streamError(error);
  } finally {
    await bytes.close();
  }
}

async function inspect(bytes: ByteSource, path: string, options: ReadOptions): Promise<Inspected> {
  const base = { gzip: bytes.gzip, totalBytes: bytes.totalBytes };
  if (formatFromMagic(bytes.magic, path, options) === 'xlsx') {
    if (bytes.gzip) throw new StudioError('unsupported', 'a compressed .xlsx cannot be read; decompress it first');
    return {
      kind: 'xlsx',
      source: { format: 'xlsx', encoding: null, encodingConfidence: 1, delimiter: null, ...base },
    };
  }
  const sampled = await takeSample(bytes.chunks(), sampleBytes);
  const { sample, complete } = sampled;
  if (sample.length === 0) throw new StudioError('bad-file', 'the file is empty');
  const encoding: DetectedEncoding = options.encoding
    ? { encoding: options.encoding, confidence: 1, bomLength: bomLength(sample, options.encoding) }
    : detectEncoding(sample, complete);
  const text = iconv.decode(sample.subarray(encoding.bomLength), encoding.encoding);
  if (text.trim().length === 0) throw new StudioError('bad-file', 'the file is empty');
  const binary = binaryEvidence(text);
  if (binary) throw new StudioError('bad-file', binary);
  const format = detectTextFormat(path, text, complete, options);
  return {
    kind: 'text',
    source: {
      format: format.format,
      encoding: encoding.encoding,
      encodingConfidence: encoding.confidence,
      delimiter: format.delimiter,
      ...base,
    },
    format,
    encoding,
    sampled,
  };
}

async function openReader(bytes: ByteSource, inspected: Inspected, options: ReadOptions): Promise<NamedRecords> {
  const hasHeader = options.hasHeader ?? true;
  if (inspected.kind === 'xlsx') return nameTableRows(readWorksheetRows(bytes.fileStream), hasHeader, 'cells');
  const text = decodeText(inspected.sampled.chunks, inspected.encoding.encoding, inspected.encoding.bomLength);
  const { format, delimiter } = inspected.format;
  switch (format) {
    case 'csv':
    case 'tsv':
      return nameTableRows(parseCsv(text, delimiter ?? ','), hasHeader, 'fields');
    case 'jsonl':
      return nameJsonRecords(parseJsonLines(text), { oneRecordIsOneObject: inspected.format.guessedJsonLines });
    case 'json':
      return nameJsonRecords(parseJsonArray(text));
    case 'text':
      return { columns: plainTextColumns, batches: parsePlainText(text) };
  }
}

function isJson(format: DetectedSource['format']): boolean {
  return format === 'json' || format === 'jsonl';
}

/** Cancellation between records, error translation, and the file released however it ends. */
async function* guarded(
  batches: Batches<SourceRecord>,
  signal: AbortSignal | undefined,
  close: () => Promise<void>,
): AsyncGenerator<SourceRecord> {
  try {
    for await (const batch of batches) {
      for (const record of batch) {
        if (signal?.aborted) throw cancelledError();
        yield record;
      }
    }
  } catch (error) {
    throw streamError(error);
  } finally {
    await close();
  }
}

/**
 * Control characters other than tab, line breaks and form feed are rare in real text; in images,
 * archives and executables they are a tenth of the bytes. (Undecodable bytes do not count: in a
 * text file they mean a wrong encoding, which the decoder reports with its line.) The message
 * points at the first one, for the text file that holds terminal colour codes or similar junk.
 */
function binaryEvidence(text: string): string | null {
  let suspicious = 0;
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) {
      suspicious++;
      if (first === -1) first = i;
    }
  }
  if (suspicious < 4 || suspicious <= text.length * 0.02) return null;
  const code = text.charCodeAt(first).toString(16).toUpperCase().padStart(2, '0');
  const line = countLineBreaks(text.slice(0, first), false) + 1;
  return `this does not look like a text file: ${formatCount(suspicious)} of its first ${formatCount(text.length)} characters are control codes; the first (0x${code}) is on line ${formatCount(line)}`;
}
