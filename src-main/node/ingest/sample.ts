/**
 * Detection needs the first bytes of the content, but gzip streams cannot be rewound and reopening
 * the file would read it twice. So the leading chunks are held back and replayed in front of the
 * rest of the stream: one pass over the file, whatever the detection looks at.
 */

export interface Sampled {
  /** The first `size` bytes (fewer when the content is shorter). */
  sample: Buffer;
  /** True when the sample is the whole content. */
  complete: boolean;
  /** All content chunks, the sampled ones first. Iterate once. */
  chunks: AsyncGenerator<Buffer>;
}

export async function takeSample(source: AsyncGenerator<Buffer>, size: number): Promise<Sampled> {
  const held: Buffer[] = [];
  let heldBytes = 0;
  let complete = false;
  while (heldBytes < size) {
    const next = await source.next();
    if (next.done) {
      complete = true;
      break;
    }
    held.push(next.value);
    heldBytes += next.value.length;
  }
  const all = held.length === 1 ? held[0] : Buffer.concat(held);
  return {
    sample: all.length > size ? all.subarray(0, size) : all,
    complete,
    chunks: replay(held, source),
  };
}

const emptyChunk = Buffer.alloc(0);

async function* replay(held: Buffer[], rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  try {
    for (let i = 0; i < held.length; i++) {
      const chunk = held[i];
      held[i] = emptyChunk; // let the sampled megabytes go once the readers have them
      yield chunk;
    }
    yield* rest;
  } finally {
    // yield* only forwards return() while it is delegating; stopping inside the held chunks must
    // still end the source so its stream is released.
    await rest.return(undefined);
  }
}
