/** How formats, encodings, delimiters, sizes and durations read on screen. */
import type { Delimiter, FileFormat, TextEncoding } from '@common/ingest';
import { i18n, t } from '../../lib/i18n.svelte';
import type { MessageKey } from '../../messages';

export function formatName(format: FileFormat): string {
  return t(`import.format.${format}` satisfies MessageKey);
}

export function encodingName(encoding: TextEncoding): string {
  return t(`import.encoding.${encoding}` satisfies MessageKey);
}

const delimiterKeys: Record<Delimiter, MessageKey> = {
  ',': 'import.delimiter.comma',
  '\t': 'import.delimiter.tab',
  ';': 'import.delimiter.semicolon',
  '|': 'import.delimiter.pipe',
};

export function delimiterName(delimiter: Delimiter): string {
  return t(delimiterKeys[delimiter]);
}

const units = ['B', 'KB', 'MB', 'GB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(i18n.locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** `850 ms`, `4 s`, `2 min 5 s`: precise for the summary, coarse enough for an estimate. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
