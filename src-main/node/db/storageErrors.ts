/**
 * SQLite's own words for a failed write ("database or disk is full", "attempt to write a
 * readonly database", "disk I/O error") reach the analyst as an "Unexpected error" unless they
 * are translated. SQLite has rolled the statement back by then, and every write here is one
 * transaction that the caller rolls back too, so each message can say the project is as it was.
 */
import { StudioError } from '../../common/errors';

function sqliteCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/** A StudioError for an SQLite failure the analyst can act on, or null for anything else. */
export function storageFailure(error: unknown, projectPath: string | null): StudioError | null {
  const code = sqliteCode(error);
  if (!code) return null;
  const where = projectPath ?? 'the project';
  const unchanged = 'Nothing of this change was saved; the project is as it was before.';
  if (code === 'SQLITE_FULL') {
    return new StudioError('disk-full', `The disk is full: ${where} has no room to grow. ${unchanged} Free some space on that disk, then try again.`, { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StudioError('read-only', `${where} cannot be written any more (the file or its folder became read-only). ${unchanged} Make it writable, or copy the project to a folder you can write to.`, { cause: error });
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StudioError('internal', `The disk reported an error while saving ${where} (${(error as Error).message}). ${unchanged} Check the disk, then try again.`, { cause: error });
  }
  return null;
}
