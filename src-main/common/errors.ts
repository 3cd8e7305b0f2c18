/**
 * Errors that cross a boundary (IPC, CLI, trainer) carry a stable code and a message an analyst
 * can act on. Anything else that escapes is a bug and is reported as `internal`.
 */
import { formatCount } from './format';

export const errorCodes = [
  'invalid-request', // a payload failed its schema at the IPC boundary
  'invalid-input', // a user-supplied value is out of range or malformed
  'bad-file', // an import file is malformed (carries the line)
  'unsupported', // a format, encoding or feature this version cannot handle
  'not-found', // a file, item, run or project that does not exist
  'no-project', // a request that needs an open project arrived without one
  'project-newer', // the project file was written by a newer schema version
  'not-a-project', // the file is not a Sentiment Studio project
  'read-only', // the project is open read-only
  'busy', // another long operation holds the project
  'cancelled', // the user cancelled a long operation
  'disk-full', // the disk holding the project has no room left for a write (nothing was saved)
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface StudioErrorData {
  code: ErrorCode;
  message: string;
  /** 1-based line (or spreadsheet row) of an input file the error is about. */
  line?: number;
}

export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly line?: number;

  constructor(code: ErrorCode, message: string, options?: { line?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StudioError';
    this.code = code;
    if (options?.line !== undefined) this.line = options.line;
  }

  toData(): StudioErrorData {
    return this.line === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, line: this.line };
  }

  static is(value: unknown): value is StudioError {
    return value instanceof StudioError;
  }
}

/** `line 1,204: unterminated quote` — the line number formatted the way analysts read it. */
export function lineError(line: number, problem: string): StudioError {
  return new StudioError('bad-file', `line ${formatCount(line)}: ${problem}`, { line });
}

export function toErrorData(error: unknown): StudioErrorData {
  if (StudioError.is(error)) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
