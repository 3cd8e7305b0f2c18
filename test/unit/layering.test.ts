/**
 * The folder says what a file may use (ARCHITECTURE.md): common imports nothing environment-
 * specific, node and trainer never import Electron, the renderer reaches only common.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte|mjs)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => m[1] ?? m[2] ?? m[3]!);
}

function violations(folder: string, allowed: (spec: string, file: string) => boolean): string[] {
  return sources(join(root, folder)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => !allowed(spec, file))
      .map((spec) => `${relative(root, file)} imports '${spec}'`),
  );
}

describe('layering', () => {
  it('finds the imports it checks', () => {
    expect(importsOf(join(root, 'src-main/common/contract.ts'))).toContain('zod');
  });

  it('common imports only common and zod', () => {
    expect(violations('src-main/common', (spec) => spec === 'zod' || /^\.\/[\w.-]+$/.test(spec))).toEqual([]);
  });

  it('node and trainer never import Electron or the renderer', () => {
    const bad = (spec: string) => spec === 'electron' || spec.includes('/electron/') || spec.includes('src-renderer');
    expect(violations('src-main/node', (s) => !bad(s))).toEqual([]);
    expect(violations('src-main/trainer', (s) => !bad(s) && !s.includes('/node/cli'))).toEqual([]);
  });

  it('the renderer reaches only common, svelte and chart.js', () => {
    const ok = (spec: string) =>
      spec.startsWith('@common/') || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('svelte') || spec.startsWith('chart.js');
    const escapes = (spec: string, file: string) => spec.startsWith('.') && relative(root, join(file, '..', spec)).startsWith('src-main');
    expect(violations('src-renderer', (s, f) => ok(s) && !escapes(s, f))).toEqual([]);
  });
});
