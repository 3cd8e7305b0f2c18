/**
 * The CLI end to end: in-process through runCli (fast) and once as a real process through the bin.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/node/cli/main';
import { tempDir } from '../helpers/tempProject';

const root = join(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures');
let cleanup = () => {};
afterEach(() => cleanup());

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c) => out.push(String(c)));
  (stderr as unknown as PassThrough).on('data', (c) => err.push(String(c)));
  const code = await runCli(args, { stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function lastJson(stdout: string): any {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

describe('cli', () => {
  it('imports with --json, proposing the label mapping, then reports info and exports', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = join(t.dir, 'p.sstudio');
    const r = await cli(['import', join(fixtures, 'reviews-small.csv'), '--project', project, '--text-column', 'review', '--label-column', 'sentiment', '--json']);
    expect(r.stderr).toMatch(/Label values: (0=negative, 1=positive|1=positive, 0=negative)/);
    expect(r.code).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ read: 8, imported: 6, duplicates: 1, skipped: 1, labels: { positive: 3, negative: 3 } });

    const info = await cli(['info', '--project', project, '--json']);
    expect(info.code).toBe(0);
    const summary = lastJson(info.stdout);
    expect(summary).toMatchObject({ items: 6, labelled: 6, perLabel: { positive: 3, negative: 3 } });
    const perSplitTotal = Object.values(summary.perSplit as Record<string, Record<string, number>>)
      .flatMap((c) => Object.values(c))
      .reduce((a, b) => a + b, 0);
    expect(perSplitTotal).toBe(6);

    const human = await cli(['info', '--project', project]);
    expect(human.stdout).toMatch(/positive\s+\d+\s+\d+\s+\d+\s+3/);

    const out = join(t.dir, 'labels.csv');
    const exp = await cli(['export-data', '--project', project, '--out', out, '--json']);
    expect(lastJson(exp.stdout)).toMatchObject({ rows: 6 });
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFid,external_id,text,label,annotator,labelled_at,split\r\n')).toBe(true);
    expect(csv).toContain('"Two lines\nin one review, still positive",positive');

    const hist = join(t.dir, 'history.jsonl');
    await cli(['export-data', '--project', project, '--out', hist, '--history']);
    const events = readFileSync(hist, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(6);
    expect(events[0]).toMatchObject({ origin: 'import', label: 'positive' });
  });

  it('reports a malformed file with its line, exit code 1 and a JSON error', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const r = await cli(['import', join(fixtures, 'reviews-broken.csv'), '--project', join(t.dir, 'p.sstudio'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: line 5: unterminated quote');
    expect(lastJson(r.stdout)).toEqual({ error: { code: 'bad-file', message: 'line 5: unterminated quote', line: 5 } });
  });

  it('rejects unknown options and bad values with usage help', async () => {
    const r = await cli(['import', 'x.csv', '--project', 'p.sstudio', '--txt-column', 'a']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --txt-column for 'import'");
    const e = await cli(['import', 'x.csv', '--project', 'p.sstudio', '--encoding', 'latin-9']);
    expect(e.stderr).toContain('--encoding must be one of utf-8');
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('runs as a real process through the bin', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = join(t.dir, 'p.sstudio');
    const stdout = execFileSync(
      process.execPath,
      [join(root, 'bin/sentiment-studio.mjs'), 'import', join(fixtures, 'reviews-small.csv'), '--project', project, '--text-column', 'review', '--label-column', 'sentiment', '--labels', 'positive,negative', '--json'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(lastJson(stdout)).toMatchObject({ imported: 6 });
  });

  it('checks the file and every flag before creating a project, and removes a project its failed import created', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const project = join(t.dir, 'p.sstudio');
    const missing = await cli(['import', join(t.dir, 'nope.csv'), '--project', project]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv/);
    const badMap = await cli(['import', join(fixtures, 'reviews-small.csv'), '--project', project, '--label-map', 'positive', '--json']);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toContain("--label-map: 'positive' is not value=label");
    expect(badMap.stderr).not.toContain('    at ');
    expect(lastJson(badMap.stdout)).toMatchObject({ error: { code: 'invalid-input' } });
    const badLabels = await cli(['import', join(fixtures, 'reviews-small.csv'), '--project', project, '--labels', 'positive']);
    expect(badLabels.stderr).toContain('--labels: a label set needs at least two labels');
    const badTarget = await cli(['import', join(fixtures, 'reviews-small.csv'), '--project', project, '--label-map', '1=happy']);
    expect(badTarget.stderr).toContain("'happy', which is not one of positive, negative");
    const broken = await cli(['import', join(fixtures, 'reviews-broken.csv'), '--project', project]);
    expect(broken.code).toBe(1);
    expect(existsSync(project)).toBe(false);
    expect(readdirSync(t.dir)).toEqual([]);
  });
});
