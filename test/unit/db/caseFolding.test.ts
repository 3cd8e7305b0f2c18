import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { foldCase, foldedContains } from '../../../src-main/node/db/caseFolding';
import { newProject, tempDir } from '../../helpers/tempProject';

let cleanup = () => {};
afterEach(() => cleanup());

describe('case folding', () => {
  it('folds every character exactly as the trigram tokenizer does', () => {
    // Through the project's own tokenizer settings, so a change there (remove_diacritics) shows here.
    const t = tempDir();
    cleanup = t.cleanup;
    const project = newProject(t.dir);
    const schema = project.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'items_fts'").pluck().get() as string;
    project.close();
    const tokenize = /tokenize\s*=\s*('[^']*')/.exec(schema)![1];
    const db = new Database(':memory:');
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize = ${tokenize}, detail = full);
      CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);`);
    const insert = db.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
    const chars: string[] = [];
    db.transaction(() => {
      // Every cased letter lives in the first two planes.
      for (let c = 1; c < 0x20000; c++) {
        if (c >= 0xd800 && c < 0xe000) continue;
        const ch = String.fromCodePoint(c);
        chars[c] = ch;
        insert.run(c, ch.repeat(3));
      }
    })();
    const mismatches: string[] = [];
    for (const { doc, term } of db.prepare('SELECT doc, term FROM v').iterate() as Iterable<{ doc: number; term: string }>) {
      const expected = term.slice(0, term.length / 3);
      if (foldCase(chars[doc]!) !== expected) mismatches.push(`U+${doc.toString(16)}: index ${expected}, foldCase ${foldCase(chars[doc]!)}`);
    }
    db.close();
    expect(mismatches).toEqual([]);
    expect(foldCase('ÉCOLE ΟΔΟΣ Мир İ')).toBe('école οδοσ мир İ');
  });
});

describe('folded contains', () => {
  it('matches across case as the index does, and nothing else', () => {
    expect(foldedContains('ÉCOLE très Été', 'école')).toBe(true);
    expect(foldedContains('Привет Мир', 'МИР')).toBe(true);
    expect(foldedContains('Straße', 'STRASSE')).toBe(false);
    expect(foldedContains('ecole', 'école')).toBe(false);
  });
});
