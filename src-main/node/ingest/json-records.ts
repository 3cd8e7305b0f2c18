/**
 * JSON objects to records, for JSON Lines and JSON arrays alike. JSON has no header, so the
 * columns are the keys of the leading records; those records are peeked and then replayed.
 */
import { StudioError, lineError } from '../../common/errors';
import { formatCount } from '../../common/format';
import type { SourceRecord } from '../../common/ingest';
import { mapBatches, prepend, type Batches } from './batches';
import { emptyFields, shownValue, valueToField } from './fields';
import { columnPeekRecords, maxColumns } from './limits';
import type { NamedRecords } from './table-records';

/** Parses one JSON text that must be an object; `line` is where it starts in the file. */
export function parseJsonRecord(text: string, line: number): SourceRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw lineError(line, `not valid JSON (${shorten((error as Error).message)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw lineError(line, `not valid JSON (expected an object like {"text": "..."}, found ${kindOf(value)})`);
  }
  const fields = emptyFields();
  for (const key of Object.keys(value)) {
    try {
      fields[key] = valueToField((value as Record<string, unknown>)[key]);
    } catch (error) {
      // JSON.parse reads any depth, but turning a nested value back into text recurses.
      if (!(error instanceof RangeError)) throw error;
      throw lineError(line, `the value of '${shownValue(key)}' is nested too deeply to keep as text`);
    }
  }
  return { line, fields };
}

export const oneJsonObjectProblem =
  'the file is one JSON object, not a list of reviews; expected a JSON array [ {...}, ... ] or one JSON object per line';

/**
 * `oneRecordIsOneObject`: the file was taken for JSON Lines by its `.json` name or a leading `{`,
 * so a file of a single record is a document wrapping the reviews (`{"reviews": [...]}`).
 */
export async function nameJsonRecords(
  records: Batches<SourceRecord>,
  { oneRecordIsOneObject = false } = {},
): Promise<NamedRecords> {
  const peeked: SourceRecord[] = [];
  let ended = false;
  while (peeked.length < columnPeekRecords) {
    const next = await records.next();
    if (next.done) {
      ended = true;
      break;
    }
    for (const record of next.value) peeked.push(record);
  }
  if (oneRecordIsOneObject && ended && peeked.length === 1) throw new StudioError('bad-file', oneJsonObjectProblem);
  const keys = new Set<string>();
  for (const record of peeked.slice(0, columnPeekRecords)) {
    for (const key of Object.keys(record.fields)) keys.add(key);
    if (keys.size > maxColumns) {
      throw lineError(record.line, `the records so far have ${formatCount(keys.size)} different keys; an import reads at most ${formatCount(maxColumns)} columns`);
    }
  }
  const columns = [...keys];
  // Every record carries every column, as CSV records do; keys met only later are kept as well.
  const fill = (record: SourceRecord): SourceRecord => {
    for (const column of columns) if (!Object.hasOwn(record.fields, column)) record.fields[column] = '';
    return record;
  };
  return { columns, batches: mapBatches(prepend(peeked, records), fill) };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** V8 quotes the offending input in its message; a whole review would drown the point. */
function shorten(message: string): string {
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}
