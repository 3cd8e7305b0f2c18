/**
 * Import throughput: the IMDB train split (25,000 reviews, gzip JSON Lines) into a fresh project,
 * through the same importer the app and the CLI use.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { labelSetPresets } from '../src-main/common/labels';
import { Project } from '../src-main/node/db/project';
import { importFile } from '../src-main/node/ingest/importer';
import { tempDir } from '../test/helpers/tempProject';
import { dataFile, median } from './data';

export async function benchImport(repeats: number): Promise<{ reviewsPerSecond: number[]; median: number; rows: number; mb: number }> {
  const file = dataFile('imdb_train.jsonl.gz');
  const rates: number[] = [];
  let rows = 0;
  for (let i = 0; i < repeats; i++) {
    const { dir, cleanup } = tempDir('sstudio-bench-');
    try {
      const project = Project.create(join(dir, 'bench.sstudio'), { name: 'bench', labels: [...labelSetPresets.binary] });
      const t0 = performance.now();
      const summary = await importFile(project, { path: file, columns: { textColumn: 'text', labelColumn: 'label' } });
      const seconds = (performance.now() - t0) / 1000;
      project.close();
      rows = summary.imported;
      rates.push(summary.read / seconds);
    } finally {
      cleanup();
    }
  }
  return { reviewsPerSecond: rates, median: median(rates), rows, mb: statSync(file).size / 1e6 };
}
