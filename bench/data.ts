/**
 * Benchmark data comes only from ../shared/data (never from tests). Rows are grouped by label in
 * those files, so anything that samples must shuffle first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const sharedDataDir = process.env.SENTIMENT_STUDIO_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');

export function dataFile(name: string): string {
  const path = join(sharedDataDir, name);
  if (!existsSync(path)) throw new Error(`benchmark data ${path} is missing (set SENTIMENT_STUDIO_DATA to the folder with the *.jsonl.gz sets)`);
  return path;
}

export function loadJsonl(name: string): { text: string; label: string }[] {
  const raw = gunzipSync(readFileSync(dataFile(name))).toString('utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; label: string });
}

export { median } from '../src-main/common/stats';
