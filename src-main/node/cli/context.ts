/**
 * What every CLI command gets: the same handler map the app uses, output streams, and the
 * `--json` convention (human text on stderr, the last stdout line one JSON object).
 */
import { StudioError } from '../../common/errors';
import type { Channel, InvokeResult, RequestOf, ResponseOf } from '../../common/contract';
import type { StudioService } from '../services';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
}

export class CliContext {
  constructor(
    readonly service: StudioService,
    readonly io: CliIo,
    readonly json: boolean,
    readonly appVersion: string,
  ) {}

  /** Calls a channel and throws its typed error, so commands read top to bottom. */
  async call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
    const result: InvokeResult<C> = await this.service.invoke(channel, payload);
    if (!result.ok) throw new StudioError(result.error.code, result.error.message, { line: result.error.line });
    return result.value;
  }

  /** Human-readable output: stdout normally, stderr under --json. */
  say(text: string): void {
    (this.json ? this.io.stderr : this.io.stdout).write(text + '\n');
  }

  /** Notes about what the command assumed, always on stderr. */
  note(text: string): void {
    this.io.stderr.write(text + '\n');
  }

  result(value: unknown): void {
    if (this.json) this.io.stdout.write(JSON.stringify(value) + '\n');
  }
}

export class UsageError extends Error {}

export function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  '))
    .join('\n');
}
