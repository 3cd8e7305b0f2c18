/**
 * Scores a file of reviews (any import format) with a loaded model and writes the texts with the
 * predicted label and every label's probability: CSV, JSON Lines or XLSX. Streams the input in
 * batches, so a 100,000-row file never sits in memory; written to a temporary name and renamed,
 * so a failed or cancelled run never leaves half a file where the whole one is expected.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { StudioError } from '../../common/errors';
import type { ReadOptions } from '../../common/ingest';
import type { PredictionFormat, PredictionPreviewRow, PredictionSummary } from '../../common/prediction';
import { csvField, xlsxCellValue } from '../export/data';
import { openRecordStream } from '../ingest/source';
import type { Predictor } from '../train/predictor';

export interface ScoreFileOptions {
  input: string;
  read?: ReadOptions;
  /** Default: a column named `text`, else the first column. */
  textColumn?: string;
  output: string;
  format: PredictionFormat;
  overwrite?: boolean;
  /** Rows kept for the screen's preview. */
  previewRows?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { rows: number; bytesRead: number; totalBytes: number | null }) => void;
}

const batchSize = 256;
/** Excel's limit per cell: longer texts are cut, and counted. */
const xlsxCellLimit = 32_767;

interface RowWriter {
  header(columns: string[]): void;
  row(values: (string | number)[]): void;
  finish(): Promise<void>;
  abort(): void;
}

function textWriter(temp: string, format: 'csv' | 'jsonl'): RowWriter {
  const fd = openSync(temp, 'w');
  let columns: string[] = [];
  let parts: string[] = [];
  const flush = () => {
    if (parts.length) writeSync(fd, parts.join(''));
    parts = [];
  };
  return {
    header(c) {
      columns = c;
      if (format === 'csv') parts.push('\uFEFF' + c.map(csvField).join(',') + '\r\n');
    },
    row(values) {
      parts.push(format === 'csv' ? values.map(csvField).join(',') + '\r\n' : JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, values[i]]))) + '\n');
      if (parts.length >= batchSize) flush();
    },
    async finish() {
      flush();
      closeSync(fd);
    },
    abort() {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    },
  };
}

function xlsxWriter(temp: string, truncated: { count: number }): RowWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: temp, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('Predictions', { views: [{ state: 'frozen', ySplit: 1 }] });
  return {
    header(columns) {
      sheet.columns = columns.map((c) => ({ header: c, key: c, width: c === 'text' ? 80 : 14 }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
    },
    row(values) {
      const cut = values.map((v) => {
        if (typeof v === 'string' && v.length > xlsxCellLimit) {
          truncated.count++;
          return xlsxCellValue(v.slice(0, xlsxCellLimit));
        }
        return xlsxCellValue(v);
      });
      sheet.addRow(cut).commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
    abort() {},
  };
}

export async function scoreFile(predictor: Predictor, options: ScoreFileOptions): Promise<PredictionSummary> {
  const { output } = options;
  if (existsSync(output) && !options.overwrite) throw new StudioError('invalid-input', `${output} already exists; choose another name or allow overwriting.`);
  if (!existsSync(dirname(resolve(output)))) throw new StudioError('not-found', `The folder of ${output} does not exist.`);
  if (resolve(output) === resolve(options.input)) throw new StudioError('invalid-input', 'The results would overwrite the file being scored; choose another name.');
  const stream = await openRecordStream(options.input, { ...options.read, signal: options.signal });
  const textColumn = options.textColumn ?? (stream.columns.includes('text') ? 'text' : stream.columns[0]);
  if (!textColumn || (stream.columnsComplete && !stream.columns.includes(textColumn))) {
    await stream.close();
    throw new StudioError('invalid-input', `${options.input} has no column '${textColumn ?? ''}'; its columns are ${stream.columns.join(', ')}.`);
  }
  const { labels } = predictor;
  const k = labels.length;
  const temp = `${output}.partial-${process.pid}`;
  const truncated = { count: 0 };
  const writer = options.format === 'xlsx' ? xlsxWriter(temp, truncated) : textWriter(temp, options.format);
  const counts: Record<string, number> = Object.fromEntries(labels.map((l) => [l, 0]));
  const preview: PredictionPreviewRow[] = [];
  const previewRows = options.previewRows ?? 20;
  let rows = 0;
  let empty = 0;
  const started = performance.now();
  const score = (batch: { line: number; text: string }[]) => {
    const probabilities = predictor.predict(batch.map((b) => b.text));
    batch.forEach((b, i) => {
      const row = probabilities.subarray(i * k, (i + 1) * k);
      let best = 0;
      for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
      counts[labels[best]!]!++;
      const p = Array.from(row, (x) => Number(x.toFixed(6)));
      writer.row([b.line, b.text, labels[best]!, ...p]);
      if (preview.length < previewRows) preview.push({ line: b.line, text: b.text, label: labels[best]!, probabilities: p });
    });
    rows += batch.length;
    options.onProgress?.({ rows, bytesRead: stream.bytesRead(), totalBytes: stream.source.totalBytes ?? null });
  };
  try {
    writer.header(['line', 'text', 'label', ...labels.map((l) => `p_${l}`)]);
    let batch: { line: number; text: string }[] = [];
    for await (const record of stream.records) {
      if (options.signal?.aborted) throw new StudioError('cancelled', 'Scoring was cancelled; no results file was written.');
      const text = (record.fields[textColumn] ?? '').trim();
      // An empty row has nothing to score; it is counted, not guessed at.
      if (text === '') {
        empty++;
        continue;
      }
      batch.push({ line: record.line, text });
      if (batch.length === batchSize) {
        score(batch);
        batch = [];
        // Let a cancel (or the parent's messages) in between batches.
        await new Promise((r) => setImmediate(r));
      }
    }
    if (batch.length) score(batch);
    if (options.signal?.aborted) throw new StudioError('cancelled', 'Scoring was cancelled; no results file was written.');
    await writer.finish();
    renameSync(temp, output);
  } catch (error) {
    writer.abort();
    rmSync(temp, { force: true });
    if (StudioError.is(error)) throw error;
    throw new StudioError('internal', `Scoring ${options.input} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await stream.close();
  }
  return {
    path: output,
    format: options.format,
    textColumn,
    rows,
    emptyRows: empty,
    counts,
    labels,
    preview,
    seconds: (performance.now() - started) / 1000,
    backend: predictor.backend,
    truncatedCells: truncated.count,
  };
}
