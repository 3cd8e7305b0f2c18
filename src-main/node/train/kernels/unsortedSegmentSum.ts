/**
 * `UnsortedSegmentSum` for the wasm backend, which ships without it. tfjs-core's gradient of
 * `gather` calls it, so without this kernel the Embedding layer cannot train on wasm.
 *
 * Plain JS over views of the wasm heap: one pass over the rows, adding each row of `x` into the
 * output row its segment id names. That is O(x.size), against the cpu backend's
 * equal/multiply/sum per segment, which is O(numSegments * x.size) (10,000 segments for a
 * 10,000-word vocabulary).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tfTypes.TensorInfo;

function unsortedSegmentSum(args: Parameters<tfTypes.KernelFunc>[0]): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = args.attrs as unknown as tfTypes.UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 values, not ${x.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  const rowShape = x.shape.slice(idsRank);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  // Views are taken only after makeOutput: allocating can grow the wasm memory, which detaches
  // every typed array made over the old buffer.
  const sums = backend.typedArrayFromHeap(out);
  const values = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  sums.fill(0); // the wasm allocator does not zero memory
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    // Like TensorFlow, negative ids are dropped; like the cpu backend, so are ids >= numSegments.
    if (segment < 0 || segment >= numSegments) continue;
    const to = segment * rowSize;
    const from = i * rowSize;
    for (let j = 0; j < rowSize; j++) sums[to + j] += values[from + j]!;
  }
  return out;
}

export const unsortedSegmentSumWasmConfig: tfTypes.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
