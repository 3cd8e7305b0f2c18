/**
 * Sizes the readers work with. Kept together so tests can shrink the chunk size and still
 * exercise the exact code paths a 200 MB file takes.
 */

/** Bytes per file read: large enough that per-chunk overhead vanishes, small enough to stream. */
export const defaultChunkSize = 1024 * 1024;

/** Leading bytes (after decompression) used to detect encoding, format and delimiter. */
export const sampleBytes = 256 * 1024;

/** A record longer than this almost always means a binary file or a broken quote. */
export const maxRecordChars = 16 * 1024 * 1024;

/**
 * Columns a file may have. Review exports have a handful; 10,000 still import. A million (a
 * wrong delimiter, or a hostile file) made the preview hold every value of every column and
 * answer the wizard with 70 MB, freezing the app for a minute.
 */
export const maxColumns = 20_000;

/** JSON files have no header: the columns are the keys of this many leading records. */
export const columnPeekRecords = 100;

/** Knobs for tests; the app always uses the defaults. */
export interface ReaderTuning {
  chunkSize?: number;
}

export const tooLargeProblem = 'a single record is larger than 16 MB; is this really a text file?';
