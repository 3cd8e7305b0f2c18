/**
 * `sentiment-studio bench --train|--infer [model flags] [--samples 512] [--repeats 3] [--json]`:
 * throughput of the studio's model and training loop at any configuration. The reference
 * configuration is LSTM, vocab 10,000, embed 64, units 64, sequence 100, batch 64, 512 samples.
 */
import { resolveHyperparameters } from '../../../common/hyperparameters';
import { formatCount } from '../../../common/format';
import { measureThroughput } from '../../train/throughput';
import { UsageError, type CliContext } from '../context';
import type { FlagSpec, ParsedFlags } from '../args';
import { hyperparameterOverrides, trainFlags } from './trainCommand';

export const benchFlags: FlagSpec = {
  strings: [...trainFlags.strings.filter((s) => !['project', 'from', 'data', 'test', 'labels', 'preset'].includes(s)), 'samples', 'repeats'],
  booleans: [...trainFlags.booleans, 'train', 'infer'],
};

/** The reference configuration; flags override any of it. */
const reference = { cell: 'lstm', vocabSize: 10_000, embedDim: 64, units: 64, maxLen: 100, batchSize: 64, layers: 1, bidirectional: false, pooling: 'last', dropout: 0 } as const;

export async function benchCommand(ctx: CliContext, _args: string[], flags: ParsedFlags): Promise<void> {
  const infer = flags.boolean('infer');
  if (infer && flags.boolean('train')) throw new UsageError('choose --train or --infer');
  const count = (name: string, fallback: number) => {
    const raw = flags.string(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number of at least 1`);
    return n;
  };
  const samples = count('samples', 512);
  const repeats = count('repeats', 3);
  const hp = resolveHyperparameters('textbook', { ...reference, minCount: 1, ...hyperparameterOverrides(flags) });
  ctx.note(`${infer ? 'Inference' : 'Training'}: ${hp.bidirectional ? 'bidirectional ' : ''}${hp.cell.toUpperCase()} ${hp.units} × ${hp.layers}, vocab ${formatCount(hp.vocabSize)}, embed ${hp.embedDim}, sequence ${hp.maxLen}, batch ${hp.batchSize}, ${formatCount(samples)} samples, ${repeats} timed passes after a warm-up…`);
  const result = await measureThroughput({ hp, samples, infer, repeats });
  ctx.say(`${Math.round(result.samplesPerSecond)} samples/s (median of ${result.runs.map((r) => Math.round(r)).join(', ')}) on ${result.backend}`);
  ctx.result({ samplesPerSecond: Number(result.samplesPerSecond.toFixed(1)), runs: result.runs.map((r) => Number(r.toFixed(1))), backend: result.backend, kernels: result.kernels, mode: infer ? 'infer' : 'train', samples, hyperparameters: hp });
}
