/**
 * Rows of cells (CSV, TSV, a worksheet) to named records: the header row names the columns,
 * short rows are padded, long rows stop the import at their line, because a shifted row would put
 * a label into the text column without anyone noticing.
 */
import { lineError } from '../../common/errors';
import type { SourceRecord } from '../../common/ingest';
import { mapBatches, prepend, type Batches } from './batches';
import { emptyFields, numberedColumns, uniqueColumnNames } from './fields';
import { columnPeekRecords } from './limits';

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
  let limitText: string;
  if (hasHeader) {
    for (;;) {
      const next = await rows.next();
      if (next.done) break;
      if (next.value.length === 0) continue;
      columns = uniqueColumnNames(next.value[0].cells);
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
    columns = numberedColumns(widest);
    limitText = `the first rows have ${widest}`;
  }
  const toRecord = (row: TableRow): SourceRecord => {
    const { cells } = row;
    if (cells.length > columns.length) throw lineError(row.line, `${cells.length} ${cellWord}, ${limitText}`);
    const fields = emptyFields();
    for (let i = 0; i < columns.length; i++) fields[columns[i]] = i < cells.length ? cells[i] : '';
    return { line: row.line, fields };
  };
  return { columns, batches: mapBatches(prepend(peeked, rows), toRecord) };
}
