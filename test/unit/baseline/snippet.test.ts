/**
 * The README promises that a text can be scored with baseline.json and a few lines of plain
 * JavaScript: run that snippet, as printed, in a fresh `node` process.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineReadme, baselineUnits, predictBaseline, serializeBaseline, trainBaseline } from '../../../src-main/node/baseline';
import type { BaselineModel } from '../../../src-main/node/baseline';
import { tempDir } from '../../helpers/tempProject';
import { toyReviews } from '../../helpers/toyReviews';

const { dir, cleanup } = tempDir('sstudio-baseline-');
afterAll(cleanup);

function trained(texts: string[], labels: number[], names: string[]): BaselineModel {
  return trainBaseline({ texts, labels: Int32Array.from(labels) }, null, names, { C: 1, minCount: 1 }).model;
}

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

async function runSnippet(name: string, model: BaselineModel, texts: string[]): Promise<number[][]> {
  const [scorer] = codeBlocks(baselineReadme(model));
  const modelPath = join(dir, `${name}.json`);
  writeFileSync(modelPath, JSON.stringify(serializeBaseline(model)));
  const units = texts.map((text) => baselineUnits(model, text));
  const script = join(dir, `${name}.mjs`);
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';\n${scorer}\n` +
      `const model = JSON.parse(readFileSync(${JSON.stringify(modelPath)}, 'utf8'));\n` +
      `console.log(JSON.stringify(${JSON.stringify(units)}.map((units) => score(model, units))));\n`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [script]);
  return JSON.parse(stdout) as number[][];
}

function expectSameProbabilities(fromSnippet: number[][], model: BaselineModel, texts: string[]): void {
  const k = model.labels.length;
  const expected = predictBaseline(model, texts);
  expect(fromSnippet).toHaveLength(texts.length);
  fromSnippet.forEach((row, i) => {
    expect(row).toHaveLength(k);
    row.forEach((p, c) => expect(Math.abs(p - expected[i * k + c])).toBeLessThan(1e-6));
  });
}

describe('the README scoring snippet', () => {
  it('is at most ten lines inside its function', () => {
    const [scorer] = codeBlocks(baselineReadme(trained(['good', 'bad'], [1, 0], ['negative', 'positive'])));
    const lines = scorer.trim().split('\n');
    expect(lines[0]).toMatch(/^function score\(model, units\) \{$/);
    expect(lines.length - 2).toBeLessThanOrEqual(10);
  });

  it('matches predictBaseline for two labels (words) and three labels (one-vs-rest) in a fresh node process', async () => {
    const rows = toyReviews(120, 11, ['positive', 'negative', 'neutral']);
    const names = ['negative', 'neutral', 'positive'];
    const texts = ['A great, wonderful film!', 'boring... and dull', 'the cast of this movie', 'nothing known here', ''];

    const binaryRows = rows.filter((r) => r.label !== 'neutral');
    const binary = trained(binaryRows.map((r) => r.text), binaryRows.map((r) => (r.label === 'positive' ? 1 : 0)), ['negative', 'positive']);
    const multi = trained(rows.map((r) => r.text), rows.map((r) => names.indexOf(r.label)), names);
    const [fromBinary, fromMulti] = await Promise.all([runSnippet('binary', binary, texts), runSnippet('multi', multi, texts)]);
    expectSameProbabilities(fromBinary, binary, texts);
    expectSameProbabilities(fromMulti, multi, texts);
  });

  it('matches predictBaseline for character n-grams (Chinese)', async () => {
    const model = trained(['很好，很满意', '不好，太差了', '服务很好 干净', '房间太差'], [1, 0, 1, 0], ['negative', 'positive']);
    expect(model.features.units).toBe('characters');
    const texts = ['很好', '太差了！', '干净 很好'];
    expectSameProbabilities(await runSnippet('chars', model, texts), model, texts);
  });
});
