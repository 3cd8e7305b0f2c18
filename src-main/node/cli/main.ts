/**
 * `sentiment-studio <command>`: the studio's services without a window.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../../common/errors';
import { createStudioService } from '../services';
import { parseArgs, type FlagSpec, type ParsedFlags } from './args';
import { CliContext, UsageError, type CliIo } from './context';
import { exportDataCommand } from './commands/exportDataCommand';
import { importCommand } from './commands/importCommand';
import { infoCommand } from './commands/infoCommand';
import { benchCommand, benchFlags } from './commands/benchCommand';
import { evaluateCommand } from './commands/evaluateCommand';
import { exportCommand, predictCommand } from './commands/modelCommands';
import { trainCommand, trainFlags } from './commands/trainCommand';
import { curveCommand, searchCommand, studyFlags } from './commands/studyCommands';
import { labelCheckCommand, labelCheckFlags } from './commands/labelCheckCommand';

interface Command {
  summary: string;
  usage: string;
  flags: FlagSpec;
  run(ctx: CliContext, args: string[], flags: ParsedFlags): Promise<void>;
}

const commands: Record<string, Command> = {
  import: {
    summary: 'import reviews from CSV, TSV, JSON Lines, JSON, text or XLSX (optionally gzipped)',
    usage: `sentiment-studio import <file> --project <p.sstudio> [options]
  --project <file>          project file; created if missing
  --labels a,b[,c]          label set for a new project (default positive,negative)
  --text-column <name>      column with the review text (guessed when absent)
  --label-column <name>     column with labels (guessed by name when absent; --no-labels to import unlabelled)
  --id-column <name>        column with your own ids
  --split-column <name>     column with train/validation/test to keep a given split
  --metadata-columns a,b    columns kept as metadata
  --label-map v=l,v=l       map raw label values, e.g. 1=positive,0=negative (empty label = unlabelled)
  --stars <neg>,<pos>       map star ratings: <=neg negative, >=pos positive, between neutral
  --unknown-labels <p>      error (default) | unlabelled | skip
  --format <f>              csv | tsv | jsonl | json | text | xlsx (detected)
  --encoding <e>            utf-8 | utf-16le | utf-16be | gb18030 | big5 | shift_jis | windows-1252 (detected)
  --delimiter <d>           , | tab | ; | | (detected)
  --no-header               the first row is data, not column names
  --json                    last stdout line is a JSON summary`,
    flags: {
      strings: ['project', 'labels', 'text-column', 'label-column', 'id-column', 'split-column', 'metadata-columns', 'label-map', 'stars', 'unknown-labels', 'format', 'encoding', 'delimiter'],
      booleans: ['no-header', 'no-labels', 'json'],
    },
    run: importCommand,
  },
  info: {
    summary: 'show items, labels per class and per split',
    usage: 'sentiment-studio info --project <p.sstudio> [--read-only] [--json]',
    flags: { strings: ['project'], booleans: ['json', 'read-only'] },
    run: infoCommand,
  },
  train: {
    summary: 'train an LSTM/GRU model on the labelled items (in a separate process) and evaluate it on the test split',
    usage: `sentiment-studio train --project <p.sstudio> [--preset fast|textbook|accurate] [hyperparameter flags] [--from <run id>] [--json]
       sentiment-studio train --data <train.jsonl.gz> [--test <test.jsonl.gz>] [--labels a,b] [...]
  --preset <name>           fast | textbook | accurate (default accurate)
  --from <run id | bundle>  fine-tune that run's or bundle's model on the current labels (keeps its
                            vocabulary; new words are out-of-vocabulary; --freeze-embedding keeps the embedding)
  --baseline                train only the n-gram baseline (NBSVM, seconds); takes --seed, --min-count, --class-weights
  --no-baseline             skip the automatic baseline (otherwise trained once per data snapshot, so every run
                            reports whether it beats it)
  --data / --test <file>    train on files through a temporary project (JSON Lines with text and label)
  hyperparameters           Keras names in kebab case: --max-len --vocab-size --embed-dim --units --cell lstm|gru
                            --bidirectional --layers --pooling last|max|mean --dropout --batch-size --epochs
                            --learning-rate --optimizer --clip-norm --patience --class-weights auto --seed …
                            (booleans: --bidirectional / --no-bidirectional)
  --json                    last stdout line: runId, backend, epochs, test metrics, seconds, samplesPerSecond, baseline`,
    flags: trainFlags,
    run: trainCommand,
  },
  curve: {
    summary: 'learning curve: train a preset on growing shares of the labels and report validation accuracy for each',
    usage: `sentiment-studio curve --project <p.sstudio> [--fractions 0.1,0.25,0.5,1] [--preset fast|textbook|accurate] [hyperparameter flags] [--json]
       sentiment-studio curve --data <train.jsonl.gz> [--test <test.jsonl.gz>] [...]
  --fractions a,b,…         shares of the training split, drawn per label and nested (default 0.1,0.25,0.5,1);
                            validation and test stay whole
  --preset <name>           the recipe every point trains (default fast); hyperparameter flags change it
  --json                    last stdout line: studyId, trials (train size, best validation accuracy, test metrics), outlook`,
    flags: studyFlags,
    run: curveCommand,
  },
  search: {
    summary: 'hyperparameter search (random or grid) within a trial budget; every trial is a run',
    usage: `sentiment-studio search --project <p.sstudio> <name=values> … [--strategy random|grid] [--budget 8] [--preset fast] [--json]
  name=v1,v2,…              values to try, e.g. units=32,64,128 cell=lstm,gru bidirectional=true,false
  name=min..max[:log]       a range (random search only), e.g. learning-rate=1e-4..1e-2:log dropout=0.1..0.5
  --budget <n>              at most n trials (a larger grid is sampled at random); default 8
  --search-seed <n>         seed of the plan (which combinations), default 42; --seed stays the training seed
  --preset / flags          the recipe each trial starts from (default fast)
  --json                    last stdout line: studyId, bestTrial (chosen on validation accuracy), trials`,
    flags: studyFlags,
    run: searchCommand,
  },
  'check-labels': {
    summary: 'find likely label errors: k-fold out-of-fold models, then the items they confidently disagree with',
    usage: `sentiment-studio check-labels --project <p.sstudio> [--folds 5] [--preset fast | --fold-model baseline] [hyperparameter flags] [--top 20] [--json]
  --folds <k>               out-of-fold models (default 5); every labelled item is scored by a model that never saw it
  --preset <name>           the recipe of each fold's model (default fast)
  --fold-model baseline     n-gram (NBSVM) fold models instead: seconds, and more precise on reviews
  --top <n>                 suspects to list, most confident disagreement first (default 20)
  --json                    last stdout line: runId, checked, flagged, per-label thresholds, suspects`,
    flags: labelCheckFlags,
    run: labelCheckCommand,
  },
  evaluate: {
    summary: "a run's test metrics, or a run's or bundle's metrics on a labelled file",
    usage: `sentiment-studio evaluate --project <p.sstudio> --run <id> [--file <labelled file>] [--json]
       sentiment-studio evaluate --model <bundle folder> --file <labelled file> [--text-column text] [--label-column label] [--json]`,
    flags: { strings: ['project', 'run', 'model', 'file', 'text-column', 'label-column'], booleans: ['json'] },
    run: evaluateCommand,
  },
  export: {
    summary: "write a run's model bundle (model.json, weights.bin, tokenizer.json or a baseline's baseline.json; labels.json, metadata.json, README.md)",
    usage: 'sentiment-studio export --project <p.sstudio> --run <id> --out <folder> [--overwrite] [--json]',
    flags: { strings: ['project', 'run', 'out'], booleans: ['overwrite', 'json'] },
    run: exportCommand,
  },
  predict: {
    summary: 'score a file (any import format) with a model bundle or a run, writing label and probabilities',
    usage: `sentiment-studio predict --model <bundle folder> <file> --out <scored.csv|scored.jsonl|scored.xlsx> [--text-column <name>] [--overwrite] [--json]
       sentiment-studio predict --project <p.sstudio> --run <id> <file> --out <file>`,
    flags: { strings: ['model', 'project', 'run', 'out', 'text-column'], booleans: ['overwrite', 'json'] },
    run: predictCommand,
  },
  bench: {
    summary: "training or inference throughput of the studio's model at any configuration",
    usage: `sentiment-studio bench [--train | --infer] [--cell lstm|gru] [--vocab-size N] [--embed-dim N] [--units N] [--max-len N]
                       [--batch-size N] [--bidirectional] [--layers N] [--samples 512] [--repeats 3] [--json]
  Defaults: the reference configuration (LSTM, vocab 10,000, embed 64, units 64, sequence 100, batch 64, 512 samples).
  --json                    last stdout line: {"samplesPerSecond", "backend", "kernels", ...}`,
    flags: benchFlags,
    run: benchCommand,
  },
  'export-data': {
    summary: 'write labelled data as CSV, JSON Lines or XLSX',
    usage: `sentiment-studio export-data --project <p.sstudio> --out <file> [--format csv|jsonl|xlsx] [--history] [--overwrite] [--json]
  --history                 one row per label event instead of one per labelled item
  --overwrite               replace an existing file (never the project itself)`,
    flags: { strings: ['project', 'out', 'format'], booleans: ['history', 'overwrite', 'json'] },
    run: exportDataCommand,
  },
};

function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Sentiment Studio — label reviews and train sentiment models, from the command line.',
    '',
    'usage: sentiment-studio <command> [options]   (in the repository: npm run cli -- <command>)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'sentiment-studio help <command> shows its options.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] ? commands[rest[0]] : undefined;
    io.stdout.write((topic ? topic.usage : help()) + '\n');
    return 0;
  }
  if (name === '--version') {
    io.stdout.write(appVersion() + '\n');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`error: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  const service = createStudioService({ appVersion: appVersion() });
  // Known before parsing, so even a usage error ends stdout with a JSON line.
  const json = rest.includes('--json');
  const fail = (code: number, data: { code: string; message: string }, text: string) => {
    io.stderr.write(text);
    if (json) io.stdout.write(JSON.stringify({ error: data }) + '\n');
    return code;
  };
  try {
    const { positionals, flags } = parseArgs(name, rest, command.flags);
    await command.run(new CliContext(service, io, json, appVersion()), positionals, flags);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      return fail(2, { code: 'invalid-input', message: error.message }, `error: ${error.message}\n\nusage: ${command.usage}\n`);
    }
    if (StudioError.is(error)) return fail(1, error.toData(), `error: ${error.message}\n`);
    // Not a StudioError: a bug, so the stack helps whoever reports it.
    const message = `unexpected error: ${(error as Error).message ?? String(error)}`;
    return fail(1, { code: 'internal', message }, `error: ${message}\n${(error as Error).stack ?? ''}\n`);
  } finally {
    await service.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
