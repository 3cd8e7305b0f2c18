/**
 * Encoded rows (n × maxLen token ids) in memory, or in a temporary file when a split is too large
 * to hold: a million short reviews at maxLen 128 are 512 MB as Int32, and the process must stay
 * the same size whatever the project's size. Training gathers its shuffled batches row by row from
 * the file (one small read each; the operating system caches what fits) and prediction reads it
 * in contiguous chunks, so only a batch's worth is ever in the process.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { predictProbabilities, predictProbabilitiesWithProgress } from './inference';

type Tf = typeof tfTypes;

/** Rows kept in memory up to this many bytes of Int32 ids per split; larger splits go to a file. */
export const defaultRowMemoryBudget = 64 * 1024 * 1024;

export class RowFile {
  private fd: number | null;
  /** Only set when the file could not be unlinked while open (then it is removed on dispose). */
  private path: string | null;
  private readonly folder: string;
  private readonly wide: boolean;
  private readonly rowBytes: number;
  private readonly one: Uint8Array;
  private written = 0;

  /** `vocabularySize` decides the width: ids below 65,536 take two bytes. */
  constructor(
    readonly n: number,
    readonly maxLen: number,
    vocabularySize: number,
    parent = tmpdir(),
  ) {
    this.wide = vocabularySize > 65_536;
    this.rowBytes = maxLen * (this.wide ? 4 : 2);
    this.one = new Uint8Array(this.rowBytes);
    this.folder = mkdtempSync(join(parent, 'sstudio-rows-'));
    const path = join(this.folder, 'rows.bin');
    this.fd = openSync(path, 'w+');
    // Unlinked while open: the space comes back even when the process is killed. Windows may
    // refuse; then dispose removes it.
    try {
      unlinkSync(path);
      rmSync(this.folder, { recursive: true, force: true });
      this.path = null;
    } catch {
      this.path = path;
    }
  }

  private get handle(): number {
    if (this.fd === null) throw new Error('the encoded rows were already released');
    return this.fd;
  }

  /** Appends `rows` rows of `ids` (row-major, maxLen each). */
  append(ids: Int32Array, rows: number): void {
    if (this.written + rows > this.n) throw new Error(`more rows than the ${this.n} announced`);
    const count = rows * this.maxLen;
    const bytes = new Uint8Array(count * (this.wide ? 4 : 2));
    if (this.wide) new Int32Array(bytes.buffer).set(ids.subarray(0, count));
    else new Uint16Array(bytes.buffer).set(ids.subarray(0, count));
    for (let done = 0; done < bytes.length; ) done += writeSync(this.handle, bytes, done, bytes.length - done, this.written * this.rowBytes + done);
    this.written += rows;
  }

  /** The file's name while it has one (where it could not be unlinked while open), else null. */
  get leftBehind(): string | null {
    return this.path;
  }

  private readExactly(into: Uint8Array, length: number, position: number): void {
    for (let done = 0; done < length; ) {
      const got = readSync(this.handle, into, done, length - done, position + done);
      if (got === 0) throw new Error(`the encoded rows file ends early at byte ${position + done}`);
      done += got;
    }
  }

  private widen(bytes: Uint8Array, values: number, out: Int32Array, at: number): void {
    out.set(this.wide ? new Int32Array(bytes.buffer, 0, values) : new Uint16Array(bytes.buffer, 0, values), at);
  }

  /** Rows `order[start..end)` into `out`, one after another. */
  gather(order: ArrayLike<number>, start: number, end: number, out: Int32Array): void {
    for (let i = start; i < end; i++) {
      this.readExactly(this.one, this.rowBytes, order[i]! * this.rowBytes);
      this.widen(this.one, this.maxLen, out, (i - start) * this.maxLen);
    }
  }

  /** `count` consecutive rows from `start`. */
  range(start: number, count: number): Int32Array {
    const bytes = new Uint8Array(count * this.rowBytes);
    this.readExactly(bytes, bytes.length, start * this.rowBytes);
    const out = new Int32Array(count * this.maxLen);
    this.widen(bytes, count * this.maxLen, out, 0);
    return out;
  }

  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.path !== null) rmSync(this.folder, { recursive: true, force: true });
    this.path = null;
  }
}

/** Row-major ids: an array in memory, or a file of them. */
export type RowIds = Int32Array | RowFile;

/** Rows `order[start..end)` of `ids` into `out`. */
export function gatherRows(ids: RowIds, order: ArrayLike<number>, start: number, end: number, maxLen: number, out: Int32Array): void {
  if (ids instanceof RowFile) return ids.gather(order, start, end, out);
  for (let i = start; i < end; i++) {
    const row = order[i]!;
    out.set(ids.subarray(row * maxLen, (row + 1) * maxLen), (i - start) * maxLen);
  }
}

/** Rows predicted per read from a file: whole prediction batches, so results match the in-memory path exactly. */
function chunkRows(batchSize: number): number {
  return batchSize * Math.max(1, Math.floor(4096 / batchSize));
}

/** Class probabilities for every row (as `predictProbabilities`), reading a file chunk by chunk. */
export function predictRows(tf: Tf, model: tfTypes.LayersModel, ids: RowIds, n: number, maxLen: number, numClasses: number, batchSize: number): Float32Array {
  if (!(ids instanceof RowFile)) return predictProbabilities(tf, model, ids, n, maxLen, numClasses, batchSize);
  const out = new Float32Array(n * numClasses);
  const chunk = chunkRows(batchSize);
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    out.set(predictProbabilities(tf, model, ids.range(start, size), size, maxLen, numClasses, batchSize), start * numClasses);
  }
  return out;
}

/** The same with progress after each batch (as `predictProbabilitiesWithProgress`). */
export async function predictRowsWithProgress(
  tf: Tf,
  model: tfTypes.LayersModel,
  ids: RowIds,
  n: number,
  maxLen: number,
  numClasses: number,
  batchSize: number,
  onProgress: (done: number, total: number) => void,
): Promise<Float32Array> {
  if (!(ids instanceof RowFile)) return predictProbabilitiesWithProgress(tf, model, ids, n, maxLen, numClasses, batchSize, onProgress);
  const out = new Float32Array(n * numClasses);
  const chunk = chunkRows(batchSize);
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const part = await predictProbabilitiesWithProgress(tf, model, ids.range(start, size), size, maxLen, numClasses, batchSize, (done) => onProgress(start + done, n));
    out.set(part, start * numClasses);
  }
  return out;
}

/** Where an encoding pass puts a split's rows: memory below the budget, a file above it. */
export class RowSink {
  private readonly memory: Int32Array | null;
  private readonly file: RowFile | null;
  private rows = 0;

  constructor(
    readonly n: number,
    private readonly maxLen: number,
    vocabularySize: number,
    memoryBudget = defaultRowMemoryBudget,
  ) {
    const inMemory = n * maxLen * 4 <= memoryBudget;
    this.memory = inMemory ? new Int32Array(n * maxLen) : null;
    this.file = inMemory ? null : new RowFile(n, maxLen, vocabularySize);
  }

  append(ids: Int32Array, rows: number): void {
    if (this.file) this.file.append(ids, rows);
    else this.memory!.set(ids.subarray(0, rows * this.maxLen), this.rows * this.maxLen);
    this.rows += rows;
  }

  /** The rows written, once all `n` are. */
  finish(): RowIds {
    if (this.rows !== this.n) throw new Error(`expected ${this.n} encoded rows, got ${this.rows}`);
    return this.file ?? this.memory!;
  }

  dispose(): void {
    this.file?.dispose();
  }
}
