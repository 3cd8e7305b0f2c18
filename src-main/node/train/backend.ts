/**
 * Chooses the tfjs backend training runs on: tfjs-node (native libtensorflow) when it is installed
 * and loads, else WebAssembly. Never the pure-JS 'cpu' backend: an LSTM epoch there takes hours,
 * so a backend that cannot start is an error that says what to install, not a silent slowdown.
 *
 * `SENTIMENT_STUDIO_BACKEND=node|wasm` (or `prefer`) forces one; `prefer` wins over the variable.
 * The choice is made once per process: tfjs holds one global engine, so a second call returns the
 * same info, and asking for the other backend afterwards is an error rather than a switch under a
 * running model.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import { StudioError } from '../../common/errors';
import { selectKernels, type KernelsSelection } from './fused/addon';
import { installWasmKernels } from './kernels/wasm';
import { guardWasmAllocations } from './wasmMemory';

export type BackendName = 'tensorflow' | 'wasm';
export type BackendChoice = 'node' | 'wasm';

export interface BackendInfo {
  name: BackendName;
  /** For people: `wasm (SIMD, 1 thread)`, `tfjs-node (libtensorflow 2.9.1)`. */
  label: string;
  tf: typeof tf;
  simd: boolean;
  threads: number;
  /**
   * Whose recurrent kernels run: `fused (avx512, 2 threads)` (native whole-sequence LSTM/GRU,
   * ./fused) or `tfjs` (the layers' own op-by-op cells).
   */
  kernels: string;
  /** Why a faster backend was passed over, when one was (tfjs-node installed but broken). */
  note?: string;
}

export interface BackendOptions {
  prefer?: BackendChoice;
  /** Folder holding tfjs-backend-wasm's `.wasm` files; defaults to the installed package's dist. */
  wasmDir?: string;
}

/**
 * The backend and the recurrent kernels in one line, as runs record them and screens show them:
 * `wasm (SIMD, 1 thread) · fused (avx512, 2 threads) recurrent kernels`.
 */
export function backendDescription(info: BackendInfo): string {
  return `${info.label} · ${info.kernels} recurrent kernels`;
}

/** What a run record or model bundle keeps about the backend: plain JSON. */
export interface BackendRecord {
  backend: BackendName;
  label: string;
  simd: boolean;
  threads: number;
  kernels: string;
  tfjs: string;
}

export const backendEnvVar = 'SENTIMENT_STUDIO_BACKEND';
export const wasmDirEnvVar = 'SENTIMENT_STUDIO_WASM_DIR';
/** `stock` keeps tfjs-backend-wasm's own Slice/BatchMatMul kernels instead of ours (kernels/wasm.ts). */
export const wasmKernelsEnvVar = 'SENTIMENT_STUDIO_WASM_KERNELS';

const tfjsNodePackage = '@tensorflow/tfjs-node';
const wasmPackage = '@tensorflow/tfjs-backend-wasm';
const installNode = `npm install ${tfjsNodePackage}`;
const backendOfChoice: Record<BackendChoice, BackendName> = { node: 'tensorflow', wasm: 'wasm' };

// require() rather than import(): vitest and bundlers rewrite import() of a package they cannot
// see at build time, while tfjs-node is an optional CommonJS addon resolved at run time.
// `import.meta.url` is missing only if this file is ever bundled to CommonJS.
const requireHere = createRequire(import.meta.url ?? join(process.cwd(), 'index.js'));

let starting: Promise<BackendInfo> | undefined;
let active: BackendInfo | undefined;

export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const wanted = wantedBackend(options);
  // Checked before anything else so the answer is the same whatever already runs: a request for
  // tfjs-node where it is not installed always says how to install it.
  if (wanted?.choice === 'node' && !isInstalled(tfjsNodePackage)) throw nodeMissing(wanted.source);
  starting ??= start(wanted?.choice, options).then(
    (info) => (active = info),
    (error: unknown) => {
      starting = undefined; // a failed start may be retried (say, with a wasmDir that exists)
      throw error;
    },
  );
  const info = await starting;
  if (wanted && info.name !== backendOfChoice[wanted.choice]) {
    throw new StudioError(
      'unsupported',
      `Training already runs on ${info.label} in this process; the backend is chosen once, before the first run. ` +
        `Restart with ${backendEnvVar}=${wanted.choice} to use ${wanted.choice === 'node' ? 'tfjs-node' : 'WebAssembly'}.`,
    );
  }
  return info;
}

/** The backend initBackend chose, if it has run. */
export function activeBackend(): BackendInfo | undefined {
  return active;
}

export function backendRecord(info: BackendInfo): BackendRecord {
  return { backend: info.name, label: info.label, simd: info.simd, threads: info.threads, kernels: info.kernels, tfjs: tf.version.tfjs };
}

function wantedBackend(options: BackendOptions): { choice: BackendChoice; source: string } | undefined {
  if (options.prefer) return { choice: options.prefer, source: `prefer: '${options.prefer}'` };
  const raw = process.env[backendEnvVar]?.trim().toLowerCase();
  if (!raw) return undefined;
  if (raw === 'node' || raw === 'wasm') return { choice: raw, source: `${backendEnvVar}=${raw}` };
  throw new StudioError('invalid-input', `${backendEnvVar}=${raw} is not a training backend: use node (tfjs-node) or wasm (WebAssembly), or leave it unset to choose automatically.`);
}

async function start(choice: BackendChoice | undefined, options: BackendOptions): Promise<BackendInfo> {
  // First, so that fused kernels forced but missing fail before any backend starts.
  const kernels = selectKernels();
  let note: string | undefined;
  if (choice !== 'wasm' && isInstalled(tfjsNodePackage)) {
    try {
      return withKernels(await startNode(), kernels);
    } catch (error) {
      if (choice === 'node') throw error;
      note = `${tfjsNodePackage} is installed but did not load (${messageOf(error)}); training on WebAssembly instead.`;
    }
  }
  const info = withKernels(await startWasm(options, choice === undefined), kernels);
  return note ? { ...info, note: info.note ? `${note} ${info.note}` : note } : info;
}

/** The recurrent kernels are chosen with the backend, so run records name both. */
function withKernels(info: BackendInfo, kernels: KernelsSelection): BackendInfo {
  return kernels.note ? { ...info, kernels: kernels.label, note: kernels.note } : { ...info, kernels: kernels.label };
}

async function startNode(): Promise<BackendInfo> {
  try {
    // Registers the 'tensorflow' backend on the @tensorflow/tfjs it requires and selects it.
    requireHere(tfjsNodePackage);
  } catch (error) {
    throw new StudioError(
      'unsupported',
      `${tfjsNodePackage} is installed but failed to load: ${messageOf(error)}. Rebuild it for this runtime ` +
        `(\`npm rebuild ${tfjsNodePackage} --build-addon-from-source\`; for Electron \`npx electron-rebuild -f -w ${tfjsNodePackage}\`), ` +
        `or unset ${backendEnvVar} to train on WebAssembly.`,
      { cause: error },
    );
  }
  if (!tf.findBackend('tensorflow') || !(await tf.setBackend('tensorflow'))) {
    throw new StudioError(
      'unsupported',
      `${tfjsNodePackage} loaded but registered its backend on another copy of @tensorflow/tfjs. ` +
        `Install the same version of @tensorflow/tfjs and ${tfjsNodePackage} (\`npm ls @tensorflow/tfjs-core\` shows the copies).`,
    );
  }
  const binding = (tf.backend() as { binding?: { TF_Version?: string } }).binding;
  const version = binding?.TF_Version;
  return {
    name: 'tensorflow',
    label: `tfjs-node (libtensorflow ${version ?? 'version unknown'})`,
    tf,
    // libtensorflow's CPU build uses AVX and sizes its own thread pools to the machine.
    simd: true,
    threads: availableParallelism(),
    kernels: 'tfjs',
  };
}

async function startWasm(options: BackendOptions, nodeWasAnOption: boolean): Promise<BackendInfo> {
  const instead = nodeWasAnOption ? ` (or \`${installNode}\` to train on native TensorFlow)` : '';
  const dir = wasmDir(options, instead);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const binary = join(dir, simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm');
  if (!existsSync(binary)) {
    throw new StudioError(
      'not-found',
      `The WebAssembly training backend is missing ${binary}. Reinstall ${wasmPackage} (\`npm install\`) or set ${wasmDirEnvVar} ` +
        `to the folder holding its .wasm files${instead}.`,
    );
  }
  // A path prefix, not a URL: under Node the wasm loader reads it with fs.
  tfWasm.setWasmPaths(dir.endsWith(sep) ? dir : dir + sep);
  const kernelSet = installWasmKernels({ stock: process.env[wasmKernelsEnvVar]?.trim().toLowerCase() === 'stock' });
  let started = false;
  try {
    started = await tf.setBackend('wasm');
  } catch {
    started = false;
  }
  if (!started) {
    throw new StudioError(
      'unsupported',
      `The WebAssembly training backend did not start from ${dir} (tfjs printed the reason above). ` +
        `Reinstall ${wasmPackage} (\`npm install\`)${instead}.`,
    );
  }
  guardWasmAllocations(tf.backend());
  // Threads stay at 1 under Node: tfjs-backend-wasm only enables its threaded build in browsers
  // (its worker is a blob: URL, which Node's worker_threads refuses).
  const threads = tfWasm.getThreadsCount();
  return {
    name: 'wasm',
    label: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}${kernelSet === 'stock' ? ', stock kernels' : ''})`,
    tf,
    simd,
    threads,
    kernels: 'tfjs',
  };
}

function wasmDir(options: BackendOptions, instead: string): string {
  const override = options.wasmDir ?? process.env[wasmDirEnvVar]?.trim();
  if (override) return resolve(override);
  try {
    // The package's main is dist/tf-backend-wasm.node.js, next to the .wasm files. Resolved from
    // this file, so it works from source (tsx, vitest) and from the bundle in out/main alike.
    return dirname(requireHere.resolve(wasmPackage));
  } catch (error) {
    throw new StudioError('not-found', `${wasmPackage} is not installed. Run \`npm install\`${instead}.`, { cause: error });
  }
}

function isInstalled(specifier: string): boolean {
  try {
    requireHere.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

function nodeMissing(source: string): StudioError {
  return new StudioError(
    'unsupported',
    `The native TensorFlow backend was requested (${source}) but ${tfjsNodePackage} is not installed. ` +
      `Install it with \`${installNode}\` (its install downloads libtensorflow), or choose wasm, the WebAssembly backend that needs no install.`,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
