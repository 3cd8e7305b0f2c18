/**
 * Background search indexing as the service runs it: it pauses while an import holds the project
 * and must pick up again however the import ends.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudioService, type StudioService } from '../../src-main/node/services';
import { addTexts, newProject, tempDir } from '../helpers/tempProject';

let service: StudioService | null = null;
let cleanup = () => {};
afterEach(async () => {
  await service?.dispose();
  service = null;
  cleanup();
});

describe('background search indexing in the service', () => {
  for (const ending of ['cancelled', 'failed'] as const) {
    it(`finishes indexing after an import that was ${ending}`, async () => {
      const t = tempDir();
      cleanup = t.cleanup;
      const unindexed = newProject(t.dir);
      addTexts(unindexed, Array.from({ length: 400 }, (_, i) => `review number ${i}`));
      unindexed.close();
      const file = join(t.dir, 'many.csv');
      const rows = Array.from({ length: 50_000 }, (_, i) => `imported review ${i}`);
      writeFileSync(file, 'text\n' + rows.join('\n'));
      const s = (service = createStudioService({ appVersion: '0.0.0-test', annotator: 'tester' }));

      expect(await s.invoke('project:open', { path: join(t.dir, 'test.sstudio') })).toMatchObject({ ok: true });
      // Holds the project from the call on, before the indexer's first slice; the failed one names
      // a column the file does not have.
      const running = s.invoke('import:run', { path: file, columns: { textColumn: ending === 'failed' ? 'missing' : 'text' } });
      // The first slice runs, and finds the project busy.
      await new Promise((r) => setTimeout(r, 10));
      if (ending === 'cancelled') expect(await s.invoke('import:cancel', {})).toMatchObject({ ok: true, value: { cancelled: true } });
      expect(await running).toMatchObject({ ok: false });

      await expect.poll(() => s.project!.searchIndex.pending(), { timeout: 5_000 }).toBe(0);
      expect(await s.invoke('items:list', { search: 'number 399', limit: 1 })).toMatchObject({ ok: true, value: { total: 1 } });
    });
  }
});
