/**
 * The parent side of a training run: creates the run and its snapshot, starts the trainer
 * process, persists what it reports (epochs as they end; predictions, model and metrics in one
 * transaction at the end), and marks the run failed with a readable reason if the process dies.
 * How the process is started is handed in: child_process.fork here, utilityProcess in the app.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../common/errors';
import { HyperparameterError, resolveHyperparameters, type Hyperparameters, type PresetName } from '../../common/hyperparameters';
import { readModelBundle } from '../export/modelBundle';
import type { BatchProgress, EpochMetrics, TrainerEvent, TrainerRequest } from '../../common/trainer';
import type { Project } from '../db/project';
import { Runs, type RunRecord } from '../db/runs';

export interface TrainerHandle {
  /** The process id when known (child_process), for diagnostics and tests. */
  pid?: number;
  send(message: TrainerRequest): void;
  onMessage(listener: (event: TrainerEvent) => void): void;
  /** `detail`: the tail of the process's stderr, for the failure reason. */
  onExit(listener: (code: number | null, signal: string | null, detail: string) => void): void;
  kill(): void;
}
export type SpawnTrainer = () => TrainerHandle;

/** child_process.fork of the trainer entry; from TypeScript sources through tsx. */
export function forkTrainer(entry = fileURLToPath(new URL('../../trainer/index.ts', import.meta.url))): TrainerHandle {
  if (!existsSync(entry)) throw new StudioError('internal', `The trainer entry ${entry} is missing.`);
  const child: ChildProcess = fork(entry, [], {
    serialization: 'advanced',
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return {
    pid: child.pid,
    send: (message) => child.send(message),
    onMessage: (listener) => child.on('message', (m) => listener(m as TrainerEvent)),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal, stderr.trim())),
    kill: () => child.kill(),
  };
}

export interface TrainOptions {
  preset: PresetName;
  overrides?: Record<string, unknown>;
  fromRunId?: number;
  /** Fine-tune an exported bundle (a folder) instead of a run of this project. */
  fromBundle?: string;
  appVersion: string;
}

export interface TrainHooks {
  /** Called synchronously once the run and its snapshot are recorded, before the trainer starts. */
  onCreated?: (run: RunRecord) => void;
  onReady?: (backend: string, run: RunRecord) => void;
  onProgress?: (progress: BatchProgress) => void;
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Cancel: stop after the current batch, keep the best model so far. */
  signal?: AbortSignal;
  /** Stop now (the app is quitting): the trainer is killed and the run marked failed. */
  hardStop?: AbortSignal;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const interesting = lines.filter((l) => /error|memory|abort|killed/i.test(l));
  return (interesting.at(-1) ?? lines.at(-1) ?? '').slice(0, 300);
}

/** Settings that live in a saved model and its tokenizer: fine-tuning keeps the parent's. */
const architectureFields = ['vocabSize', 'minCount', 'maxLen', 'padding', 'truncating', 'lowercase', 'embedDim', 'cell', 'units', 'layers', 'bidirectional', 'pooling', 'masking', 'dropout', 'recurrentDropout'] as const;

function kebab(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The parent's hyperparameters, checked to exist, to hold a model, and to predict these labels. */
function parentHyperparameters(project: Project, runs: Runs, options: TrainOptions, labels: string[]): Record<string, unknown> | null {
  if (options.fromRunId !== undefined) {
    const parent = runs.get(options.fromRunId);
    if (!runs.model(parent.id)) throw new StudioError('not-found', `run ${parent.id} has no saved model to fine-tune (its status is ${parent.status})`);
    return parent.hyperparameters;
  }
  if (options.fromBundle !== undefined) {
    const bundle = readModelBundle(options.fromBundle);
    if (bundle.labels.labels.join(',') !== labels.join(',')) {
      throw new StudioError('invalid-input', `The bundle predicts ${bundle.labels.labels.join(', ')}, but this project's labels are ${labels.join(', ')}.`);
    }
    return bundle.metadata.hyperparameters;
  }
  return null;
}

function resolveRunHyperparameters(options: TrainOptions, parent: Record<string, unknown> | null): Hyperparameters {
  const overrides = options.overrides ?? {};
  try {
    if (!parent) {
      if (overrides['freezeEmbedding'] === true) {
        throw new StudioError('invalid-input', '--freeze-embedding only applies when fine-tuning an existing model (--from).');
      }
      return resolveHyperparameters(options.preset, overrides);
    }
    const fixed = Object.fromEntries(architectureFields.map((f) => [f, parent[f]]));
    for (const field of architectureFields) {
      if (overrides[field] !== undefined && overrides[field] !== fixed[field]) {
        throw new StudioError('invalid-input', `${kebab(field)} cannot change when fine-tuning: the model keeps its architecture and vocabulary (it is ${String(fixed[field])}).`);
      }
    }
    return resolveHyperparameters(options.preset, { ...overrides, ...fixed });
  } catch (error) {
    if (error instanceof HyperparameterError) throw new StudioError('invalid-input', error.message);
    throw error;
  }
}

export async function trainRun(project: Project, options: TrainOptions, hooks: TrainHooks = {}, spawn: SpawnTrainer = forkTrainer): Promise<RunRecord> {
  if (project.readOnly) throw new StudioError('read-only', 'This project is open read-only; training needs to record the run.');
  const runs = new Runs(project.db);
  const labels = project.meta.labels().map((l) => l.name);
  const hp = resolveRunHyperparameters(options, parentHyperparameters(project, runs, options, labels));
  project.splits.assignPending();
  const run = runs.create({
    kind: hp.cell,
    hyperparameters: { preset: options.preset, ...hp },
    seed: hp.seed,
    appVersion: options.appVersion,
    parentRunId: options.fromRunId,
  });
  if (run.snapshotSize === 0) {
    runs.fail(run.id, 'no labelled items');
    throw new StudioError('invalid-input', 'There are no labelled items to train on yet.');
  }
  hooks.onCreated?.(run);
  let trainer: TrainerHandle;
  try {
    trainer = spawn();
  } catch (error) {
    runs.fail(run.id, `the training process could not start: ${(error as Error).message}`);
    throw new StudioError('internal', `The training process could not start: ${(error as Error).message}`);
  }
  return new Promise<RunRecord>((resolve, reject) => {
    let settled = false;
    const settle = (error: StudioError | null) => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', cancel);
      trainer.kill();
      if (error) reject(error);
      else resolve(runs.get(run.id));
    };
    const cancel = () => trainer.send({ type: 'cancel' });
    hooks.signal?.addEventListener('abort', cancel);
    hooks.hardStop?.addEventListener('abort', () => trainer.kill());
    trainer.onMessage((event) => {
      try {
        if (event.type === 'ready') {
          runs.markRunning(run.id, event.backend);
          hooks.onReady?.(event.backend, runs.get(run.id));
        } else if (event.type === 'progress') {
          const { type: _type, runId: _run, ...progress } = event;
          hooks.onProgress?.(progress);
        } else if (event.type === 'epoch') {
          const { type: _type, runId: _run, ...metrics } = event;
          runs.addEpoch(run.id, metrics);
          hooks.onEpoch?.(metrics);
        } else if (event.type === 'done') {
          runs.finish(run.id, event.outcome, labels);
          settle(null);
        } else if (event.type === 'error') {
          runs.fail(run.id, event.message);
          settle(new StudioError('invalid-input', `Training failed: ${event.message}`));
        }
      } catch (error) {
        runs.fail(run.id, (error as Error).message);
        settle(new StudioError('internal', `Recording the run failed: ${(error as Error).message}`));
      }
    });
    trainer.onExit((code, signal, detail) => {
      if (settled) return;
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      const reason = `the training process ${how}${detail ? `: ${lastLine(detail)}` : ''}`;
      runs.fail(run.id, reason);
      settle(new StudioError('internal', `Training failed: ${reason}. The project is unchanged apart from this run being marked failed.`));
    });
    trainer.send({ type: 'start', projectPath: project.path, runId: run.id, hyperparameters: hp, fromRunId: options.fromRunId, fromBundle: options.fromBundle });
    if (hooks.signal?.aborted) cancel();
  });
}
