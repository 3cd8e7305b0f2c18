/**
 * What the shared hyperparameter schema says, in the analyst's language: a field's help, the
 * values it allows, its default and its problems. The words are the message catalogue's; the
 * schema gives the figures (`HyperparameterIssue.problem`), never English sentences. Takes the
 * translator as an argument so a plain Node test can hold the English to the CLI's wording.
 */
import { hyperparameterFields, presetNames, type AllowedValues, type FieldInfo, type HyperparameterIssue } from '@common/hyperparameters';
import type { MessageKey } from '../../messages';

export interface Translator {
  t(key: MessageKey, params?: Record<string, string | number>): string;
  locale: string;
}

export function fieldHelp(tr: Translator, field: FieldInfo): string {
  return tr.t(`train.field.${field.name}.help`);
}

function showNumber(tr: Translator, n: number): string {
  // A fraction keeps the analyst's own notation (1e-4, 0.25): a locale format would round it.
  return Number.isInteger(n) ? new Intl.NumberFormat(tr.locale).format(n) : String(n);
}

/** A value as given: numbers formatted for the locale, text quoted, anything else as it prints. */
export function showValue(tr: Translator, value: unknown): string {
  if (typeof value === 'number') return showNumber(tr, value);
  if (typeof value === 'string') return tr.t('train.value.text', { text: value });
  if (value === undefined || value === null || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}

export function showDefault(tr: Translator, field: FieldInfo): string {
  if (field.kind === 'boolean') return tr.t(field.default === true ? 'train.value.on' : 'train.value.off');
  return showValue(tr, field.default);
}

/** `8–2,000`, `more than 0, up to 1`, `lstm, gru`: `describeAllowed` in the analyst's language. */
export function allowedText(tr: Translator, allowed: AllowedValues): string {
  if (allowed.kind === 'boolean') return tr.t('train.allowed.boolean');
  if (allowed.kind === 'enum') return (allowed.options ?? []).join(tr.t('train.allowed.separator'));
  const range = { min: showNumber(tr, allowed.min!), max: showNumber(tr, allowed.max!) };
  return tr.t(allowed.exclusiveMin ? 'train.allowed.moreThan' : 'train.allowed.range', range);
}

/** The problem worded from its data; an issue without data (zod's own wording) shows its message. */
export function issueText(tr: Translator, issue: HyperparameterIssue): string {
  const problem = issue.problem;
  if (!problem) return issue.message;
  const list = (names: readonly string[]) => names.join(tr.t('train.allowed.separator'));
  const value = 'value' in problem ? showValue(tr, problem.value) : '';
  switch (problem.code) {
    case 'not-boolean':
      return tr.t('train.issue.notBoolean', { value });
    case 'not-option':
      return tr.t('train.issue.notOption', { value, allowed: allowedText(tr, problem.allowed) });
    case 'not-number': {
      const key = problem.allowed.kind === 'int' ? 'train.issue.notWholeNumber' : 'train.issue.notNumber';
      return tr.t(key, { value, allowed: allowedText(tr, problem.allowed) });
    }
    case 'too-small': {
      const key = problem.allowed.exclusiveMin ? 'train.issue.notMoreThan' : 'train.issue.belowMinimum';
      return tr.t(key, { value, min: showNumber(tr, problem.allowed.min!), allowed: allowedText(tr, problem.allowed) });
    }
    case 'too-big':
      return tr.t('train.issue.aboveMaximum', { value, max: showNumber(tr, problem.allowed.max!), allowed: allowedText(tr, problem.allowed) });
    case 'not-whole':
      return tr.t('train.issue.notWhole', { value, allowed: allowedText(tr, problem.allowed) });
    case 'momentum-needs-sgd':
      return tr.t('train.issue.momentumNeedsSgd', { optimizer: problem.optimizer });
    case 'unknown-name':
      return problem.suggestion === null
        ? tr.t('train.issue.unknownNameList', { names: list(hyperparameterFields.map((f) => f.name)) })
        : tr.t('train.issue.unknownName', { suggestion: problem.suggestion });
    case 'unknown-preset':
      return tr.t('train.issue.unknownPreset', { value, presets: list(presetNames) });
  }
}
