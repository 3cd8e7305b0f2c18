/**
 * Review text reaches the screen only as text: Svelte's `{expression}` escapes, so the renderer
 * stays safe as long as nothing hands strings to the HTML parser or to the JavaScript compiler.
 * This guards every view at once (test/e2e/hostileText.test.ts proves it for the main ones with
 * hostile reviews in Chromium). Using one of these on purpose means adding a sanitiser and an
 * e2e test with hostile text first, then an exception here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(svelte|ts|js)$/.test(name) ? [path] : [];
  });
}

const htmlSinks: [string, RegExp][] = [
  ['{@html}', /\{@html\b/],
  ['innerHTML / outerHTML', /\.(inner|outer)HTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['document.write', /\bdocument\.write(ln)?\s*\(/],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['DOMParser', /\bDOMParser\b/],
  ['iframe srcdoc', /\bsrcdoc\b/],
  ['eval', /(^|[^.\w])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['a string timer', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
];

describe('renderer markup', () => {
  it('never passes a string to the HTML parser or the JavaScript compiler', () => {
    const files = sources(join(root, 'src-renderer', 'src'));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return htmlSinks.filter(([, pattern]) => pattern.test(text)).map(([sink]) => `${relative(root, file)}: ${sink}`);
    });
    expect(found).toEqual([]);
  });
});
