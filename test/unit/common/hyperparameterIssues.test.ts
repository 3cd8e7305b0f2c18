/**
 * Each hyperparameter issue carries its problem as data (a code and the figures), so the training
 * form can word it in Chinese, while its English message, and so the CLI's, stays word for word.
 */
import { describe, expect, it } from 'vitest';
import {
  HyperparameterError,
  checkField,
  hyperparameterFields,
  resolveHyperparameters,
  unknownNameIssue,
  type HyperparameterIssue,
} from '../../../src-main/common/hyperparameters';
import { parseHyperparameterFlags } from '../../../src-main/common/hyperparameterFlags';

const field = (name: string) => hyperparameterFields.find((f) => f.name === name)!;

function issuesOf(action: () => unknown): HyperparameterIssue[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HyperparameterError);
    return (error as HyperparameterError).issues;
  }
  throw new Error('expected a HyperparameterError');
}

describe('hyperparameter issue codes', () => {
  it('gives a value out of range its bound and the allowed range, beside the unchanged message', () => {
    expect(checkField(field('maxLen'), 5, 'field').issues).toEqual([
      {
        field: 'maxLen',
        message: '5 is below the minimum 8 (allowed 8–2,000)',
        problem: { code: 'too-small', value: 5, allowed: { kind: 'int', min: 8, max: 2000 } },
      },
    ]);
    expect(checkField(field('dropout'), 2, 'field').issues).toEqual([
      {
        field: 'dropout',
        message: '2 is above the maximum 0.9 (allowed 0–0.9)',
        problem: { code: 'too-big', value: 2, allowed: { kind: 'number', min: 0, max: 0.9 } },
      },
    ]);
  });

  it('marks an exclusive minimum, so the form can say "more than"', () => {
    const [issue] = checkField(field('learningRate'), 0, 'field').issues;
    expect(issue!.message).toBe('0 is too small: it must be more than 0 (allowed more than 0, up to 1)');
    expect(issue!.problem).toEqual({ code: 'too-small', value: 0, allowed: { kind: 'number', min: 0, max: 1, exclusiveMin: true } });
    expect(checkField(field('trainFraction'), 0, 'field').issues[0]!.problem).toMatchObject({ code: 'too-small', allowed: { exclusiveMin: true } });
  });

  it('codes a fraction where a whole number belongs, text where a number belongs, and bad choices', () => {
    const problemOf = (name: string, value: unknown) => checkField(field(name), value, 'field').issues.map((i) => i.problem);
    expect(problemOf('units', 32.5)).toEqual([{ code: 'not-whole', value: 32.5, allowed: { kind: 'int', min: 4, max: 1024 } }]);
    expect(problemOf('epochs', 'five')).toEqual([{ code: 'not-number', value: 'five', allowed: { kind: 'int', min: 1, max: 1000 } }]);
    expect(problemOf('cell', 'rnn')).toEqual([{ code: 'not-option', value: 'rnn', allowed: { kind: 'enum', options: ['lstm', 'gru'] } }]);
    expect(problemOf('masking', 'yes')).toEqual([{ code: 'not-boolean', value: 'yes' }]);
  });

  it('keeps one issue, with its code, when a reused tokenizer check and the narrower range both fail', () => {
    const issues = checkField(field('maxLen'), 0, 'field').issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.problem?.code).toBe('too-small');
  });

  it('codes the combination, unknown-name and unknown-preset problems', () => {
    expect(issuesOf(() => resolveHyperparameters('fast', { momentum: 0.9 }))).toEqual([
      {
        field: 'momentum',
        message: 'momentum applies only to the sgd optimizer, and the optimizer is adam; choose the sgd optimizer or set momentum to 0',
        problem: { code: 'momentum-needs-sgd', optimizer: 'adam' },
      },
    ]);
    expect(unknownNameIssue('maxLength', 'field').problem).toEqual({ code: 'unknown-name', suggestion: 'maxLen' });
    expect(unknownNameIssue('max-length', 'flag').problem).toEqual({ code: 'unknown-name', suggestion: '--max-len' });
    expect(unknownNameIssue('colour', 'field').problem).toEqual({ code: 'unknown-name', suggestion: null });
    const [preset] = issuesOf(() => resolveHyperparameters('quick' as 'fast'));
    expect(preset).toEqual({ field: 'preset', message: "'quick' is not a preset; choose fast, textbook, accurate", problem: { code: 'unknown-preset', value: 'quick' } });
  });

  it('carries the same problem whichever naming words the message', () => {
    const fromFlags = issuesOf(() => parseHyperparameterFlags({ 'max-len': '5' }));
    const fromFields = checkField(field('maxLen'), 5, 'field').issues;
    expect(fromFlags[0]!.field).toBe('--max-len');
    expect(fromFlags[0]!.problem).toEqual(fromFields[0]!.problem);
  });

  it('leaves the error message the CLI prints exactly as it was', () => {
    const error = (() => {
      try {
        resolveHyperparameters('accurate', { maxLen: 5, dropout: 2 });
      } catch (e) {
        return e as HyperparameterError;
      }
      throw new Error('expected a HyperparameterError');
    })();
    expect(error.message).toBe(
      '2 problems with the hyperparameters:\n  maxLen: 5 is below the minimum 8 (allowed 8–2,000)\n  dropout: 2 is above the maximum 0.9 (allowed 0–0.9)',
    );
    // Plain data: it survives a structured clone (the IPC boundary) unchanged.
    expect(structuredClone(error.issues)).toEqual(error.issues);
  });
});
