/**
 * The model bundle (ARCHITECTURE.md): model.json + weights.bin (standard tfjs LayersModel files,
 * no custom classes), tokenizer.json, labels.json, metadata.json and a README. A baseline run's
 * bundle holds baseline.json (weights, n-gram vocabulary, tokenizer settings) instead of the three
 * tfjs files. Written to a temporary folder beside the target and renamed, so a failed export
 * leaves nothing half-written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { StudioError } from '../../common/errors';
import type { Project } from '../db/project';
import { BASELINE_MODEL_FORMAT } from '../../common/baseline';
import { baselineReadme } from '../baseline/readme';
import { deserializeBaseline } from '../baseline/model';
import { Runs, type RunRecord, type SavedModel } from '../db/runs';
import { tfjsModelFormat, weightsFileName } from '../train/modelIo';
import { bundleReadme } from './bundleReadme';
import { bundleFileSize, checkModelJson, maxJsonBytes, maxWeightsBytes } from './bundleCheck';
import { Tokenizer } from '../text/tokenizer';

export const bundleFormat = 'sentiment-studio-model';
export const baselineFileName = 'baseline.json';

export interface BundleLabels {
  labels: string[];
  /** `sigmoid`: one output, the probability of `labels[1]`; `softmax`: one output per label. */
  output: 'sigmoid' | 'softmax';
}

export interface BundleMetadata {
  format: typeof bundleFormat;
  version: 1;
  runId: number;
  projectName: string;
  createdAt: string;
  appVersion: string;
  backend: string | null;
  hyperparameters: Record<string, unknown>;
  snapshotHash: string;
  snapshotSize: number;
  metrics: RunRecord['metrics'];
  status: RunRecord['status'];
  parentRunId: number | null;
  /** 'tfjs-layers' or 'nbsvm-json' (absent in bundles written before baselines existed: tfjs). */
  modelFormat?: string;
}

/**
 * Overwriting replaces only a folder that is itself a model bundle (or empty): never a folder
 * holding the project, never an arbitrary folder the analyst picked by mistake.
 */
function checkBundleTarget(projectPath: string, outDir: string, overwrite: boolean): void {
  const target = resolve(outDir);
  const project = resolve(projectPath);
  if (project === target || project.startsWith(target + sep)) {
    throw new StudioError('invalid-input', `${outDir} holds the project file; choose another folder for the model.`);
  }
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new StudioError('invalid-input', `${outDir} is a file; choose a folder for the model.`);
  const entries = readdirSync(target);
  if (entries.length === 0) return;
  let isBundle = false;
  try {
    isBundle = (JSON.parse(readFileSync(join(target, 'metadata.json'), 'utf8')) as { format?: string }).format === bundleFormat;
  } catch {
    isBundle = false;
  }
  if (!isBundle) throw new StudioError('invalid-input', `${outDir} is not empty and is not a model bundle; choose an empty or new folder.`);
  if (!overwrite) throw new StudioError('invalid-input', `${outDir} already holds a model bundle; choose another folder or allow overwriting.`);
}

export function writeModelBundle(project: Project, runId: number, outDir: string, options: { appVersion: string; overwrite?: boolean }): { path: string; files: string[] } {
  const runs = new Runs(project.db);
  const run = runs.get(runId);
  const model = runs.model(runId);
  if (!model) throw new StudioError('not-found', `run ${runId} has no saved model (status: ${run.status})`);
  checkBundleTarget(project.path, outDir, options.overwrite ?? false);
  const labels = project.meta.labels().map((l) => l.name);
  const baseline = model.format === BASELINE_MODEL_FORMAT;
  const modelFiles: Record<string, string | Buffer> = baseline
    ? { [baselineFileName]: model.modelJson }
    : { 'model.json': model.modelJson, [weightsFileName]: model.weights, 'tokenizer.json': model.tokenizerJson };
  const files: Record<string, string | Buffer> = {
    ...modelFiles,
    'labels.json': JSON.stringify({ labels, output: labels.length === 2 ? 'sigmoid' : 'softmax' } satisfies BundleLabels, null, 2),
    'metadata.json': JSON.stringify(
      {
        format: bundleFormat,
        version: 1,
        runId,
        projectName: project.meta.name(),
        createdAt: new Date().toISOString(),
        appVersion: options.appVersion,
        backend: run.backend,
        hyperparameters: run.hyperparameters,
        snapshotHash: run.snapshotHash,
        snapshotSize: run.snapshotSize,
        metrics: run.metrics,
        status: run.status,
        parentRunId: run.parentRunId,
        modelFormat: model.format,
      } satisfies BundleMetadata,
      null,
      2,
    ),
    'README.md': baseline ? baselineReadme(deserializeBaseline(model.modelJson)) : bundleReadme(labels, run),
  };
  const parent = dirname(outDir);
  if (!existsSync(parent)) throw new StudioError('not-found', `The folder ${parent} does not exist.`);
  const temp = join(parent, `.${basename(outDir)}.partial-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  try {
    mkdirSync(temp);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(temp, name), content);
    if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
    renameSync(temp, outDir);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw new StudioError('internal', `Writing the model bundle to ${outDir} failed: ${(error as Error).message}`, { cause: error });
  }
  return { path: outDir, files: Object.keys(files) };
}

export type ModelBundle = SavedModel & { labels: BundleLabels; metadata: BundleMetadata };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields the app reads from metadata.json (bundle:inspect, fine-tuning), with their types. */
function checkMetadata(metadata: unknown, dir: string): BundleMetadata {
  if (!isObject(metadata) || metadata.format !== bundleFormat) throw new StudioError('bad-file', `${dir}/metadata.json is not a Sentiment Studio model bundle.`);
  const wrong = (field: string, what: string) => new StudioError('bad-file', `${dir}/metadata.json: ${field} must be ${what}.`);
  if (!isObject(metadata.hyperparameters)) throw wrong('hyperparameters', 'an object');
  if (!Number.isSafeInteger(metadata.runId)) throw wrong('runId', 'a whole number');
  for (const field of ['projectName', 'createdAt']) if (typeof metadata[field] !== 'string') throw wrong(field, 'text');
  if (metadata.metrics !== null && metadata.metrics !== undefined && !isObject(metadata.metrics)) throw wrong('metrics', 'an object');
  if (metadata.modelFormat !== undefined && typeof metadata.modelFormat !== 'string') throw wrong('modelFormat', 'text');
  return metadata as unknown as BundleMetadata;
}

function checkLabels(labels: unknown, dir: string): BundleLabels {
  const list = isObject(labels) ? labels.labels : undefined;
  if (!Array.isArray(list) || list.length < 2) throw new StudioError('bad-file', `${dir}/labels.json must list at least two labels.`);
  if (!list.every((l) => typeof l === 'string' && l.trim() !== '') || new Set(list).size !== list.length) {
    throw new StudioError('bad-file', `${dir}/labels.json must list distinct label names.`);
  }
  const output = list.length === 2 ? 'sigmoid' : 'softmax';
  if ((labels as Record<string, unknown>).output !== output) {
    throw new StudioError('bad-file', `${dir}/labels.json: ${list.length} labels need a ${output} output.`);
  }
  return labels as unknown as BundleLabels;
}

/**
 * Reads and checks a bundle's files; every problem names the file. Sizes and structure are
 * checked (bundleCheck.ts) before weights.bin is read, so a forged bundle costs no memory.
 */
export function readModelBundle(dir: string): ModelBundle {
  const text = (name: string) => {
    bundleFileSize(dir, name, maxJsonBytes);
    return readFileSync(join(dir, name), 'utf8');
  };
  const parse = (name: string, content: string): unknown => {
    try {
      return JSON.parse(content);
    } catch (error) {
      throw new StudioError('bad-file', `${name} in ${dir} is not valid JSON: ${(error as Error).message}`);
    }
  };
  const json = (name: string) => parse(name, text(name));
  const metadata = checkMetadata(json('metadata.json'), dir);
  const labels = checkLabels(json('labels.json'), dir);
  if (metadata.modelFormat === BASELINE_MODEL_FORMAT) {
    const modelJson = text(baselineFileName);
    try {
      deserializeBaseline(parse(baselineFileName, modelJson));
    } catch (error) {
      if (StudioError.is(error)) throw new StudioError(error.code, `${dir}: ${error.message}`);
      throw error;
    }
    return { format: BASELINE_MODEL_FORMAT, modelJson, weights: Buffer.alloc(0), tokenizerJson: '{}', labels, metadata };
  }
  const modelJson = text('model.json');
  const weightsBytes = bundleFileSize(dir, weightsFileName, maxWeightsBytes);
  checkModelJson(parse('model.json', modelJson), weightsBytes, dir);
  const tokenizerJson = text('tokenizer.json');
  const tokenizer = parse('tokenizer.json', tokenizerJson);
  try {
    Tokenizer.fromJSON(tokenizer);
  } catch (error) {
    if (StudioError.is(error) && error.code === 'bad-file' && error.message.startsWith('tokenizer.json')) {
      throw new StudioError('bad-file', `${dir}/${error.message}`);
    }
    throw error;
  }
  const weights = readFileSync(join(dir, weightsFileName));
  // The file may have changed since it was measured; what is read is what must match.
  if (weights.length !== weightsBytes) throw new StudioError('bad-file', `${dir}/${weightsFileName} changed while it was being read.`);
  return { format: tfjsModelFormat, modelJson, weights, tokenizerJson, labels, metadata };
}
