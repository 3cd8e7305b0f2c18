/**
 * A model bundle is a folder anyone can hand the analyst, so nothing in it may decide how much
 * memory the app allocates or which file it reads. Everything here runs on sizes and parsed JSON
 * before weights.bin is read and before tfjs builds a single layer: tfjs sizes its buffers from
 * the weights manifest and initialises every layer the topology names (a forged 10 GB embedding
 * would be allocated, then fail), and the manifest's `paths` are file names we must not follow.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../common/errors';
import { formatCount } from '../../common/format';
import { weightsFileName } from '../train/modelIo';

/**
 * Node reads no larger file in one go, and the largest model the hyperparameter limits allow
 * (a 200,000-token vocabulary x 1,024 dimensions, plus three bidirectional layers) is about 1 GB.
 */
export const maxWeightsBytes = 2 * 1024 ** 3;
/** JSON files become one string, and V8 strings stop at about 512 MB. */
export const maxJsonBytes = 256 * 1024 ** 2;

const bytesPerElement: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function bad(message: string): StudioError {
  return new StudioError('bad-file', message);
}

/** The size of one of the bundle's files, refused before reading when it is missing, a folder or too large. */
export function bundleFileSize(dir: string, name: string, limit: number): number {
  let stat;
  try {
    stat = statSync(join(dir, name));
  } catch {
    throw new StudioError('not-found', `${dir} is not a model bundle: ${name} is missing.`);
  }
  if (!stat.isFile()) throw bad(`${dir}/${name} is not a file.`);
  if (stat.size > limit) {
    throw bad(`${dir}/${name} is ${formatBytes(stat.size)}; a model bundle's ${name} is at most ${formatBytes(limit)}, so it was not read.`);
  }
  return stat.size;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Elements of a shape, capped just above the limit so forged dimensions cannot overflow. */
function elements(shape: number[]): number {
  let n = 1;
  for (const d of shape) n = Math.min(n * d, maxWeightsBytes + 1);
  return n;
}

/** A manifest path is a plain file name beside model.json, and ours is always weights.bin. */
function checkPath(path: unknown, where: string): void {
  if (typeof path !== 'string') throw bad(`${where}: the weightsManifest paths must be file names.`);
  if (path.includes('/') || path.includes('\\') || path.includes('..') || path.includes('\0') || /^[a-z]:/i.test(path)) {
    throw bad(`${where}: the weightsManifest points at '${path}', outside the bundle folder; weights are only read from ${weightsFileName} beside model.json.`);
  }
  if (path !== weightsFileName) {
    throw bad(`${where}: the weightsManifest lists '${path}'; a Sentiment Studio bundle keeps all its weights in ${weightsFileName}.`);
  }
}

function checkSpec(spec: unknown, index: number, where: string): WeightSpec {
  if (!isObject(spec) || typeof spec.name !== 'string' || spec.name === '') {
    throw bad(`${where}: weight ${index + 1} of the weightsManifest has no name.`);
  }
  const { name, shape, dtype } = spec;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw bad(`${where}: the shape of weight '${name}' is ${JSON.stringify(shape)}, not a list of sizes.`);
  }
  if (typeof dtype !== 'string' || !(dtype in bytesPerElement)) {
    throw bad(`${where}: weight '${name}' has dtype ${JSON.stringify(dtype)}; bundles hold float32, int32 or bool weights.`);
  }
  if (spec.quantization !== undefined) throw bad(`${where}: weight '${name}' is quantized; bundles hold full-precision weights.`);
  return { name, shape: shape as number[], dtype };
}

/**
 * model.json against the size of weights.bin: the manifest names weights.bin only, its weights
 * add up to exactly that file, and the topology asks for no more weights than the file holds.
 */
export function checkModelJson(model: unknown, weightsBytes: number, dir: string): void {
  const where = `${dir}/model.json`;
  if (!isObject(model) || !isObject(model.modelTopology)) throw bad(`${where} has no modelTopology; it is not a TensorFlow.js layers model.`);
  const groups = model.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) throw bad(`${where} has no weightsManifest.`);
  const names = new Set<string>();
  let declared = 0;
  let largest: WeightSpec | null = null;
  let paths = 0;
  for (const group of groups) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw bad(`${where}: each weightsManifest entry needs paths and weights.`);
    }
    for (const path of group.paths) checkPath(path, where);
    paths += group.paths.length;
    group.weights.forEach((raw, i) => {
      const spec = checkSpec(raw, i, where);
      if (names.has(spec.name)) throw bad(`${where}: weight '${spec.name}' is listed twice.`);
      names.add(spec.name);
      const bytes = elements(spec.shape) * bytesPerElement[spec.dtype];
      if (!largest || bytes > elements(largest.shape) * bytesPerElement[largest.dtype]) largest = spec;
      declared = Math.min(declared + bytes, maxWeightsBytes + 1);
    });
  }
  if (paths !== 1) throw bad(`${where}: the weightsManifest must name ${weightsFileName} once (it names ${paths} files).`);
  if (declared > maxWeightsBytes) {
    const big = largest as WeightSpec | null;
    throw bad(
      `${where} declares more than ${formatBytes(maxWeightsBytes)} of weights` +
        (big ? ` ('${big.name}' alone has shape [${big.shape.join(', ')}])` : '') +
        '; a bundle this app can load is smaller, so nothing was allocated.',
    );
  }
  if (declared !== weightsBytes) {
    throw bad(
      `${dir}/${weightsFileName} holds ${formatCount(weightsBytes)} bytes but model.json declares ${formatCount(declared)}: ` +
        `${weightsBytes < declared ? `${weightsFileName} is truncated` : 'the two files do not belong together'}.`,
    );
  }
  checkTopologySize(model.modelTopology, weightsBytes, where);
}

/** Gates per recurrent cell: its recurrent kernel alone is units x (gates x units). */
const recurrentGates: Record<string, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

/** The fewest weights a layer can have, from its config alone (0 for layers we cannot tell). */
function minimumWeights(layer: Record<string, unknown>): number {
  const config = isObject(layer.config) ? layer.config : {};
  const size = (key: string) => (Number.isSafeInteger(config[key]) && (config[key] as number) > 0 ? (config[key] as number) : 0);
  switch (layer.class_name) {
    case 'Embedding':
      return Math.min(size('input_dim') * size('output_dim'), maxWeightsBytes + 1);
    case 'Dense':
      return size('units');
    case 'Bidirectional':
      return isObject(config.layer) ? 2 * minimumWeights(config.layer) : 0;
    default: {
      const gates = recurrentGates[String(layer.class_name)];
      return gates ? Math.min(gates * size('units') * size('units'), maxWeightsBytes + 1) : 0;
    }
  }
}

function checkTopologySize(topology: Record<string, unknown>, weightsBytes: number, where: string): void {
  const config = isObject(topology.config) ? topology.config : {};
  const layers = Array.isArray(config.layers) ? config.layers : [];
  for (const layer of layers) {
    if (!isObject(layer)) continue;
    // 4 bytes per weight: each layer's float32 weights are part of the file.
    const bytes = minimumWeights(layer) * 4;
    if (bytes > weightsBytes) {
      const name = typeof layer.name === 'string' ? layer.name : String(layer.class_name);
      throw bad(
        `${where}: layer '${name}' needs at least ${formatBytes(bytes)} of weights but ${weightsFileName} holds ${formatBytes(weightsBytes)}; ` +
          'the model description was changed after export, so the model was not built.',
      );
    }
  }
}
