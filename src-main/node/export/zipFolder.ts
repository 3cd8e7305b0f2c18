/**
 * A zip of a written folder (the model bundle), beside it: one file to attach to an e-mail or
 * upload. Written to a temporary name and renamed, so a failed zip never looks like a whole one.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import JSZip from 'jszip';
import { StudioError } from '../../common/errors';

/** Zips `dir`'s files into `<dir>.zip` under a top folder of the same name; returns the zip's path. */
export async function zipFolder(dir: string, options: { overwrite?: boolean } = {}): Promise<string> {
  const target = `${dir.replace(/[\\/]+$/, '')}.zip`;
  if (existsSync(target) && !options.overwrite) throw new StudioError('invalid-input', `${target} already exists; choose another name or allow overwriting.`);
  const zip = new JSZip();
  const folder = zip.folder(basename(dir))!;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isFile()) folder.file(name, readFileSync(path), { date: new Date(statSync(path).mtimeMs) });
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  const temp = `${target}.partial-${process.pid}`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new StudioError('internal', `Writing ${target} failed: ${(error as Error).message}`, { cause: error });
  }
  return target;
}
