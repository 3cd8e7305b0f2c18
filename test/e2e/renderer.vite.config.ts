/**
 * The renderer's Vite config without the Electron main and preload targets, so the e2e harness
 * can build just the renderer (`vite build --config test/e2e/renderer.vite.config.ts`).
 */
import { defineConfig } from 'vite';
import { rendererConfig } from '../../electron.vite.config';

export default defineConfig({
  ...rendererConfig,
  base: './',
  logLevel: 'warn',
  build: { ...rendererConfig.build, modulePreload: { polyfill: false }, reportCompressedSize: false },
});
