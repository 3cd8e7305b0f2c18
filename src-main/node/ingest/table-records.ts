/**
 * Rows of cells (CSV, TSV, a worksheet) to named records: the header row names the columns,
 * short rows are padded, long rows stop the import at their line, because a shifted row would put
 * a label into the text column without anyone noticing.
 */
import { lineError } from '../../common/errors';
import { formatCount } from '../../common/format';
import type { SourceRecord } from '../../common/ingest';
import { mapBatches, prepend, type Batches } from './batches';
import { emptyFields, numberedColumns, uniqueColumnNames } from './fields';
import { columnPeekRecords, maxColumns } from './limits';

export interface TableRow {
  line: number;
  cells: string[];
}

export interface NamedRecords {
  columns: string[];
  batches: Batches<SourceRecord>;
}

/** `cellWord` is how the error names the units: "fields" in CSV, "cells" in a worksheet. */
export async function nameTableRows(
  rows: Batches<TableRow>,
  hasHeader: boolean,
  cellWord: 'fields' | 'cells',
): Promise<NamedRecords> {
  const peeked: TableRow[] = [];
  let columns: string[] = [];
  let header: string[] | null = null;
  let limitText: string;
  if (hasHeader) {
    for (;;) {
      const next = await rows.next();
      if (next.done) break;
      if (next.value.length === 0) continue;
      const first = next.value[0];
      if (first.cells.length > maxColumns) throw tooManyColumns(first.line, first.cells.length);
      columns = uniqueColumnNames(first.cells);
      header = repeatableHeader(first.cells);
      for (let i = 1; i < next.value.length; i++) peeked.push(next.value[i]);
      break;
    }
    limitText = `the header has ${columns.length}`;
  } else {
    // Without a header, the widest of the leading rows decides how many columns there are.
    while (peeked.length < columnPeekRecords) {
      const next = await rows.next();
      if (next.done) break;
      for (const row of next.value) peeked.push(row);
    }
    const widest = peeked.reduce((most, row) => Math.max(most, row.cells.length), 0);
    const wide = peeked.find((row) => row.cells.length > maxColumns);
    if (wide) throw tooManyColumns(wide.line, wide.cells.length);
    columns = numberedColumns(widest);
    limitText = `the first rows have ${widest}`;
  }
  const toRecord = (row: TableRow): SourceRecord => {
    const { cells } = row;
    if (cells.length > columns.length) throw lineError(row.line, `${cells.length} ${cellWord}, ${limitText}`);
    if (header !== null && repeatsHeader(cells, header)) {
      throw lineError(row.line, 'this row repeats the header row (were two files joined together?); remove it and import again');
    }
    const fields = emptyFields();
    for (let i = 0; i < columns.length; i++) fields[columns[i]] = i < cells.length ? cells[i] : '';
    return { line: row.line, fields };
  };
  return { columns, batches: mapBatches(prepend(peeked, rows), toRecord) };
}

/**
 * Files exported twice and joined (`cat a.csv b.csv`) carry the header again mid-file; read as data
 * it becomes a review called "text" labelled "label", or an unknown label error that hides the
 * cause. A one-column header is not checked: a review may well be just the word "review".
 */
function repeatableHeader(cells: string[]): string[] | null {
  const trimmed = cells.map((c) => c.trim());
  return trimmed.filter((c) => c !== '').length >= 2 ? trimmed : null;
}

function repeatsHeader(cells: string[], header: string[]): boolean {
  if (cells.length !== header.length) return false;
  if (cells[0] !== header[0] && cells[0].trim() !== header[0]) return false;
  for (let i = 1; i < cells.length; i++) if (cells[i].trim() !== header[i]) return false;
  return true;
}

function tooManyColumns(line: number, count: number): Error {
  return lineError(line, `${formatCount(count)} columns; an import reads at most ${formatCount(maxColumns)} (is the delimiter right?)`);
}
