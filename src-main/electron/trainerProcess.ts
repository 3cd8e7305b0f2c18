/**
 * The trainer as an Electron utility process: the same entry and messages as child_process.fork
 * in plain Node (see node/train/trainerClient.ts), with the Electron-ABI SQLite binding passed on.
 */
import { join } from 'node:path';
import { utilityProcess } from 'electron';
import type { TrainerEvent } from '../common/trainer';
import type { SpawnTrainer } from '../node/train/trainerClient';

const trainerEntry = join(import.meta.dirname, 'trainer.js');

export function utilityTrainer(sqliteNativeBinding: string | undefined): SpawnTrainer {
  return () => {
    const child = utilityProcess.fork(trainerEntry, [], {
      serviceName: 'Sentiment Studio trainer',
      stdio: 'pipe',
      env: { ...process.env, ...(sqliteNativeBinding ? { SENTIMENT_STUDIO_SQLITE_BINDING: sqliteNativeBinding } : {}) },
    });
    // Nothing reads the trainer's stdout; drain it so a chatty library can never block it.
    child.stdout?.resume();
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (m: unknown) => listener(m as TrainerEvent)),
      // utilityProcess reports an exit code only; a crash shows as a non-zero code.
      onExit: (listener) => child.on('exit', (code: number) => listener(code, null, stderr.trim())),
      kill: () => void child.kill(),
    };
  };
}
