/**
 * The demo project: 2,000 IMDB reviews (a quarter unlabelled) imported through the ordinary
 * importer into `<userData>/demo/IMDB demo.sstudio` the first time it is asked for; later it is
 * simply opened again, with whatever the analyst has labelled since.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { labelSetPresets } from '../common/labels';
import { StudioError } from '../common/errors';
import type { OpenOptions } from './db/open';
import { Project } from './db/project';
import { processIsAlive } from './db/runs';
import { importFile } from './ingest/importer';

/** The bundled data, next to the sources in the repo and two levels up from out/main when built. */
export const defaultDemoSource = join(import.meta.dirname, '..', '..', 'resources', 'demo');
export const demoDataFile = 'reviews.jsonl.gz';
export const demoProjectName = 'IMDB movie reviews (demo)';

export const demoProjectPath = (userDataDir: string): string => join(userDataDir, 'demo', 'IMDB demo.sstudio');

/** Builds in progress, by target path: windows of one process share a build instead of racing. */
const building = new Map<string, Promise<string>>();

/**
 * Creates the demo project file if it is not there yet. It is built under a name no other build
 * uses and only becomes the demo once its import finished and it closed cleanly, so an
 * interrupted first start, or two windows asking at once, never leave half a demo behind.
 */
export function ensureDemoProject(
  userDataDir: string,
  source: string,
  options: { db: OpenOptions; annotator: string },
): Promise<string> {
  const target = demoProjectPath(userDataDir);
  if (existsSync(target)) return Promise.resolve(target);
  const key = resolve(target);
  let pending = building.get(key);
  if (!pending) {
    pending = buildDemoProject(target, source, options).finally(() => building.delete(key));
    building.set(key, pending);
  }
  return pending;
}

async function buildDemoProject(target: string, source: string, options: { db: OpenOptions; annotator: string }): Promise<string> {
  const data = join(source, demoDataFile);
  if (!existsSync(data)) throw new StudioError('not-found', `The demo data is missing (${data}); reinstall Sentiment Studio.`);

  mkdirSync(dirname(target), { recursive: true });
  removeAbandonedPartials(target);
  // Unique per build: another process building the demo at the same time keeps its own file.
  const partial = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  const removePartial = (): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  };
  try {
    const project = Project.create(partial, { name: demoProjectName, labels: labelSetPresets.binary.map((l) => ({ ...l })) }, options.db);
    try {
      await importFile(project, {
        path: data,
        columns: { textColumn: 'text', labelColumn: 'label', idColumn: 'id' },
        unknownLabels: 'unlabelled',
        annotator: options.annotator,
      });
    } finally {
      project.close();
    }
    // Closing checkpoints the WAL into the file; a WAL still there means the file alone is not the whole project.
    if (existsSync(`${partial}-wal`)) throw new StudioError('internal', `The demo project could not be written completely (${partial}-wal remains).`);
    publish(partial, target);
    return target;
  } finally {
    removePartial();
  }
}

/**
 * Partial files of builds whose process is gone (a crash or a killed first start). Builds in this
 * process are shared through `building`, so one with our own pid is from an earlier process.
 */
function removeAbandonedPartials(target: string): void {
  const prefix = `${basename(target)}.`;
  for (const name of readdirSync(dirname(target))) {
    const pid = /^(\d+)-[0-9a-f]+\.partial(-wal|-shm)?$/.exec(name.slice(prefix.length))?.[1];
    if (!name.startsWith(prefix) || pid === undefined) continue;
    if (Number(pid) === process.pid || !processIsAlive(Number(pid))) rmSync(join(dirname(target), name), { force: true });
  }
}

/** Makes the finished file the demo unless another build got there first, whose file may be open already. */
function publish(partial: string, target: string): void {
  try {
    // A hard link never replaces an existing file, where a rename would.
    linkSync(partial, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    // A file system without hard links: the window between the check and the rename is what is left.
    if (!existsSync(target)) renameSync(partial, target);
  }
}
