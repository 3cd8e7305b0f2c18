/**
 * `Identity` for the wasm backend that shares the input's memory instead of copying it.
 *
 * tfjs-core clones (through Identity) every tensor it saves for the backward pass, and wasm's
 * stock Identity copies: about 48 copies per LSTM time step, 15% of a training step. Tensors are
 * immutable and the wasm backend reference-counts shared memory already (its Reshape shares it
 * this way), as the cpu and webgl backends' Identity do.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tfTypes.TensorInfo;

export function wasmIdentityConfig(stock: Record<'Identity', tfTypes.KernelConfig>): tfTypes.KernelConfig {
  const identity = (args: Parameters<tfTypes.KernelFunc>[0]): TensorInfo => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return stock.Identity.kernelFunc(args) as TensorInfo;
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity };
}
