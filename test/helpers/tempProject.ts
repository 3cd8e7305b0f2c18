import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelSetPresets } from '../../src-main/common/labels';
import { storedText, textHash } from '../../src-main/node/db/items';
import { Project } from '../../src-main/node/db/project';

/** A temp folder that the test removes in afterEach/afterAll through `cleanup`. */
export function tempDir(prefix = 'sstudio-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newProject(dir: string, name = 'test', labels = [...labelSetPresets.binary]): Project {
  return Project.create(join(dir, `${name}.sstudio`), { name, labels });
}

/** Inserts texts directly (no import) and returns their ids. */
export function addTexts(project: Project, texts: string[]): number[] {
  const now = new Date().toISOString();
  return texts.map((raw) => {
    const text = storedText(raw);
    return project.items.upsert({ text, hash: textHash(text), externalId: null, metadata: null, importId: null }, now).id;
  });
}
