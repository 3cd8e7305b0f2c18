/**
 * Rows of the first worksheet of an .xlsx workbook, streamed with exceljs so a large sheet is
 * never held whole. Cells become the text Excel would show for them, near enough for reviews:
 * rich text joined, formulas as their cached result, dates as ISO strings.
 */
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { StudioError } from '../../common/errors';
import type { Batches } from './batches';
import type { TableRow } from './table-records';

/** Rows one at a time (as batches of one): exceljs itself hands them on row by row. */
export async function* readWorksheetRows(stream: Readable): Batches<TableRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Needed to tell a date from a number: xlsx stores both as numbers, only the style differs.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of workbook) {
      for await (const row of worksheet) {
        const cells = rowCells(row.values as unknown[]);
        if (cells.length > 0) yield [{ line: row.number, cells }];
      }
      return;
    }
    throw new StudioError('bad-file', 'this file has no worksheet; is it really an Excel .xlsx workbook?');
  } catch (error) {
    if (StudioError.is(error)) throw error;
    throw new StudioError('bad-file', `cannot read this Excel workbook; it may be damaged or truncated (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** exceljs row values are 1-based and sparse; trailing empty cells are dropped. */
function rowCells(values: unknown[]): string[] {
  const cells: string[] = [];
  for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end--;
  cells.length = end;
  return cells;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return dateText(value);
  if (typeof value !== 'object') return String(value);
  const cell = value as Record<string, unknown>;
  if (Array.isArray(cell.richText)) {
    return (cell.richText as Array<{ text?: unknown }>).map((run) => cellText(run.text)).join('');
  }
  if ('formula' in cell || 'sharedFormula' in cell) return cellText(cell.result);
  if ('text' in cell) return cellText(cell.text); // hyperlink
  if ('error' in cell) return String(cell.error);
  return JSON.stringify(value);
}

/** Spreadsheet dates carry no zone; exceljs reads them as UTC, so UTC midnight is a plain date. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
