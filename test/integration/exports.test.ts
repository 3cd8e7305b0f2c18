/**
 * What the analyst takes away, through the handler map: the model bundle with its zip, labelled
 * data as XLSX, and a fine-tuned run from an exported bundle.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../src-main/common/labels';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { tempDir } from '../helpers/tempProject';
import { toyReviews } from '../helpers/toyReviews';

let service: StudioService | null = null;
let cleanup = () => {};
afterEach(async () => {
  await service?.dispose();
  cleanup();
});

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const tiny = { epochs: 1, maxLen: 16, units: 4, embedDim: 8, minCount: 1, vocabSize: 200 };

async function trained(dir: string): Promise<{ s: StudioService; runId: number }> {
  const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));
  value(await s.invoke('project:create', { path: join(dir, 'p.sstudio'), name: 'p', labels: [...labelSetPresets.binary] }));
  const file = join(dir, 'toy.jsonl');
  const rows = toyReviews(200);
  rows[0]!.text = `${'long '.repeat(7000)}review`; // 35,000 characters: over Excel's cell limit
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  value(await s.invoke('import:run', { path: file, columns: { textColumn: 'text', labelColumn: 'label' } }));
  let runId = 0;
  const finished = new Promise<void>((resolve) => s.on('train:finished', (f) => f.runId === runId && resolve()));
  runId = value(await s.invoke('train:start', { preset: 'fast', baseline: false, overrides: tiny })).runId;
  await finished;
  return { s, runId };
}

describe('exports', () => {
  it('writes the bundle with a zip of it, labelled data as XLSX, and fine-tunes from the bundle', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { s, runId } = await trained(t.dir);

    const bundle = join(t.dir, 'model');
    const exported = value(await s.invoke('runs:export', { runId, path: bundle }));
    expect(exported.zip).toBe(`${bundle}.zip`);
    const zip = await JSZip.loadAsync(readFileSync(exported.zip!));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir).sort();
    expect(names).toEqual(exported.files.map((f) => `model/${f}`).sort());
    expect(await zip.file('model/model.json')!.async('string')).toBe(readFileSync(join(bundle, 'model.json'), 'utf8'));
    expect(await s.invoke('runs:export', { runId, path: bundle })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/model\.zip already exists/) } });

    const xlsx = join(t.dir, 'labels.xlsx');
    const written = value(await s.invoke('data:export', { path: xlsx, format: 'xlsx' }));
    expect(written).toMatchObject({ rows: 200, truncatedCells: 1 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('Labels')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'id', 'external_id', 'text', 'label', 'annotator', 'labelled_at', 'split']);
    expect(sheet.rowCount).toBe(201);
    const labels = new Set<string>();
    sheet.eachRow((row, n) => n > 1 && labels.add(String(row.getCell(4).value)));
    expect([...labels].sort()).toEqual(['negative', 'positive']);
    const history = value(await s.invoke('data:export', { path: join(t.dir, 'history.xlsx'), format: 'xlsx', history: true }));
    expect(history.rows).toBe(200);

    let childId = 0;
    const finished = new Promise<string>((resolve) => s.on('train:finished', (f) => f.runId === childId && resolve(f.status)));
    childId = value(await s.invoke('train:start', { preset: 'fast', fromBundle: bundle, baseline: false, overrides: { epochs: 1 } })).runId;
    expect(await finished).toBe('done');
    const child = value(await s.invoke('runs:list', {})).find((r) => r.id === childId)!;
    expect(child.hyperparameters).toMatchObject({ fromBundle: bundle, maxLen: 16, units: 4 });
    expect(await s.invoke('train:start', { preset: 'fast', fromBundle: join(t.dir, 'nowhere') })).toMatchObject({ ok: false });
  }, 90_000);

  it('scores a file in a separate process with progress and a preview, as XLSX or JSON Lines, and cancels cleanly', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { s, runId } = await trained(t.dir);
    const input = join(t.dir, 'new.csv');
    const reviews = toyReviews(1200, 9);
    writeFileSync(input, 'review,stars\n' + reviews.map((r, i) => `"${r.text}",${i % 5}`).join('\n') + '\n,3\n');
    const progress: number[] = [];
    s.on('predict:progress', (p) => progress.push(p.rows));
    const xlsx = join(t.dir, 'scored.xlsx');
    const summary = value(await s.invoke('predict:run', { model: { runId }, input, textColumn: 'review', output: xlsx }));
    expect(summary).toMatchObject({ format: 'xlsx', rows: 1200, emptyRows: 1, labels: ['positive', 'negative'] });
    expect(summary.counts['positive']! + summary.counts['negative']!).toBe(1200);
    expect(summary.preview).toHaveLength(20);
    expect(summary.preview[0]).toMatchObject({ line: 2, text: reviews[0]!.text });
    expect(progress.length).toBeGreaterThan(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('Predictions')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'line', 'text', 'label', 'p_positive', 'p_negative']);
    expect(sheet.rowCount).toBe(1201);
    const first = sheet.getRow(2).values as unknown[];
    expect(first[3]).toBe(summary.preview[0]!.label);
    expect(Number(first[4]) + Number(first[5])).toBeCloseTo(1, 5);

    // The same model from its exported bundle, without the project, agrees row for row.
    const bundle = join(t.dir, 'bundle');
    value(await s.invoke('runs:export', { runId, path: bundle, zip: false }));
    value(await s.invoke('project:close', {}));
    const jsonl = join(t.dir, 'scored.jsonl');
    const fromBundle = value(await s.invoke('predict:run', { model: { bundle }, input, textColumn: 'review', output: jsonl, previewRows: 5 }));
    expect(fromBundle.counts).toEqual(summary.counts);
    const rows = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ line: 2, text: reviews[0]!.text, label: summary.preview[0]!.label });
    expect(await s.invoke('predict:run', { model: { runId }, input, output: join(t.dir, 'x.csv') })).toMatchObject({ ok: false, error: { code: 'no-project' } });
    expect(await s.invoke('predict:run', { model: { bundle }, input, output: jsonl })).toMatchObject({ ok: false, error: { message: expect.stringContaining('already exists') } });

    // Cancel after the first progress report: no results file, and the service is free again.
    const cancelled = join(t.dir, 'cancelled.csv');
    const started = s.invoke('predict:run', { model: { bundle }, input, output: cancelled });
    await new Promise<void>((resolve) => {
      const off = s.on('predict:progress', () => {
        off();
        resolve();
      });
    });
    expect(value(await s.invoke('predict:cancel', {}))).toEqual({ cancelled: true });
    expect(await started).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(readdirSync(t.dir).filter((f) => f.startsWith('cancelled'))).toEqual([]);
    expect(value(await s.invoke('predict:run', { model: { bundle }, input, output: cancelled, previewRows: 0 })).rows).toBe(1200);
  }, 120_000);

  it('writes the run report as one self-contained HTML file, in English or Chinese, and refuses PDF without a printer', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { s, runId } = await trained(t.dir);
    const path = join(t.dir, 'report.html');
    const written = value(await s.invoke('runs:report', { runId, path }));
    expect(written).toMatchObject({ path, format: 'html' });
    const html = readFileSync(path, 'utf8');
    expect(written.bytes).toBe(Buffer.byteLength(html));
    expect(html).toContain(`#${runId}`);
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/url\(\s*["']?https?:/i);
    expect(await s.invoke('runs:report', { runId, path })).toMatchObject({ ok: false, error: { message: expect.stringContaining('already exists') } });
    // Without a PDF printer (plain Node), a PDF is refused with the way out.
    expect(await s.invoke('runs:report', { runId, path: join(t.dir, 'report.pdf') })).toMatchObject({ ok: false, error: { code: 'unsupported', message: expect.stringContaining('save the report as HTML') } });
    const zh = join(t.dir, 'report-zh.html');
    value(await s.invoke('runs:report', { runId, path: zh, locale: 'zh-CN' }));
    expect(readFileSync(zh, 'utf8')).toMatch(/[\u4e00-\u9fff]/);
  }, 90_000);

  it('adds scored reviews to the project as unlabelled items with pre-labels', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { s, runId } = await trained(t.dir);
    const fresh = toyReviews(60, 21).map((r) => ({ review: `${r.text} (new)` }));
    const already = value(await s.invoke('items:list', { label: 'positive', limit: 5 })).items.find((i) => i.text.length < 300)!;
    const input = join(t.dir, 'incoming.jsonl');
    writeFileSync(input, [...fresh, { review: already.text }].map((r) => JSON.stringify(r)).join('\n'));
    expect(await s.invoke('predict:run', { model: { runId }, input, textColumn: 'review' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('Choose a file for the results') } });
    const before = value(await s.invoke('project:summary', {}));
    const summary = value(await s.invoke('predict:run', { model: { runId }, input, textColumn: 'review', addToProject: true }));
    expect(summary.added).toEqual({ imported: 60, duplicates: 1, prelabelled: 60, alreadyLabelled: 1 });
    const after = value(await s.invoke('project:summary', {}));
    expect(after.items).toBe(before.items + 60);
    expect(after.labelled).toBe(before.labelled);
    const unlabelled = value(await s.invoke('items:list', { label: 'unlabelled', limit: 100 })).items;
    expect(unlabelled).toHaveLength(60);
    for (const item of unlabelled) {
      expect(item.prelabel).toMatchObject({ label: expect.stringMatching(/^(positive|negative)$/), source: `run ${runId}` });
      expect(item.prelabel!.confidence).toBeGreaterThanOrEqual(0.5);
    }
    // The labelled review kept its label and got no pre-label; accepting one is a labelled event.
    expect(value(await s.invoke('items:list', { search: already.text, limit: 1 })).items[0]!.prelabel).toBeNull();
    const first = unlabelled[0]!;
    value(await s.invoke('labels:set', { itemIds: [first.id], label: first.prelabel!.label, origin: 'model-accepted' }));
    expect(value(await s.invoke('labels:history', { itemId: first.id })).at(-1)).toMatchObject({ origin: 'model-accepted', label: first.prelabel!.label });
  }, 90_000);
});
