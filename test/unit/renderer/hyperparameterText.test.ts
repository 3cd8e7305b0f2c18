/**
 * The training form words the shared schema in the analyst's language: every field has Chinese
 * help, and a problem reads in Chinese from its data, while the English form keeps the CLI's
 * wording word for word.
 */
import { describe, expect, it } from 'vitest';
import { fieldText } from '@common/hyperparameterHelp';
import { checkField, describeAllowed, hyperparameterFields, resolveHyperparameters, HyperparameterError, unknownNameIssue, type HyperparameterIssue } from '@common/hyperparameters';
import { catalogues, type Locale, type MessageKey } from '../../../src-renderer/src/messages';
import { allowedText, fieldHelp, issueText, showDefault, type Translator } from '../../../src-renderer/src/components/train/hyperparameterText';

/** The app's `t` without its reactive locale state (which needs the Svelte compiler). */
function translator(locale: Locale): Translator {
  return {
    locale,
    t(key: MessageKey, params: Record<string, string | number> = {}) {
      return catalogues[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        return value === undefined ? whole : typeof value === 'number' ? value.toLocaleString(locale) : value;
      });
    },
  };
}
const en = translator('en');
const zh = translator('zh-CN');
const han = /\p{Script=Han}/u;

function issuesOf(action: () => unknown): HyperparameterIssue[] {
  try {
    action();
  } catch (error) {
    if (error instanceof HyperparameterError) return error.issues;
    throw error;
  }
  throw new Error('expected a HyperparameterError');
}

/** For each field, values that fail it in every way its kind can fail. */
function badValues(kind: string, min?: number, max?: number): unknown[] {
  if (kind === 'boolean') return ['yes', 1];
  if (kind === 'enum') return ['nope', 3];
  const values: unknown[] = ['abc', min! - 1, min!, max! + 1, max! * 10, Number.NaN, Infinity];
  if (kind === 'int') values.push(min! + 0.5);
  return values;
}

const allIssues = hyperparameterFields.flatMap((f) => badValues(f.kind, f.min, f.max).flatMap((v) => checkField(f, v, 'field').issues));

describe('hyperparameter words in the form', () => {
  it('has Chinese help for every field, different from the English, and English help from the shared text', () => {
    for (const field of hyperparameterFields) {
      expect(fieldHelp(en, field)).toBe(fieldText[field.name].help);
      const chinese = fieldHelp(zh, field);
      expect(chinese, field.name).toMatch(han);
      expect(chinese).not.toBe(fieldHelp(en, field));
    }
  });

  it('words every field problem in English exactly as the CLI does', () => {
    expect(allIssues.length).toBeGreaterThan(hyperparameterFields.length * 2);
    for (const issue of allIssues) {
      expect(issue.problem, issue.message).toBeDefined();
      expect(issueText(en, issue)).toBe(issue.message);
    }
    const others = [
      ...issuesOf(() => resolveHyperparameters('fast', { momentum: 0.9 })),
      ...issuesOf(() => resolveHyperparameters('quick' as 'fast')),
      unknownNameIssue('maxLength', 'field'),
      unknownNameIssue('colour', 'field'),
    ];
    for (const issue of others) expect(issueText(en, issue)).toBe(issue.message);
  });

  it('words every field problem in Chinese, with locale numbers and the values as given', () => {
    for (const issue of allIssues) expect(issueText(zh, issue), issue.message).toMatch(han);
    const [tooShort] = checkField(hyperparameterFields.find((f) => f.name === 'maxLen')!, 5, 'field').issues;
    expect(issueText(zh, tooShort!)).toBe('5 低于最小值 8（允许 8–2,000）');
    const [rate] = checkField(hyperparameterFields.find((f) => f.name === 'learningRate')!, 0, 'field').issues;
    expect(issueText(zh, rate!)).toBe('0 太小：必须大于 0（允许 大于 0 且不超过 1）');
    const [cell] = checkField(hyperparameterFields.find((f) => f.name === 'cell')!, 'rnn', 'field').issues;
    expect(issueText(zh, cell!)).toBe('“rnn” 不是可选值（可选 lstm、gru）');
    const [momentum] = issuesOf(() => resolveHyperparameters('fast', { momentum: 0.9 }));
    expect(issueText(zh, momentum!)).toBe('动量只适用于 sgd 优化器，而当前优化器是 adam；请选择 sgd 优化器，或把动量设为 0');
  });

  it('shows a message without data as it is', () => {
    expect(issueText(zh, { field: 'units', message: 'is listed twice in the search' })).toBe('is listed twice in the search');
  });

  it('describes allowed values and defaults like the CLI in English, and in Chinese for zh', () => {
    for (const field of hyperparameterFields) {
      expect(allowedText(en, field)).toBe(describeAllowed(field));
      if (field.kind === 'boolean' || field.exclusiveMin) expect(allowedText(zh, field)).toMatch(han);
    }
    const byName = (name: string) => hyperparameterFields.find((f) => f.name === name)!;
    expect(allowedText(zh, byName('vocabSize'))).toBe('100–200,000');
    expect(showDefault(zh, byName('masking'))).toBe('开启');
    expect(showDefault(en, byName('masking'))).toBe('true');
    expect(showDefault(zh, byName('cell'))).toBe('“lstm”');
    expect(showDefault(en, byName('learningRate'))).toBe('0.001');
  });
});
