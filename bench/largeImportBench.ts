/**
 * Streaming check: a ~200 MB CSV (IMDB reviews repeated with a unique suffix so nothing
 * deduplicates) imports with bounded memory. Reports throughput and the peak resident set size.
 */
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { labelSetPresets } from '../src-main/common/labels';
import { Project } from '../src-main/node/db/project';
import { importFile } from '../src-main/node/ingest/importer';
import { csvField } from '../src-main/node/export/data';
import { tempDir } from '../test/helpers/tempProject';
import { loadJsonl } from './data';

async function writeCsv(path: string, targetBytes: number): Promise<number> {
  const rows = loadJsonl('imdb_train.jsonl.gz');
  const out = createWriteStream(path);
  out.write('review,sentiment\n');
  let bytes = 0;
  let n = 0;
  for (let round = 0; bytes < targetBytes; round++) {
    for (const r of rows) {
      const line = `${csvField(`${r.text} (copy ${round})`)},${r.label}\n`;
      bytes += line.length;
      n++;
      if (!out.write(line)) await once(out, 'drain');
      if (bytes >= targetBytes) break;
    }
  }
  out.end();
  await once(out, 'finish');
  return n;
}

export async function benchLargeImport(targetMb = 200): Promise<{ mb: number; rows: number; seconds: number; rowsPerSecond: number; rssBeforeMb: number; peakRssMb: number }> {
  const { dir, cleanup } = tempDir('sstudio-large-');
  try {
    const file = join(dir, 'large.csv');
    const rows = await writeCsv(file, targetMb * 1e6);
    const mb = statSync(file).size / 1e6;
    const project = Project.create(join(dir, 'large.sstudio'), { name: 'large', labels: [...labelSetPresets.binary] });
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const t0 = performance.now();
    const summary = await importFile(
      project,
      { path: file, columns: { textColumn: 'review', labelColumn: 'sentiment' } },
      { onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) },
    );
    const seconds = (performance.now() - t0) / 1000;
    project.close();
    if (summary.read !== rows) throw new Error(`expected ${rows} rows read, got ${summary.read}`);
    return { mb, rows, seconds, rowsPerSecond: rows / seconds, rssBeforeMb: rssBefore / 1e6, peakRssMb: peak / 1e6 };
  } finally {
    cleanup();
  }
}
