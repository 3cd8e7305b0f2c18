/**
 * tfjs-backend-wasm does not check its allocations. When its heap cannot grow any further (4 GB
 * at most), the WebAssembly malloc returns 0 and the backend registers the tensor at address 0,
 * over its own heap; and a single tensor of 2 GB or more allocates but breaks the kernels that
 * take it (signed 32-bit byte offsets). Measured with a batch of 500 × 2,000 tokens × 1,024
 * embedding values (a 4.1 GB tensor): 45 s and 9 GB of memory, then "remainder by zero"; with
 * batches of 240 (2 GB): 29 s, then "memory access out of bounds". Neither says what happened.
 * This wraps the backend's malloc so the allocation that cannot work throws, with a message
 * trainerFailure.ts recognises, before anything is written.
 */
import { StudioError } from '../../common/errors';

/** The words trainerFailure.ts looks for in a trainer error to explain it as a memory problem. */
export const outOfMemoryMarker = 'out of memory';

/** The largest tensor the wasm kernels handle: byte offsets must fit a signed 32-bit integer. */
export const wasmMaxTensorBytes = 2 ** 31 - 1;

interface WasmModuleLike {
  _malloc(bytes: number): number;
  /** The module's raw exports; `_malloc` replaces itself with `asm.malloc` on its first call. */
  asm?: { malloc?: (bytes: number) => number };
  studioGuarded?: boolean;
}

function size(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

export function wasmOutOfMemory(bytes: number, why: 'tensor' | 'heap'): StudioError {
  const limit = why === 'tensor' ? 'the WebAssembly backend handles tensors of up to 2 GB' : 'the WebAssembly backend holds 4 GB in all and is full';
  return new StudioError('invalid-input', `${outOfMemoryMarker}: one tensor needs ${size(bytes)}, and ${limit}`);
}

/**
 * Makes the wasm backend's tensor allocations throw when they cannot work. `backend` is
 * tf.backend() after setBackend('wasm'); a backend without a wasm module is left alone.
 */
export function guardWasmAllocations(backend: unknown): void {
  const wasm = (backend as { wasm?: WasmModuleLike }).wasm;
  if (!wasm || typeof wasm._malloc !== 'function' || wasm.studioGuarded) return;
  // The raw export, not `_malloc`: that wrapper overwrites Module._malloc (and so this guard)
  // with the export the first time it runs.
  const raw = wasm.asm?.malloc ?? wasm._malloc;
  wasm._malloc = (bytes: number) => {
    if (bytes > wasmMaxTensorBytes) throw wasmOutOfMemory(bytes, 'tensor');
    const offset = raw(bytes);
    if (offset === 0 && bytes > 0) throw wasmOutOfMemory(bytes, 'heap');
    return offset;
  };
  wasm.studioGuarded = true;
}
