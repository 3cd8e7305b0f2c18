/**
 * `Slice`, `Unpack` and `SplitV` for the wasm backend, copying only the slice.
 *
 * The stock wasm Slice starts with `backend.readSync(x)`, which copies the whole input out of the
 * wasm heap before taking the slice. An RNN unstacks its [time, batch, features] input into
 * `time` slices, so every step copied the entire sequence: O(time²) bytes per layer per batch
 * (100 steps x 1.6 MB = 160 MB at the reference size), about 9% of a training step. Here the
 * slice is copied from a view of the heap instead.
 */
import * as tf from '@tensorflow/tfjs';
import type * as tfTypes from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tfTypes.TensorInfo;
type KernelArgs = Parameters<tfTypes.KernelFunc>[0];

/** Copies the box `begin`..`begin + size` of `source` (row-major, `shape`) into `target`. */
function copyBox(source: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }, shape: number[], begin: number[], size: number[], target: { set(values: ArrayLike<number>, offset: number): void }): void {
  const rank = shape.length; // >= 1: tfjs refuses to slice a scalar
  const strides = tf.util.computeStrides(shape);
  const run = size[rank - 1]!;
  const outer = tf.util.sizeFromShape(size.slice(0, -1));
  const index = new Array<number>(rank - 1).fill(0);
  for (let o = 0, to = 0; o < outer; o++, to += run) {
    let from = begin[rank - 1]!;
    for (let d = 0; d < rank - 1; d++) from += (begin[d]! + index[d]!) * strides[d]!;
    target.set(source.subarray(from, from + run), to);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d]! < size[d]!) break;
      index[d] = 0;
    }
  }
}

function sliceInfo(backend: BackendWasm, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (tf.util.sizeFromShape(size) === 0) return out;
  // Views only after makeOutput: allocating can grow the heap and detach older views.
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

/** `stock` holds the kernels these replace; string tensors, which live outside the heap, go to them. */
export function wasmSliceConfigs(stock: Record<'Slice' | 'Unpack' | 'SplitV', tfTypes.KernelConfig>): tfTypes.KernelConfig[] {
  const slice = (args: KernelArgs): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return stock.Slice.kernelFunc(args) as TensorInfo;
    const attrs = args.attrs as unknown as tfTypes.SliceAttrs;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tfTypes.Tensor, attrs.begin, attrs.size);
    return sliceInfo(args.backend as BackendWasm, x, begin, size);
  };

  const unpack = (args: KernelArgs): TensorInfo[] => {
    const value = args.inputs.value as TensorInfo;
    if (value.dtype === 'string') return stock.Unpack.kernelFunc(args) as TensorInfo[];
    const rank = value.shape.length;
    let { axis } = args.attrs as unknown as tfTypes.UnpackAttrs;
    if (axis < 0) axis += rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]!; i++) {
      begin[axis] = i;
      const part = sliceInfo(args.backend as BackendWasm, value, begin, size);
      outs.push({ dataId: part.dataId, dtype: part.dtype, shape: outShape });
    }
    return outs;
  };

  const splitV = (args: KernelArgs): TensorInfo[] => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return stock.SplitV.kernelFunc(args) as TensorInfo[];
    const { numOrSizeSplits, axis } = args.attrs as unknown as tfTypes.SplitVAttrs;
    const dim = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tfTypes.Tensor, numOrSizeSplits, dim);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[dim] = s;
      const part = sliceInfo(args.backend as BackendWasm, x, begin, size);
      begin[dim]! += s;
      return part;
    });
  };

  return [
    { kernelName: 'Slice', backendName: 'wasm', kernelFunc: slice },
    { kernelName: 'Unpack', backendName: 'wasm', kernelFunc: unpack },
    { kernelName: 'SplitV', backendName: 'wasm', kernelFunc: splitV },
  ];
}
