/**
 * Which reader a file needs. Magic bytes beat the extension, the extension beats the content, and
 * content sniffing is the last resort for `.txt` and unknown names, where it must not mistake an
 * ordinary list of reviews (full of commas) for a table.
 */
import { extname } from 'node:path';
import { StudioError } from '../../common/errors';
import type { Delimiter, FileFormat, ReadOptions } from '../../common/ingest';
import type { FileMagic } from './byte-source';
import { sniffDelimiter } from './delimiter-sniff';
import { oneJsonObjectProblem } from './json-records';

export interface TextFormat {
  format: Exclude<FileFormat, 'xlsx'>;
  delimiter: Delimiter | null;
  /** JSON Lines taken from a `.json` name or a leading `{`: the file may be one JSON object instead. */
  guessedJsonLines: boolean;
}

/** Formats that magic bytes alone decide; null when the content has to be decoded first. */
export function formatFromMagic(magic: FileMagic, path: string, options: ReadOptions): 'xlsx' | null {
  if (options.format) return options.format === 'xlsx' ? 'xlsx' : null;
  if (magic === 'zip') return 'xlsx';
  if (magic === 'ole') {
    throw new StudioError('unsupported', 'old Excel .xls files cannot be read; save the sheet as .xlsx or CSV');
  }
  if (innerExtension(path) === '.xlsx' && magic !== 'gzip') {
    throw new StudioError('bad-file', 'this .xlsx file is not a valid Excel workbook');
  }
  return null;
}

/** `sample` is the decoded leading text; `complete` says it is all of it. */
export function detectTextFormat(path: string, sample: string, complete: boolean, options: ReadOptions): TextFormat {
  const format = options.format ?? formatFromName(path, sample) ?? formatFromContent(sample, complete);
  if (format === 'xlsx') throw new Error('xlsx is not a text format');
  if (format === 'jsonl') {
    const extension = innerExtension(path);
    const guessedJsonLines = !options.format && extension !== '.jsonl' && extension !== '.ndjson';
    if (guessedJsonLines && firstObjectSpansLines(sample)) throw new StudioError('bad-file', oneJsonObjectProblem);
    return { format, delimiter: null, guessedJsonLines };
  }
  if (format !== 'csv' && format !== 'tsv') return { format, delimiter: null, guessedJsonLines: false };
  const delimiter =
    options.delimiter ?? (format === 'tsv' ? '\t' : (sniffDelimiter(sample, complete)?.delimiter ?? ','));
  // A tab-separated file saved as .csv is still read as what it is.
  return { format: options.format ? format : delimiter === '\t' ? 'tsv' : 'csv', delimiter, guessedJsonLines: false };
}

/**
 * A JSON Lines record ends on the line it starts on. An object that opens with a key and runs on
 * past its first line is a pretty-printed document such as `{"reviews": [...]}`. (One that fits on
 * its line but is the only one in the file is caught when the records are read.)
 */
function firstObjectSpansLines(sample: string): boolean {
  const start = firstNonSpaceIndex(sample, 0);
  if (sample[start] !== '{' || sample[firstNonSpaceIndex(sample, start + 1)] !== '"') return false;
  let depth = 0;
  let inString = false;
  for (let i = start; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0) return false;
  }
  return false;
}

function formatFromName(path: string, sample: string): FileFormat | null {
  switch (innerExtension(path)) {
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.json':
      return firstNonSpace(sample, 0) === '[' ? 'json' : 'jsonl';
    case '.tsv':
    case '.tab':
      return 'tsv';
    case '.csv':
      return 'csv';
    default:
      return null;
  }
}

function formatFromContent(sample: string, complete: boolean): FileFormat {
  const first = firstNonSpace(sample, 0);
  if (first === '{') return 'jsonl';
  // `[Spoiler] ...` opens plenty of reviews; an array of records opens with `[{` or `[]`.
  if (first === '[') {
    const next = firstNonSpace(sample, sample.indexOf('[') + 1);
    if (next === '' || next === '{' || next === '[' || next === ']' || next === '"') return 'json';
  }
  const sniffed = sniffDelimiter(sample, complete);
  if (sniffed && sniffed.rows >= 2 && sniffed.consistency >= 0.9) return sniffed.delimiter === '\t' ? 'tsv' : 'csv';
  return 'text';
}

/** The extension that names the content: `reviews.jsonl.gz` is JSON Lines. */
function innerExtension(path: string): string {
  const lower = path.toLowerCase();
  return extname(lower.endsWith('.gz') ? lower.slice(0, -3) : lower);
}

function firstNonSpace(text: string, from: number): string {
  return text[firstNonSpaceIndex(text, from)] ?? '';
}

function firstNonSpaceIndex(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '\uFEFF') return i;
  }
  return text.length;
}
