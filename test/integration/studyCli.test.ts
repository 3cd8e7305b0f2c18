/**
 * `curve` and `search` from the command line: dimension syntax, usage errors, and one tiny search
 * through the real trainer with its --json result.
 */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDimension } from '../../src-main/node/cli/commands/studyCommands';
import { runCli } from '../../src-main/node/cli/main';
import { tempDir } from '../helpers/tempProject';
import { toyReviews, writeJsonl } from '../helpers/toyReviews';

let cleanup = () => {};
afterEach(() => cleanup());

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c) => out.push(String(c)));
  stderr.on('data', (c) => err.push(String(c)));
  const code = await runCli(args, { stdout, stderr: stderr as unknown as NodeJS.WriteStream });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('study commands', () => {
  it('reads values, ranges and log ranges in Keras flag names', () => {
    expect(parseDimension('units=32,64')).toEqual({ field: 'units', values: [32, 64] });
    expect(parseDimension('cell=lstm,gru')).toEqual({ field: 'cell', values: ['lstm', 'gru'] });
    expect(parseDimension('bidirectional=true,false')).toEqual({ field: 'bidirectional', values: [true, false] });
    expect(parseDimension('learning-rate=1e-4..1e-2:log')).toEqual({ field: 'learningRate', min: 1e-4, max: 1e-2, log: true });
    expect(() => parseDimension('seed=1,2')).toThrow(/cannot be searched/);
    expect(() => parseDimension('unitz=1,2')).toThrow(/not a hyperparameter flag/);
    expect(() => parseDimension('units')).toThrow(/name=v1,v2/);
  });

  it('refuses a bad plan before training, then runs a search and reports the best trial as JSON', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const data = writeJsonl(join(t.dir, 'toy.jsonl'), toyReviews(200));
    const bad = await cli(['search', '--data', data, '--strategy', 'grid', 'dropout=0.1..0.5', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout.trim().split('\n').at(-1)!)).toMatchObject({ error: { message: expect.stringContaining('a grid search needs listed values') } });
    const r = await cli(['search', '--data', data, '--strategy', 'grid', '--epochs', '1', '--max-len', '16', '--embed-dim', '8', '--min-count', '1', 'units=4,6', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ status: 'done', kind: 'search', bestTrial: expect.any(Number) });
    expect(result.trials.map((t: { params: { units: number } }) => t.params.units)).toEqual([4, 6]);
    expect(r.stderr).toContain('trial 2 of 2');
    expect(r.stderr).toMatch(/best on validation accuracy/);
  }, 60_000);

  it('checks labels from the command line and lists the suspects as JSON', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const rows = toyReviews(200);
    for (const i of [3, 50, 97]) rows[i]!.label = rows[i]!.label === 'positive' ? 'negative' : 'positive';
    const data = writeJsonl(join(t.dir, 'toy.jsonl'), rows);
    const project = join(t.dir, 'p.sstudio');
    expect((await cli(['import', data, '--project', project, '--text-column', 'text', '--label-column', 'label'])).code).toBe(0);
    expect((await cli(['check-labels', '--project', project, '--folds', '1'])).code).toBe(2);
    const r = await cli(['check-labels', '--project', project, '--folds', '3', '--epochs', '4', '--max-len', '24', '--embed-dim', '16', '--units', '8', '--min-count', '1', '--top', '5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ checked: 200, labels: ['positive', 'negative'], runId: expect.any(Number) });
    expect(result.suspects.length).toBeLessThanOrEqual(5);
    for (const s of result.suspects) expect(s.suggested).not.toBe(s.given);
    expect(r.stderr).toMatch(/Checked 200 labelled items/);
  }, 60_000);
});
