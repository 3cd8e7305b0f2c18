/**
 * The training process entry. The app starts it as an Electron utility process, the CLI and tests
 * with child_process.fork: both give us `process.parentPort` or `process.send`, so the same file
 * serves both. The trainer opens the project read-only; the main process stays the single writer.
 *
 * This issue lays the message protocol only; the training engine plugs into `runJob`.
 */
import { trainerRequestSchema, type TrainerEvent } from '../common/trainer';

interface ParentPortLike {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function post(event: TrainerEvent): void {
  if (parentPort) parentPort.postMessage(event);
  else process.send?.(event);
}

function handle(raw: unknown): void {
  const parsed = trainerRequestSchema.safeParse(raw);
  if (!parsed.success) {
    post({ type: 'error', message: `The trainer received a malformed message: ${parsed.error.issues[0]?.message ?? 'unknown'}` });
    return;
  }
  const request = parsed.data;
  if (request.type === 'cancel') return;
  post({
    type: 'error',
    runId: request.runId,
    message: 'This build has no training engine yet: training arrives with the training-engine issue.',
  });
}

if (parentPort) parentPort.on('message', (m) => handle(m.data));
else process.on('message', handle);
