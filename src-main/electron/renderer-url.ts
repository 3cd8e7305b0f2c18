/**
 * Which URLs are "our renderer": the built index.html (any hash or query), or any page of the
 * dev server's origin. Used to refuse IPC from, and navigation to, anything else.
 */
import { pathToFileURL } from 'node:url';

export function rendererUrlMatcher(renderer: { file: string; devServerUrl?: string }): (url: string) => boolean {
  const expected = renderer.devServerUrl ? new URL(renderer.devServerUrl).origin : pathToFileURL(renderer.file).href;
  return (url) => {
    try {
      const parsed = new URL(url);
      if (renderer.devServerUrl) return parsed.origin === expected;
      parsed.hash = '';
      parsed.search = '';
      return parsed.href === expected;
    } catch {
      return false;
    }
  };
}
