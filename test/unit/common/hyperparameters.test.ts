import { describe, expect, it } from 'vitest';
import { HyperparameterError, defaultPreset, describeAllowed, describeDifferences, hyperparameterFields, hyperparameterSchema, presetNames, presets, resolveHyperparameters, validateHyperparameters } from '../../../src-main/common/hyperparameters';
import { parseHyperparameterFlags } from '../../../src-main/common/hyperparameterFlags';
import { tokenizerDefaults } from '../../../src-main/common/tokenizer';

function issuesOf(action: () => unknown): { field: string; message: string }[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HyperparameterError);
    return (error as HyperparameterError).issues;
  }
  throw new Error('expected a HyperparameterError');
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('hyperparameter schema', () => {
  it('fills every field with its default, taking the text fields from the tokenizer', () => {
    const defaults = hyperparameterSchema.parse({});
    expect(Object.keys(defaults)).toEqual(hyperparameterFields.map((f) => f.name));
    expect(defaults).toMatchObject({
      vocabSize: tokenizerDefaults.vocabSize,
      minCount: tokenizerDefaults.minCount,
      maxLen: tokenizerDefaults.maxLen,
      padding: tokenizerDefaults.padding,
      truncating: tokenizerDefaults.truncating,
      lowercase: true,
      masking: true,
      recurrentDropout: 0,
      classWeights: 'none',
      validationSplit: 0.1,
      seed: 42,
    });
  });

  it('describes every field with help, group, flag, kind and a default the schema accepts', () => {
    expect(hyperparameterFields).toHaveLength(Object.keys(hyperparameterSchema.shape).length);
    for (const field of hyperparameterFields) {
      expect(field.help.length, field.name).toBeGreaterThan(30);
      expect(field.help, field.name).not.toContain('\n');
      expect(['Text', 'Model', 'Training']).toContain(field.group);
      expect(field.flag).toMatch(/^--[a-z]+(-[a-z]+)*$/);
      expect(() => validateHyperparameters({ [field.name]: field.default }), field.name).not.toThrow();
      if (field.kind === 'int' || field.kind === 'number') {
        expect(field.min, field.name).toBeTypeOf('number');
        expect(field.max, field.name).toBeGreaterThan(field.min!);
      }
      if (field.kind === 'enum') expect(field.options!.length, field.name).toBeGreaterThan(1);
    }
  });

  it('reads ranges, options and flags from the schema', () => {
    const byName = Object.fromEntries(hyperparameterFields.map((f) => [f.name, f]));
    expect(byName.maxLen).toMatchObject({ flag: '--max-len', group: 'Text', kind: 'int', min: 8, max: 2000 });
    expect(byName.vocabSize).toMatchObject({ min: 100, max: 200_000 });
    expect(byName.batchSize.flag).toBe('--batch-size');
    expect(byName.recurrentDropout.flag).toBe('--recurrent-dropout');
    expect(byName.dropout).toMatchObject({ kind: 'number', min: 0, max: 0.9 });
    expect(byName.learningRate).toMatchObject({ kind: 'number', min: 0, max: 1, exclusiveMin: true });
    expect(byName.seed).toMatchObject({ kind: 'int', min: 0, max: 2 ** 31 - 1, default: 42 });
    expect(byName.cell).toMatchObject({ kind: 'enum', options: ['lstm', 'gru'] });
    expect(byName.padding.options).toEqual(['pre', 'post']);
    expect(byName.bidirectional.kind).toBe('boolean');
    expect(describeAllowed(byName.maxLen)).toBe('8–2,000');
    expect(describeAllowed(byName.learningRate)).toBe('more than 0, up to 1');
  });
});

describe('presets', () => {
  it('all validate, and accurate is the default', () => {
    expect(defaultPreset).toBe('accurate');
    for (const name of presetNames) {
      expect(presets[name].description.length).toBeGreaterThan(20);
      expect(() => resolveHyperparameters(name), name).not.toThrow();
    }
  });

  it('textbook is the classic tutorial recipe', () => {
    expect(resolveHyperparameters('textbook')).toMatchObject({
      vocabSize: 10_000,
      maxLen: 200,
      padding: 'post',
      truncating: 'post',
      embedDim: 64,
      cell: 'lstm',
      units: 64,
      layers: 1,
      bidirectional: false,
      pooling: 'last',
      masking: true,
      dropout: 0.2,
      optimizer: 'adam',
      learningRate: 1e-3,
      batchSize: 32,
      epochs: 10,
      patience: 0,
    });
  });

  it('accurate keeps the ending of long reviews with a bidirectional GRU', () => {
    expect(resolveHyperparameters('accurate')).toMatchObject({
      vocabSize: 20_000,
      minCount: 2,
      maxLen: 400,
      padding: 'post',
      truncating: 'pre',
      embedDim: 128,
      cell: 'gru',
      units: 64,
      bidirectional: true,
      pooling: 'max',
      dropout: 0.3,
      learningRate: 2e-3,
      clipNorm: 1,
      batchSize: 64,
      patience: 2,
    });
  });

  it('fast is a small GRU with few epochs', () => {
    expect(resolveHyperparameters('fast')).toMatchObject({ cell: 'gru', units: 32, embedDim: 32, maxLen: 128, pooling: 'mean', epochs: 4, patience: 1 });
  });

  it('fields a preset leaves out take the schema defaults', () => {
    const schemaDefaults = hyperparameterSchema.parse({});
    const resolved = resolveHyperparameters('textbook');
    expect(resolved.seed).toBe(schemaDefaults.seed);
    expect(resolved.validationSplit).toBe(schemaDefaults.validationSplit);
    expect(resolved.lowercase).toBe(true);
    expect(resolved.freezeEmbedding).toBe(false);
  });

  it('rejects an unknown preset with the choices', () => {
    expect(messageOf(() => resolveHyperparameters('fastest' as 'fast'))).toBe("preset: 'fastest' is not a preset; choose fast, textbook, accurate");
  });
});

describe('resolveHyperparameters', () => {
  it('lets overrides win and ignores undefined ones', () => {
    const resolved = resolveHyperparameters('textbook', { maxLen: 300, cell: 'gru', bidirectional: true, units: undefined });
    expect(resolved).toMatchObject({ maxLen: 300, cell: 'gru', bidirectional: true, units: 64, vocabSize: 10_000 });
  });

  it('names the field and the allowed range', () => {
    expect(messageOf(() => resolveHyperparameters('fast', { maxLen: 5 }))).toBe('maxLen: 5 is below the minimum 8 (allowed 8–2,000)');
    expect(messageOf(() => resolveHyperparameters('fast', { vocabSize: 500_000 }))).toBe(
      'vocabSize: 500,000 is above the maximum 200,000 (allowed 100–200,000)',
    );
    expect(messageOf(() => resolveHyperparameters('fast', { dropout: 0.95 }))).toBe('dropout: 0.95 is above the maximum 0.9 (allowed 0–0.9)');
    expect(messageOf(() => resolveHyperparameters('fast', { learningRate: 0 }))).toBe(
      'learningRate: 0 is too small: it must be more than 0 (allowed more than 0, up to 1)',
    );
    expect(messageOf(() => resolveHyperparameters('fast', { units: 32.5 }))).toBe('units: 32.5 is not a whole number (allowed 4–1,024)');
    expect(messageOf(() => resolveHyperparameters('fast', { cell: 'rnn' }))).toBe("cell: 'rnn' is not one of lstm, gru");
    expect(messageOf(() => resolveHyperparameters('fast', { masking: 'yes' }))).toBe("masking: expected true or false, got 'yes'");
    expect(messageOf(() => resolveHyperparameters('fast', { epochs: '5' }))).toBe("epochs: expected a whole number (allowed 1–1,000), got '5'");
  });

  it('reports one message when a reused tokenizer check and the narrower range both fail', () => {
    expect(issuesOf(() => resolveHyperparameters('fast', { maxLen: 0 }))).toMatchObject([
      { field: 'maxLen', message: '0 is below the minimum 8 (allowed 8–2,000)' },
    ]);
    expect(issuesOf(() => resolveHyperparameters('fast', { vocabSize: 1e20 }))).toHaveLength(1);
  });

  it('reports several problems at once', () => {
    const issues = issuesOf(() => resolveHyperparameters('accurate', { maxLen: 5, dropout: 2, cell: 'rnn', maxLength: 300 }));
    expect(issues.map((i) => i.field)).toEqual(['maxLen', 'cell', 'dropout', 'maxLength']);
    expect(issues.find((i) => i.field === 'maxLength')!.message).toBe('not a hyperparameter; did you mean maxLen?');
    const message = messageOf(() => resolveHyperparameters('accurate', { maxLen: 5, dropout: 2 }));
    expect(message).toBe(
      '2 problems with the hyperparameters:\n  maxLen: 5 is below the minimum 8 (allowed 8–2,000)\n  dropout: 2 is above the maximum 0.9 (allowed 0–0.9)',
    );
  });

  it('accepts momentum only with the sgd optimizer', () => {
    expect(resolveHyperparameters('fast', { optimizer: 'sgd', momentum: 0.9 })).toMatchObject({ optimizer: 'sgd', momentum: 0.9 });
    expect(messageOf(() => resolveHyperparameters('fast', { momentum: 0.9 }))).toBe(
      'momentum: momentum applies only to the sgd optimizer, and the optimizer is adam; choose the sgd optimizer or set momentum to 0',
    );
    expect(messageOf(() => resolveHyperparameters('fast', { momentum: 0.9 }, { naming: 'flag' }))).toBe(
      '--momentum: momentum applies only to the sgd optimizer, and --optimizer is adam; add --optimizer sgd or drop --momentum',
    );
  });

  it('throws an error that crosses the IPC and CLI boundary as invalid input', () => {
    try {
      resolveHyperparameters('fast', { maxLen: 5 });
    } catch (error) {
      expect((error as HyperparameterError).code).toBe('invalid-input');
      return;
    }
    throw new Error('expected an error');
  });
});

describe('validateHyperparameters', () => {
  it('completes a stored set with the schema defaults', () => {
    expect(validateHyperparameters({ maxLen: 300 })).toEqual({ ...hyperparameterSchema.parse({}), maxLen: 300 });
  });
});

describe('parseHyperparameterFlags', () => {
  it('types ints, floats, booleans and enums from argv strings', () => {
    expect(
      parseHyperparameterFlags({
        'max-len': '200',
        'vocab-size': '2e4',
        'learning-rate': '1e-3',
        dropout: '.25',
        bidirectional: true,
        lowercase: 'false',
        cell: 'GRU',
        '--batch-size': '64',
      }),
    ).toEqual({ maxLen: 200, vocabSize: 20_000, learningRate: 0.001, dropout: 0.25, bidirectional: true, lowercase: false, cell: 'gru', batchSize: 64 });
  });

  it('reads --no-<flag> as false for booleans', () => {
    expect(parseHyperparameterFlags({ 'no-masking': true })).toEqual({ masking: false });
  });

  it('words problems with the flag', () => {
    expect(messageOf(() => parseHyperparameterFlags({ 'max-len': '5' }))).toBe('--max-len: 5 is below the minimum 8 (allowed 8–2,000)');
    expect(messageOf(() => parseHyperparameterFlags({ epochs: 'ten' }))).toBe("--epochs: 'ten' is not a number (allowed 1–1,000)");
    expect(messageOf(() => parseHyperparameterFlags({ epochs: '2.5' }))).toBe('--epochs: 2.5 is not a whole number (allowed 1–1,000)');
    expect(messageOf(() => parseHyperparameterFlags({ 'max-len': true }))).toBe('--max-len: needs a value, e.g. --max-len 200');
    expect(messageOf(() => parseHyperparameterFlags({ pooling: true }))).toBe('--pooling: needs a value, e.g. --pooling last or max or mean');
    expect(messageOf(() => parseHyperparameterFlags({ optimizer: 'adamw' }))).toBe("--optimizer: 'adamw' is not one of adam, rmsprop, sgd");
    expect(messageOf(() => parseHyperparameterFlags({ masking: 'maybe' }))).toBe("--masking: expected true or false, got 'maybe'");
  });

  it('suggests the closest flag for an unknown one', () => {
    expect(messageOf(() => parseHyperparameterFlags({ 'max-length': '300' }))).toBe('--max-length: not a hyperparameter flag; did you mean --max-len?');
    const suggestion = (flag: string) => issuesOf(() => parseHyperparameterFlags({ [flag]: '1' }))[0].message;
    expect(suggestion('batch_size')).toMatch(/did you mean --batch-size\?$/);
    expect(suggestion('maxLen')).toMatch(/did you mean --max-len\?$/);
    expect(suggestion('epoch')).toMatch(/did you mean --epochs\?$/);
    expect(suggestion('lr')).toMatch(/did you mean --learning-rate\?$/);
    expect(suggestion('num-words')).toMatch(/did you mean --vocab-size\?$/);
    expect(suggestion('recurent-dropout')).toMatch(/did you mean --recurrent-dropout\?$/);
    expect(suggestion('colour')).toMatch(/^not a hyperparameter flag; the flags are --vocab-size, --min-count, /);
  });

  it('reports every bad flag at once', () => {
    const issues = issuesOf(() => parseHyperparameterFlags({ 'max-len': '5', dropout: '1', 'max-length': '9', units: '64' }));
    expect(issues.map((i) => i.field)).toEqual(['--max-len', '--dropout', '--max-length']);
  });

  it('feeds resolveHyperparameters', () => {
    const overrides = parseHyperparameterFlags({ 'max-len': '300', 'no-bidirectional': true });
    expect(resolveHyperparameters('accurate', overrides, { naming: 'flag' })).toMatchObject({ maxLen: 300, bidirectional: false, cell: 'gru' });
  });
});

describe('describeDifferences', () => {
  it('lists the fields that differ, in form order', () => {
    expect(describeDifferences(resolveHyperparameters('textbook'), resolveHyperparameters('textbook'))).toEqual([]);
    const a = resolveHyperparameters('textbook');
    const b = resolveHyperparameters('textbook', { seed: 7, maxLen: 300 });
    expect(describeDifferences(a, b)).toEqual([
      { field: 'maxLen', a: 200, b: 300 },
      { field: 'seed', a: 42, b: 7 },
    ]);
    expect(describeDifferences(resolveHyperparameters('fast'), resolveHyperparameters('accurate')).map((d) => d.field)).toContain('bidirectional');
  });
});
