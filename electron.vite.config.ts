/**
 * Builds the three Electron targets into out/:
 *   out/main/index.js     the main process (ESM: package.json says "type": "module")
 *   out/main/trainer.js   the training process entry, started with utilityProcess.fork
 *   out/preload/index.cjs the sandboxed preload: one self-contained CommonJS file
 *   out/renderer/         the Svelte app
 * `rendererConfig` is exported on its own so the e2e harness builds the renderer with plain Vite.
 */
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin, UserConfig } from 'vite';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const alias = { '@common': fromRoot('./src-main/common') };

/**
 * The production policy lives in index.html as a <meta> tag (headers cannot be attached to
 * file:// loads). The dev server needs inline styles (HMR) and a websocket, so in `serve` the
 * meta tag is dropped and this looser policy is sent as a header instead.
 */
const devContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

function devCspPlugin(): Plugin {
  return {
    name: 'sentiment-studio:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/\s*<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
  };
}

export const rendererConfig = {
  root: fromRoot('./src-renderer'),
  resolve: { alias },
  plugins: [svelte(), devCspPlugin()],
  server: { headers: { 'Content-Security-Policy': devContentSecurityPolicy } },
  build: {
    outDir: fromRoot('./out/renderer'),
    rolldownOptions: { input: fromRoot('./src-renderer/index.html') },
  },
} satisfies UserConfig;

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: fromRoot('./out/main'),
      // better-sqlite3 is native and must load from node_modules (or the Electron-ABI copy the
      // start script builds); all other dependencies are external by default too.
      externalizeDeps: { include: ['better-sqlite3'] },
      rolldownOptions: {
        input: {
          index: fromRoot('./src-main/electron/main.ts'),
          trainer: fromRoot('./src-main/trainer/index.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: fromRoot('./out/preload'),
      // A sandboxed preload can only `require('electron')`: bundle everything else (zod via
      // the contract) into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('./src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: rendererConfig,
});
