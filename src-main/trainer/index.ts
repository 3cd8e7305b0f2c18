/**
 * The training process entry. The app starts it as an Electron utility process, the CLI and tests
 * with child_process.fork: `process.parentPort` or `process.send`, so one file serves both. The
 * trainer opens the project read-only; the main process stays the single writer.
 */
import { toErrorData } from '../common/errors';
import { trainerRequestSchema, type TrainerEvent } from '../common/trainer';
import { runBaselineJob } from '../node/baseline/job';
import { runTrainingJob } from '../node/train/job';
import { runExplainJob } from '../node/train/explainJob';
import { runCrossvalJob } from '../node/train/crossvalJob';
import { runPredictJob, runScoreJob } from '../node/predict/predictJob';

interface ParentPortLike {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
let cancelled = false;
let busy = false;
let explaining: Promise<void> = Promise.resolve();
let predicting: AbortController | null = null;
const sqliteBinding = process.env['SENTIMENT_STUDIO_SQLITE_BINDING'] || undefined;

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
  if (request.type === 'cancel') {
    cancelled = true;
    predicting?.abort();
    return;
  }
  if (request.type === 'score') {
    const { requestId } = request;
    const abort = new AbortController();
    predicting = abort;
    runScoreJob(request, { signal: abort.signal, sqliteNativeBinding: sqliteBinding, onProgress: (p) => post({ type: 'predict-progress', requestId, ...p }) })
      .then((scored) => post({ type: 'scored', requestId, ...scored }))
      .catch((error: unknown) => post({ type: 'error', requestId, message: toErrorData(error).message }));
    return;
  }
  if (request.type === 'predict') {
    // A predict process scores one file and is then stopped by its parent.
    const { requestId } = request;
    const abort = new AbortController();
    predicting = abort;
    let last = 0;
    runPredictJob(request, {
      signal: abort.signal,
      sqliteNativeBinding: sqliteBinding,
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        post({ type: 'predict-progress', requestId, ...p });
      },
    })
      .then((summary) => post({ type: 'predicted', requestId, summary }))
      .catch((error: unknown) => post({ type: 'error', requestId, message: toErrorData(error).message }));
    return;
  }
  if (request.type === 'explain') {
    // An explainer process answers one request at a time in order; it never trains.
    const { requestId } = request;
    explaining = explaining
      .then(() => runExplainJob(request, sqliteBinding))
      .then((explanation) => post({ type: 'explanation', requestId, explanation }))
      .catch((error: unknown) => post({ type: 'error', requestId, message: toErrorData(error).message }));
    return;
  }
  if (busy) {
    post({ type: 'error', runId: request.runId, message: 'This trainer is already running a job.' });
    return;
  }
  busy = true;
  // A cancel that arrived while idle belongs to no job.
  cancelled = false;
  const job = request.kind === 'baseline' ? runBaselineJob : request.kind === 'crossval' ? runCrossvalJob : runTrainingJob;
  job(request, {
    post,
    isCancelled: () => cancelled,
    sqliteNativeBinding: sqliteBinding,
  })
    .then((outcome) => post({ type: 'done', runId: request.runId, outcome }))
    .catch((error: unknown) => post({ type: 'error', runId: request.runId, message: toErrorData(error).message }))
    .finally(() => {
      busy = false;
      cancelled = false;
    });
}

if (parentPort) parentPort.on('message', (m) => handle(m.data));
else process.on('message', handle);

// Ctrl-C in a terminal reaches the whole process group: only the parent decides to cancel (and
// the trainer then keeps the best model so far). Without a parent, there is nobody to report to.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(0));
