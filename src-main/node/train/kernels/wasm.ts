/**
 * The kernels Sentiment Studio registers on tfjs-backend-wasm, before the backend starts:
 * - UnsortedSegmentSum, which wasm lacks and the Embedding layer's gradient needs;
 * - faster Slice/Unpack/SplitV, BatchMatMul and Identity, replacing stock kernels whose slow
 *   paths are exactly the ones RNN training hits, and GatherV2, the Embedding lookup (see each file). `stock: true` keeps the stock ones, to
 *   compare or to rule these out when chasing a numerical difference.
 */
import * as tf from '@tensorflow/tfjs';
import type * as tfTypes from '@tensorflow/tfjs';
import { wasmBatchMatMulConfig } from './batchMatMul';
import { wasmGatherV2Config } from './gatherV2';
import { wasmIdentityConfig } from './identity';
import { wasmSliceConfigs } from './slice';
import { unsortedSegmentSumWasmConfig } from './unsortedSegmentSum';

type KernelConfig = tfTypes.KernelConfig;

// The stock kernels ours replace or call.
const stockNames = ['Slice', 'Unpack', 'SplitV', 'BatchMatMul', 'Transpose', 'Identity', 'GatherV2'] as const;
type StockName = (typeof stockNames)[number];

let installed: 'patched' | 'stock' | undefined;

function replace(config: KernelConfig, stock: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, 'wasm');
  // The stock setup (binding the C function) still has to run when the backend starts.
  tf.registerKernel({ ...config, setupFunc: stock.setupFunc, disposeFunc: stock.disposeFunc });
}

/** Idempotent; the first call decides between patched and stock kernels for the process. */
export function installWasmKernels(options: { stock?: boolean } = {}): 'patched' | 'stock' {
  if (installed) return installed;
  // Kept if a later tfjs ships its own.
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) tf.registerKernel(unsortedSegmentSumWasmConfig);
  if (options.stock) return (installed = 'stock');
  const stock = Object.fromEntries(stockNames.map((name) => [name, tf.getKernel(name, 'wasm')])) as Record<StockName, KernelConfig | undefined>;
  if (stockNames.some((name) => !stock[name])) return (installed = 'stock'); // a tfjs we do not know; leave it alone
  const full = stock as Record<StockName, KernelConfig>;
  for (const config of wasmSliceConfigs(full)) replace(config, full[config.kernelName as StockName]);
  replace(wasmBatchMatMulConfig(full), full.BatchMatMul);
  replace(wasmIdentityConfig(full), full.Identity);
  replace(wasmGatherV2Config(full), full.GatherV2);
  return (installed = 'patched');
}
