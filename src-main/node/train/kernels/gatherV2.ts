/**
 * `GatherV2` for the wasm backend, copying whole slices instead of single elements.
 *
 * The Embedding layer is a gather of vocabulary rows. The stock wasm kernel walks the output one
 * element at a time through stride arithmetic, which made the embedding lookup of the `accurate`
 * preset (64 reviews × 400 tokens × 128 floats) cost twice the fused BiGRU forward pass it feeds
 * (about 150 ms against 75 ms per batch). A row gather is a run of contiguous copies, so here each
 * slice is one `TypedArray.set` from a view of the heap.
 */
import * as tf from '@tensorflow/tfjs';
import type * as tfTypes from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tfTypes.TensorInfo;
type KernelArgs = Parameters<tfTypes.KernelFunc>[0];

export function wasmGatherV2Config(stock: Record<'GatherV2', tfTypes.KernelConfig>): tfTypes.KernelConfig {
  const gatherV2 = (args: KernelArgs): TensorInfo => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    if (x.dtype === 'string') return stock.GatherV2.kernelFunc(args) as TensorInfo;
    const backend = args.backend as BackendWasm;
    const { axis, batchDims } = args.attrs as unknown as tfTypes.GatherV2Attrs;
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as tfTypes.Tensor, indices as tfTypes.Tensor, parsedAxis, batchDims);
    const out = backend.makeOutput(info.outputShape, x.dtype);
    if (tf.util.sizeFromShape(info.outputShape) === 0) return out;
    // Views only after makeOutput: allocating can grow the heap and detach older views.
    const source = backend.typedArrayFromHeap(x);
    const ids = backend.typedArrayFromHeap(indices);
    const target = backend.typedArrayFromHeap(out);
    const { batchSize, outerSize, dimSize, sliceSize } = info;
    const perBatch = ids.length / batchSize;
    for (let i = 0; i < ids.length; i++) {
      const index = ids[i]!;
      // The stock kernel's check and message, so an out-of-vocabulary id fails the same way.
      tf.util.assert(index <= dimSize - 1 && index >= 0, () => `GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
    }
    let to = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let o = 0; o < outerSize; o++) {
        const base = (b * outerSize + o) * dimSize;
        for (let i = 0; i < perBatch; i++, to += sliceSize) {
          const from = (base + ids[b * perBatch + i]!) * sliceSize;
          if (sliceSize === 1) target[to] = source[from]!;
          else target.set(source.subarray(from, from + sliceSize), to);
        }
      }
    }
    return out;
  };
  return { kernelName: 'GatherV2', backendName: 'wasm', kernelFunc: gatherV2 };
}
