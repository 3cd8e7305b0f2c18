/**
 * Readers hand records on in batches, one batch per chunk of the file: each async step costs
 * about a microsecond, and a step per record through four layers was a fifth of the time of a
 * JSON Lines import. Only the public stream yields record by record.
 */
export type Batches<T> = AsyncGenerator<T[], void, undefined>;

export interface FilledBatch<T> {
  batch: T[];
  failed: boolean;
  error: unknown;
}

/**
 * Runs `fill` on a fresh batch and catches its error, so the caller can hand on the items that
 * were complete before the bad one and only then throw: a reader fails at the exact record.
 */
export function fillBatch<T>(fill: (out: T[]) => void): FilledBatch<T> {
  const batch: T[] = [];
  try {
    fill(batch);
    return { batch, failed: false, error: undefined };
  } catch (error) {
    return { batch, failed: true, error };
  }
}

/** Batches read ahead (to find the columns) put back in front of the rest. */
export async function* prepend<T>(peeked: T[], rest: Batches<T>): Batches<T> {
  try {
    if (peeked.length > 0) yield peeked;
    yield* rest;
  } finally {
    // yield* only forwards return() while delegating; stopping at the peeked batch must end `rest` too.
    await rest.return(undefined);
  }
}

/** `map` applied to every item; items before one that fails are still handed on. */
export async function* mapBatches<T, U>(batches: Batches<T>, map: (item: T) => U): Batches<U> {
  for await (const batch of batches) {
    const { batch: mapped, failed, error } = fillBatch<U>((out) => {
      for (const item of batch) out.push(map(item));
    });
    if (mapped.length > 0) yield mapped;
    if (failed) throw error;
  }
}

/** A push parser over the decoded text: items complete in a piece go to `out`. */
export interface ChunkParser<T> {
  push(piece: string, out: T[]): void;
  end(out: T[]): void;
}

/** Runs a push parser over chunked text, a batch per chunk; items before an error still go out. */
export async function* parseChunks<T>(text: AsyncIterable<readonly string[]>, parser: ChunkParser<T>): Batches<T> {
  for await (const pieces of text) {
    const { batch, failed, error } = fillBatch<T>((out) => {
      for (const piece of pieces) parser.push(piece, out);
    });
    if (batch.length > 0) yield batch;
    if (failed) throw error;
  }
  const last: T[] = [];
  parser.end(last);
  if (last.length > 0) yield last;
}
