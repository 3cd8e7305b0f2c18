/**
 * The renderer's Content-Security-Policy: the built app allows no network at all (it talks only
 * through window.studio), while the dev server swaps the <meta> policy for a header that lets
 * Vite's HMR websocket through. The e2e tests check the built policy in Chromium; this checks
 * that each mode gets the policy it should.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { IndexHtmlTransformHook, Plugin } from 'vite';
import { rendererConfig } from '../../../electron.vite.config';

const indexHtml = readFileSync(fileURLToPath(new URL('../../../src-renderer/index.html', import.meta.url)), 'utf8');
const cspMeta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/;

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources.join(' ')]),
  );
}

async function transformForDevServer(html: string): Promise<string> {
  const plugin = (rendererConfig.plugins as Plugin[]).find((candidate) => candidate.name === 'sentiment-studio:dev-csp');
  expect(plugin?.apply).toBe('serve');
  const hook = plugin!.transformIndexHtml;
  const handler = (typeof hook === 'function' ? hook : (hook as { handler: IndexHtmlTransformHook }).handler) as (
    html: string,
  ) => string | Promise<string>;
  return handler(html);
}

describe('renderer Content-Security-Policy', () => {
  it('allows the built app no connections, and nothing by default', () => {
    const policy = directives(cspMeta.exec(indexHtml)?.[1] ?? '');
    expect(policy.get('default-src')).toBe("'none'");
    expect(policy.get('connect-src')).toBe("'none'");
    expect(policy.get('script-src')).toBe("'self'");
  });

  it('the dev server drops the meta policy and sends one that allows the HMR websocket', async () => {
    expect(cspMeta.test(await transformForDevServer(indexHtml))).toBe(false);
    const header = directives(rendererConfig.server.headers['Content-Security-Policy']);
    expect(header.get('connect-src')).toMatch(/ws:\/\/localhost:\*/);
    expect(header.get('default-src')).toBe("'none'");
  });
});
