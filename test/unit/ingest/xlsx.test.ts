import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { failure, readAll, rows, useTempDir } from './helpers';

const tmp = useTempDir();

/** A workbook with the cell types analysts' exports contain, written by exceljs's writer. */
function fillReviews(sheet: ExcelJS.Worksheet): void {
  sheet.addRow(['id', 'text', 'text', 'when', 'stars', 'recommended', 'link']);
  sheet.addRow([1, 'Lovely stay, would return', 'dup', new Date(Date.UTC(2024, 2, 15)), 5, true, 'x']);
  sheet.addRow([
    2,
    { richText: [{ text: 'Rich ', font: { bold: true } }, { text: 'text review' }] },
    null,
    new Date(Date.UTC(2024, 2, 15, 13, 45, 0)),
    { formula: '2+1', result: 3 },
    false,
    { text: 'see website', hyperlink: 'https://example.com' },
  ]);
  sheet.addRow([]); // an empty row is skipped
  sheet.addRow([3, 'Short row']);
  sheet.getColumn(4).numFmt = 'yyyy-mm-dd hh:mm';
}

const expected = [
  { line: 2, id: '1', text: 'Lovely stay, would return', 'text (2)': 'dup', when: '2024-03-15', stars: '5', recommended: 'true', link: 'x' },
  {
    line: 3,
    id: '2',
    text: 'Rich text review',
    'text (2)': '',
    when: '2024-03-15T13:45:00.000Z',
    stars: '3',
    recommended: 'false',
    link: 'see website',
  },
  { line: 5, id: '3', text: 'Short row', 'text (2)': '', when: '', stars: '', recommended: '', link: '' },
];

describe('xlsx', () => {
  it('reads the first worksheet with the first row as header', async () => {
    const workbook = new ExcelJS.Workbook();
    fillReviews(workbook.addWorksheet('Reviews'));
    workbook.addWorksheet('Notes').addRow(['not', 'read']);
    const path = tmp.path('reviews.xlsx');
    await workbook.xlsx.writeFile(path);

    const { stream, records } = await readAll(path);
    expect(stream.source).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, gzip: false });
    expect(stream.columns).toEqual(['id', 'text', 'text (2)', 'when', 'stars', 'recommended', 'link']);
    expect(rows(records)).toEqual(expected);
    expect(stream.bytesRead()).toBe(stream.source.totalBytes);
  });

  it('reads a workbook from the streaming writer (shared strings) under any file name', async () => {
    const path = tmp.path('export.bin');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
    const sheet = writer.addWorksheet('Reviews');
    sheet.addRow(['text', 'label']).commit();
    for (let i = 0; i < 500; i++) sheet.addRow([`review ${i}`, i % 2 ? 'negative' : 'positive']).commit();
    sheet.commit();
    await writer.commit();

    const { stream, records } = await readAll(path);
    expect(stream.source.format).toBe('xlsx');
    expect(records).toHaveLength(500);
    expect(records[499]).toEqual({ line: 501, fields: { text: 'review 499', label: 'negative' } });
  });

  it('numbers the columns when there is no header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['good', 'positive']);
    sheet.addRow(['bad', 'negative', 'extra']);
    const path = tmp.path('no-header.xlsx');
    await workbook.xlsx.writeFile(path);
    const { stream, records } = await readAll(path, { hasHeader: false });
    expect(stream.columns).toEqual(['column 1', 'column 2', 'column 3']);
    expect(records.map((r) => r.fields['column 1'])).toEqual(['good', 'bad']);
  });

  it('keeps __proto__ and constructor headers as ordinary fields', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['__proto__', 'constructor', 'text']);
    sheet.addRow(['{"polluted":"yes"}', 'c', 'Great']);
    const path = tmp.path('reserved.xlsx');
    await workbook.xlsx.writeFile(path);
    const { records } = await readAll(path);
    expect(Object.keys(records[0].fields)).toEqual(['__proto__', 'constructor', 'text']);
    expect(records[0].fields['__proto__']).toBe('{"polluted":"yes"}');
    expect(records[0].fields.constructor).toBe('c');
    expect(Object.getPrototypeOf(records[0].fields)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops at a row with more cells than the header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['text', 'label']);
    sheet.addRow(['fine', 'positive']);
    sheet.addRow(['shifted', 'positive', 'oops']);
    const path = tmp.path('too-wide.xlsx');
    await workbook.xlsx.writeFile(path);
    const error = await failure(readAll(path));
    expect(error.message).toBe('line 3: 3 cells, the header has 2');
  });

  it('rejects an .xlsx that is not a workbook and old .xls files', async () => {
    const fake = await tmp.file('fake.xlsx', 'text,label\na,b\n');
    expect(await failure(readAll(fake))).toMatchObject({ code: 'bad-file' });
    const xls = await tmp.file('old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(512)]));
    expect(await failure(readAll(xls))).toMatchObject({ code: 'unsupported' });
    const brokenZip = await tmp.file('broken.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 7)]));
    expect(await failure(readAll(brokenZip))).toMatchObject({ code: 'bad-file' });
  });
});
