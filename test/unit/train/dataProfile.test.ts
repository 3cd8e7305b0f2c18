/**
 * The training form's length profile: token counts from the studio's tokenizer, a histogram whose
 * bins add up to the reviews measured, and a seeded sample (same answer twice) for large projects.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src-main/node/ingest/importer';
import { profileLabelledData } from '../../../src-main/node/train/dataProfile';
import { newProject, tempDir } from '../../helpers/tempProject';
import { writeJsonl } from '../../helpers/toyReviews';

let cleanup = () => {};
afterEach(() => cleanup());

async function projectWith(rows: { text: string; label: string | null }[]) {
  const t = tempDir();
  cleanup = t.cleanup;
  const project = newProject(t.dir);
  await importFile(project, { path: writeJsonl(join(t.dir, 'rows.jsonl'), rows), columns: { textColumn: 'text', labelColumn: 'label' }, unknownLabels: 'unlabelled' });
  return project;
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

describe('profileLabelledData', () => {
  it('counts the tokens of labelled reviews only, with the tokenizer’s normalisation', async () => {
    const project = await projectWith([
      { text: 'Great <br /> film!', label: 'positive' },
      { text: words(10), label: 'negative' },
      { text: words(30), label: 'positive' },
      { text: words(500), label: null },
    ]);
    const profile = profileLabelledData(project.db);
    expect(profile.labelled).toBe(3);
    expect(profile.sampled).toBe(3);
    // The HTML tag is stripped; the exclamation mark is a token of its own.
    expect(profile.stats).toMatchObject({ count: 3, min: 3, max: 30 });
    expect(profile.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(profile.quantiles).toHaveLength(101);
    expect(profile.quantiles[0]).toBe(3);
    expect(profile.quantiles[100]).toBe(30);
    project.close();
  });

  it('profiles a seeded sample of a large project, the same one each time', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({ text: `${words(4 + (i % 50))} r${i}`, label: i % 2 ? 'positive' : 'negative' }));
    const project = await projectWith(rows);
    const a = profileLabelledData(project.db, { sampleSize: 200 });
    const b = profileLabelledData(project.db, { sampleSize: 200 });
    expect(a.labelled).toBe(600);
    expect(a.sampled).toBe(200);
    expect(a).toEqual(b);
    expect(a.histogram.counts.reduce((x, y) => x + y, 0)).toBe(200);
    // A uniform 5..54 spread: the sample's median lands near the middle.
    expect(a.stats.p50).toBeGreaterThan(20);
    expect(a.stats.p50).toBeLessThan(40);
    // Bins are a readable width and cover the longest review in the last one.
    expect([1, 2, 5, 10, 20, 50]).toContain(a.histogram.binWidth);
    expect(a.histogram.counts.length * a.histogram.binWidth).toBeGreaterThan(a.stats.max);
    project.close();
  });
});
