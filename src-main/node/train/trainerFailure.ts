/**
 * Why a training process failed, in words an analyst can act on. A run that needs more memory
 * than there is fails in one of three ways: the wasm backend refuses a tensor (wasmMemory.ts)
 * and the trainer reports an error; V8 runs out of JavaScript heap and aborts the process with a
 * native stack trace on stderr; or the system's out-of-memory killer ends it with SIGKILL, which
 * looks the same as anyone else ending it. Each becomes a reason that names the settings that
 * size a batch, with their values, rather than "offset is out of bounds" or "node::Abort()".
 */
import { formatCount } from '../../common/format';
import { outOfMemoryMarker } from './wasmMemory';

const memorySigns = [
  new RegExp(outOfMemoryMarker, 'i'),
  /heap out of memory/i,
  /Reached heap limit/i,
  /Array buffer allocation failed/i,
  /Cannot enlarge memory/i,
  /Aborted\(OOM\)/i,
  /WebAssembly\.Memory.*(grow|allocate)/i,
];

export function looksOutOfMemory(text: string): boolean {
  return memorySigns.some((sign) => sign.test(text));
}

/** The settings that decide how much memory one batch takes, as the Train screen names them. */
const memorySettings: [field: string, name: string][] = [
  ['batchSize', 'batch size'],
  ['maxLen', 'maximum length'],
  ['embedDim', 'embedding size'],
  ['units', 'units'],
];

function memoryAdvice(hyperparameters: Record<string, unknown>): string {
  const named = memorySettings
    .filter(([field]) => typeof hyperparameters[field] === 'number')
    .map(([field, name]) => `the ${name} (now ${formatCount(hyperparameters[field] as number)})`);
  if (named.length === 0) return 'use smaller settings, then train again';
  const last = named.pop()!;
  return `lower ${named.length ? `${named.join(', ')} or ${last}` : last}, then train again`;
}

/** The tail of stderr that says something: native stack frames (`12: 0x12a1ae3 …`) say nothing. */
function telling(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\d+: 0x[0-9a-f]+/i.test(l) && !/^-+ .* -+$/.test(l) && !/^<-+.*-+>$/.test(l));
  const interesting = lines.filter((l) => /error|memory|abort|killed/i.test(l));
  return (interesting.at(-1) ?? lines.at(-1) ?? '').slice(0, 300);
}

/** A trainer's own error message (it reported and stopped), made readable when it is about memory. */
export function trainerErrorReason(message: string, hyperparameters: Record<string, unknown>): string {
  if (!looksOutOfMemory(message)) return message;
  const detail = message.replace(/^Unexpected error: /, '');
  return `the training ran out of memory (${detail}); ${memoryAdvice(hyperparameters)}`;
}

/** Why the trainer process ended without reporting: from its exit code or signal and its stderr. */
export function trainerExitReason(code: number | null, signal: string | null, stderr: string, hyperparameters: Record<string, unknown>): string {
  if (looksOutOfMemory(stderr)) {
    return `the training process ran out of memory and stopped (${telling(stderr)}); ${memoryAdvice(hyperparameters)}`;
  }
  const detail = telling(stderr);
  const said = detail ? `: ${detail}` : '';
  if (signal === 'SIGKILL') {
    return (
      `the training process was killed (SIGKILL) before it finished${said}. Something outside the app ended it; ` +
      `the system does so when memory runs out, so if it happens again, ${memoryAdvice(hyperparameters)}`
    );
  }
  if (signal) return `the training process was killed (${signal}) before it finished${said}`;
  return `the training process exited unexpectedly with code ${code}${said}`;
}
