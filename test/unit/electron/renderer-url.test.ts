import { describe, expect, it } from 'vitest';
import { rendererUrlMatcher } from '../../../src-main/electron/renderer-url';

describe('renderer URL matcher', () => {
  it('accepts only the built index.html, with any hash or query', () => {
    const isRenderer = rendererUrlMatcher({ file: '/opt/studio/out/renderer/index.html' });
    expect(isRenderer('file:///opt/studio/out/renderer/index.html')).toBe(true);
    expect(isRenderer('file:///opt/studio/out/renderer/index.html#/label?x=1')).toBe(true);
    expect(isRenderer('file:///opt/studio/out/renderer/other.html')).toBe(false);
    expect(isRenderer('file:///home/me/Downloads/index.html')).toBe(false);
    expect(isRenderer('https://example.com/opt/studio/out/renderer/index.html')).toBe(false);
    expect(isRenderer('not a url')).toBe(false);
  });

  it('accepts any page of the dev server origin and nothing else', () => {
    const isRenderer = rendererUrlMatcher({ file: '/x/index.html', devServerUrl: 'http://localhost:5173' });
    expect(isRenderer('http://localhost:5173/')).toBe(true);
    expect(isRenderer('http://localhost:5173/src/App.svelte')).toBe(true);
    expect(isRenderer('http://localhost:5174/')).toBe(false);
    expect(isRenderer('file:///x/index.html')).toBe(false);
  });
});
