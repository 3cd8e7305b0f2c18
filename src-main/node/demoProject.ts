/**
 * The demo project: 2,000 IMDB reviews (a quarter unlabelled) imported through the ordinary
 * importer into `<userData>/demo/IMDB demo.sstudio` the first time it is asked for; later it is
 * simply opened again, with whatever the analyst has labelled since.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { labelSetPresets } from '../common/labels';
import { StudioError } from '../common/errors';
import type { OpenOptions } from './db/open';
import { Project } from './db/project';
import { importFile } from './ingest/importer';

/** The bundled data, next to the sources in the repo and two levels up from out/main when built. */
export const defaultDemoSource = join(import.meta.dirname, '..', '..', 'resources', 'demo');
export const demoDataFile = 'reviews.jsonl.gz';
export const demoProjectName = 'IMDB movie reviews (demo)';

export const demoProjectPath = (userDataDir: string): string => join(userDataDir, 'demo', 'IMDB demo.sstudio');

/**
 * Creates the demo project file if it is not there yet. It is built under a temporary name and
 * renamed when complete, so an interrupted first start never leaves half a demo behind.
 */
export async function ensureDemoProject(
  userDataDir: string,
  source: string,
  options: { db: OpenOptions; annotator: string },
): Promise<string> {
  const target = demoProjectPath(userDataDir);
  if (existsSync(target)) return target;
  const data = join(source, demoDataFile);
  if (!existsSync(data)) throw new StudioError('not-found', `The demo data is missing (${data}); reinstall Sentiment Studio.`);

  mkdirSync(join(userDataDir, 'demo'), { recursive: true });
  const partial = `${target}.partial`;
  const removePartial = (): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  };
  removePartial();
  const project = Project.create(partial, { name: demoProjectName, labels: labelSetPresets.binary.map((l) => ({ ...l })) }, options.db);
  try {
    await importFile(project, {
      path: data,
      columns: { textColumn: 'text', labelColumn: 'label', idColumn: 'id' },
      unknownLabels: 'unlabelled',
      annotator: options.annotator,
    });
  } catch (error) {
    project.close();
    removePartial();
    throw error;
  }
  // Closing checkpoints the WAL into the file, so the one file is the whole project.
  project.close();
  renameSync(partial, target);
  return target;
}
