import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { labelSetPresets } from '../../../src-main/common/labels';
import { latestSchemaVersion, migrations, type Migration } from '../../../src-main/node/db/migrations';
import { applicationId } from '../../../src-main/node/db/open';
import { Project } from '../../../src-main/node/db/project';
import { addTexts, newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

function setup() {
  const t = tempDir();
  cleanup = t.cleanup;
  return t.dir;
}

describe('project file', () => {
  it('is an SQLite file in WAL mode with foreign keys, our application id and the latest schema', () => {
    const dir = setup();
    const p = newProject(dir);
    expect(p.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(p.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(p.db.pragma('application_id', { simple: true })).toBe(applicationId);
    expect(p.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(p.meta.labels().map((l) => l.name)).toEqual(['positive', 'negative']);
    p.close();
  });

  it('stores a text once, whatever its line endings and surrounding space', () => {
    const dir = setup();
    const p = newProject(dir);
    const [a, b, c] = addTexts(p, ['Great film.\r\nLoved it.', '  Great film.\nLoved it.  ', 'Another text']);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(p.items.count()).toBe(2);
    p.close();
  });

  it('refuses to overwrite an existing file when creating', () => {
    const dir = setup();
    newProject(dir).close();
    expect(() => newProject(dir)).toThrow(/already exists/);
  });

  it('refuses files that are not projects, with a clear message', () => {
    const dir = setup();
    const text = join(dir, 'notes.sstudio');
    writeFileSync(text, 'hello, this is not a database at all');
    expect(() => Project.open(text)).toThrow(/not a Sentiment Studio project/);
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t(x)');
    db.close();
    expect(() => Project.open(other)).toThrow(/SQLite file but not a Sentiment Studio project/);
    expect(() => Project.open(join(dir, 'missing.sstudio'))).toThrow(/No project file/);
  });

  it('refuses a file written by a newer schema version', () => {
    const dir = setup();
    const p = newProject(dir);
    const path = p.path;
    p.db.pragma('user_version = 99');
    p.close();
    expect(() => Project.open(path)).toThrow(`newer Sentiment Studio (project format 99; this version reads up to ${latestSchemaVersion})`);
  });

  it('migrates an older file in one transaction, keeping its data', () => {
    const dir = setup();
    const p = newProject(dir);
    addTexts(p, ['kept text']);
    const path = p.path;
    p.close();
    const next: Migration = { version: latestSchemaVersion + 1, description: 'test', sql: 'ALTER TABLE items ADD COLUMN note TEXT;' };
    const upgraded = Project.open(path, { migrations: [...migrations, next] });
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion + 1);
    expect(upgraded.db.prepare('SELECT text, note FROM items').all()).toEqual([{ text: 'kept text', note: null }]);
    upgraded.close();
  });

  it('rolls a failing migration back completely', () => {
    const dir = setup();
    const p = newProject(dir);
    const path = p.path;
    p.close();
    const broken: Migration[] = [
      ...migrations,
      { version: latestSchemaVersion + 1, description: 'ok part', sql: 'CREATE TABLE extra(x);' },
      { version: latestSchemaVersion + 2, description: 'fails', sql: 'ALTER TABLE no_such_table ADD COLUMN y;' },
    ];
    expect(() => Project.open(path, { migrations: broken })).toThrow(/no_such_table/);
    const again = Project.open(path);
    expect(again.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(again.db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
    again.close();
  });

  it('keeps custom label sets with keys and colours', () => {
    const dir = setup();
    const labels = [
      { name: 'joy', key: 'j', color: '#ffcc00' },
      { name: 'anger', key: 'a', color: '#cc0000' },
      { name: 'other', key: 'o', color: '#888888' },
    ];
    const p = Project.create(join(dir, 'custom.sstudio'), { name: 'custom', labels });
    const path = p.path;
    p.close();
    const reopened = Project.open(path, { readOnly: true });
    expect(reopened.meta.labels()).toEqual(labels);
    expect(reopened.summary().readOnly).toBe(true);
    reopened.close();
  });

  it('ternary preset has neutral', () => {
    expect(labelSetPresets.ternary.map((l) => l.name)).toEqual(['positive', 'neutral', 'negative']);
  });
});
