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

/** Reads and checks a bundle's files; every problem names the file. */
export function readModelBundle(dir: string): ModelBundle {
  const read = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new StudioError('not-found', `${dir} is not a model bundle: ${name} is missing.`);
    return readFileSync(path);
  };
  const json = <T>(name: string): T => {
    try {
      return JSON.parse(read(name).toString('utf8')) as T;
    } catch (error) {
      if (StudioError.is(error)) throw error;
      throw new StudioError('bad-file', `${name} in ${dir} is not valid JSON: ${(error as Error).message}`);
    }
  };
  const metadata = json<BundleMetadata>('metadata.json');
  if (metadata.format !== bundleFormat) throw new StudioError('bad-file', `${dir}/metadata.json is not a Sentiment Studio model bundle.`);
  const labels = json<BundleLabels>('labels.json');
  if (!Array.isArray(labels.labels) || labels.labels.length < 2) throw new StudioError('bad-file', `${dir}/labels.json must list at least two labels.`);
  if (metadata.modelFormat === BASELINE_MODEL_FORMAT) {
    const modelJson = read(baselineFileName).toString('utf8');
    json<object>(baselineFileName);
    return { format: BASELINE_MODEL_FORMAT, modelJson, weights: Buffer.alloc(0), tokenizerJson: '{}', labels, metadata };
  }
  const modelJson = read('model.json').toString('utf8');
  json<object>('model.json');
  const tokenizerJson = read('tokenizer.json').toString('utf8');
  json<object>('tokenizer.json');
  return { format: tfjsModelFormat, modelJson, weights: read(weightsFileName), tokenizerJson, labels, metadata };
}
