import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@common': fileURLToPath(new URL('./src-main/common', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Native modules (better-sqlite3) and child processes are safer in forks than in threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for the page (e2e) or a process; 1 s (the default) flaked on a loaded CI run.
    expect: { poll: { timeout: 10_000 } },
  },
});
