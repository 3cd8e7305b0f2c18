/**
 * `BatchMatMul` for the wasm backend that keeps transposed products on XNNPACK.
 *
 * The stock kernel hands a product to XNNPACK's SIMD GEMM only when neither side is transposed;
 * otherwise it falls back to a scalar triple loop. Backprop through a matmul is exactly the
 * transposed case (dA = dY·Bᵀ, dB = Aᵀ·dY), so every backward step of an LSTM/GRU took the slow
 * loop, about half of a training step's time. Transposing the operand first (a memory shuffle)
 * and multiplying untransposed is far cheaper.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tfTypes.TensorInfo;
type KernelArgs = Parameters<tfTypes.KernelFunc>[0];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function wasmBatchMatMulConfig(stock: Record<'BatchMatMul' | 'Transpose', tfTypes.KernelConfig>): tfTypes.KernelConfig {
  const transposeInner = (args: KernelArgs, x: TensorInfo): TensorInfo => {
    const rank = x.shape.length;
    const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
    return stock.Transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as TensorInfo;
  };

  const batchMatMul = (args: KernelArgs): TensorInfo => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as unknown as tfTypes.BatchMatMulAttrs;
    // XNNPACK is used only for a single (unbatched) product; batched ones stay on the stock path.
    const single = size(a.shape.slice(0, -2)) === 1 && size(b.shape.slice(0, -2)) === 1;
    if (!single || (!attrs.transposeA && !attrs.transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock.BatchMatMul.kernelFunc(args) as TensorInfo;
    }
    const backend = args.backend as BackendWasm;
    const temporaries: TensorInfo[] = [];
    const aa = attrs.transposeA ? transposeInner(args, a) : a;
    const bb = attrs.transposeB ? transposeInner(args, b) : b;
    if (aa !== a) temporaries.push(aa);
    if (bb !== b) temporaries.push(bb);
    try {
      return stock.BatchMatMul.kernelFunc({
        inputs: { a: aa, b: bb },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false } as unknown as tfTypes.NamedAttrMap,
      }) as TensorInfo;
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };

  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul };
}
