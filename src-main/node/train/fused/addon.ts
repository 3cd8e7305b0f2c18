/**
 * Finds and loads the fused recurrent kernels (native/, a Node-API addon built by node-gyp at
 * `npm install`) and decides which recurrent kernels training uses:
 * `SENTIMENT_STUDIO_KERNELS=fused|tfjs` forces one; unset, the addon is used when it loads and
 * tfjs' own op-by-op cells otherwise. Forcing `fused` where it cannot load is an error that says
 * how to build it, never a silent slowdown.
 *
 * Node-API is ABI-stable, so the build for Node also loads in Electron (no electron-rebuild).
 * A packaged app must ship native/build/Release/fused_rnn.node outside the asar archive.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../../common/errors';

export const kernelsEnvVar = 'SENTIMENT_STUDIO_KERNELS';
/** Threads for the fused kernels; default: the cores available, at most `maxDefaultThreads`. */
export const fusedThreadsEnvVar = 'SENTIMENT_STUDIO_FUSED_THREADS';
/** `avx512`, `avx2` or `generic`: a narrower instruction set than the widest supported, for comparison. */
export const fusedIsaEnvVar = 'SENTIMENT_STUDIO_FUSED_ISA';
/** Path of fused_rnn.node, for layouts the search below does not know (a packaged app). */
export const fusedAddonEnvVar = 'SENTIMENT_STUDIO_FUSED_ADDON';

/** Rows are split across threads; past ~8 the per-thread slices of a 64-row batch get too thin to pay. */
export const maxDefaultThreads = 8;
const addonRelativePath = join('native', 'build', 'Release', 'fused_rnn.node');
const buildCommand = 'npm run build:native';

export type Isa = 'avx512' | 'avx2' | 'generic';

export interface FusedCapabilities {
  isa: Isa;
  /** Every instruction set this CPU can run, widest first. */
  isas: Isa[];
  threads: number;
}

/** The raw binding (native/src/addon.c); lengths are checked natively. */
export interface FusedAddon {
  capabilities(): FusedCapabilities;
  configure(threads: number, isa?: Isa): FusedCapabilities;
  forward(
    cell: number,
    dims: Int32Array,
    x: Float32Array,
    kernel: Float32Array,
    recurrentKernel: Float32Array,
    bias: Float32Array,
    mask: Uint8Array | null,
    y: Float32Array,
    gates: Float32Array,
    cells: Float32Array | null,
    hs: Float32Array,
  ): void;
  backward(
    cell: number,
    dims: Int32Array,
    x: Float32Array,
    kernel: Float32Array,
    recurrentKernel: Float32Array,
    mask: Uint8Array | null,
    gates: Float32Array,
    cells: Float32Array | null,
    hs: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dKernel: Float32Array,
    dRecurrentKernel: Float32Array,
    dBias: Float32Array,
  ): void;
}

export type KernelsChoice = 'fused' | 'tfjs';

export interface KernelsSelection {
  choice: KernelsChoice;
  /** For people and run records: `fused (avx512, 2 threads)` or `tfjs`. */
  label: string;
  addon: FusedAddon | null;
  /** Why the fused kernels were passed over when they were not forced off. */
  note?: string;
}

const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
const requireHere = createRequire(join(here, 'index.js'));

let loaded: { addon: FusedAddon } | { error: string } | undefined;
let selected: KernelsSelection | undefined;

/** The addon file: from source (src-main/node/train/fused) and from the bundle (out/main) alike. */
export function findAddon(): string | undefined {
  const override = process.env[fusedAddonEnvVar]?.trim();
  if (override) return resolve(override);
  for (let dir = here, up = 0; up < 7; up++, dir = dirname(dir)) {
    const candidate = join(dir, addonRelativePath);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Loads and configures the addon once per process; a failure is remembered, not retried. */
export function loadFusedAddon(): { addon: FusedAddon } | { error: string } {
  if (loaded) return loaded;
  const path = findAddon();
  if (!path) return (loaded = { error: `${addonRelativePath} was not built` });
  try {
    const addon = requireHere(path) as FusedAddon;
    configureAddon(addon);
    loaded = { addon };
  } catch (error) {
    loaded = { error: `${path} did not load (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  return loaded;
}

function configureAddon(addon: FusedAddon): void {
  const raw = process.env[fusedThreadsEnvVar]?.trim();
  const threads = raw ? Number(raw) : Math.min(availableParallelism(), maxDefaultThreads);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new StudioError('invalid-input', `${fusedThreadsEnvVar}=${raw} is not a thread count: use a whole number from 1.`);
  }
  const isa = process.env[fusedIsaEnvVar]?.trim().toLowerCase() as Isa | undefined;
  const supported = addon.capabilities().isas;
  if (isa && !supported.includes(isa)) {
    throw new StudioError('invalid-input', `${fusedIsaEnvVar}=${isa} is not available on this CPU: use one of ${supported.join(', ')}.`);
  }
  addon.configure(threads, isa || undefined);
}

export function describeFused(addon: FusedAddon): string {
  const { isa, threads } = addon.capabilities();
  return `fused (${isa}, ${threads} thread${threads === 1 ? '' : 's'})`;
}

function unavailable(reason: string, source: string): StudioError {
  return new StudioError(
    'unsupported',
    `The fused recurrent kernels were requested (${source}) but ${reason}. Build them with \`${buildCommand}\` ` +
      `(needs a C compiler and node-gyp; \`npm install\` tries this too), or set ${kernelsEnvVar}=tfjs to train with tfjs' own kernels.`,
  );
}

function wantedKernels(prefer?: KernelsChoice): { choice: KernelsChoice; source: string } | undefined {
  if (prefer) return { choice: prefer, source: `kernels: '${prefer}'` };
  const raw = process.env[kernelsEnvVar]?.trim().toLowerCase();
  if (!raw) return undefined;
  if (raw === 'fused' || raw === 'tfjs') return { choice: raw, source: `${kernelsEnvVar}=${raw}` };
  throw new StudioError('invalid-input', `${kernelsEnvVar}=${raw} is not a kernel set: use fused (native LSTM/GRU) or tfjs, or leave it unset to choose automatically.`);
}

/**
 * Chooses the recurrent kernels; the backend calls this once when it starts. Later calls return
 * the same selection unless `prefer` asks for a different one.
 */
export function selectKernels(prefer?: KernelsChoice): KernelsSelection {
  const wanted = wantedKernels(prefer);
  if (selected && (!wanted || wanted.choice === selected.choice)) return selected;
  if (wanted?.choice === 'tfjs') return (selected = { choice: 'tfjs', label: 'tfjs', addon: null });
  const result = loadFusedAddon();
  if ('error' in result) {
    if (wanted) throw unavailable(result.error, wanted.source);
    return (selected = { choice: 'tfjs', label: 'tfjs', addon: null, note: `fused recurrent kernels unavailable: ${result.error}` });
  }
  return (selected = { choice: 'fused', label: describeFused(result.addon), addon: result.addon });
}

/** The selection made so far, if any (model building follows it). */
export function activeKernels(): KernelsSelection | undefined {
  return selected;
}

/**
 * The addon a model should run on: none for `tfjs`, the loaded one for `fused` (an error if it
 * cannot load), and by default whatever the backend selected when it started.
 */
export function fusedAddonFor(choice?: KernelsChoice): FusedAddon | null {
  if (choice === 'tfjs') return null;
  if (choice === 'fused') {
    const result = loadFusedAddon();
    if ('error' in result) throw unavailable(result.error, `kernels: 'fused'`);
    return result.addon;
  }
  return activeKernels()?.addon ?? null;
}
