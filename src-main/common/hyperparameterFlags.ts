/**
 * Hyperparameters from the command line: `--max-len 200`, `--bidirectional`, `--no-masking`,
 * typed and range-checked against the shared schema, with "did you mean" for unknown flags.
 */
import {
  checkField,
  describeAllowed,
  fieldByFlag,
  HyperparameterError,
  show,
  unknownNameIssue,
  type FieldInfo,
  type HyperparameterIssue,
  type Hyperparameters,
} from './hyperparameters';

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const trueWords = new Set(['true', 'yes', 'on', '1']);
const falseWords = new Set(['false', 'no', 'off', '0']);

function flagValue(field: FieldInfo, raw: string | boolean): { value: unknown } | { problem: string } {
  if (field.kind === 'boolean') {
    if (typeof raw === 'boolean') return { value: raw };
    const word = raw.trim().toLowerCase();
    if (trueWords.has(word)) return { value: true };
    if (falseWords.has(word)) return { value: false };
    return { problem: `expected true or false, got ${show(raw)}` };
  }
  if (typeof raw === 'boolean') {
    const example = field.kind === 'enum' ? field.options!.join(' or ') : show(field.default);
    return { problem: `needs a value, e.g. ${field.flag} ${example}` };
  }
  const text = raw.trim();
  if (field.kind === 'enum') return { value: text.toLowerCase() };
  if (!numberPattern.test(text)) return { problem: `${show(raw)} is not a number (allowed ${describeAllowed(field)})` };
  return { value: Number(text) };
}

/**
 * CLI: `{ 'max-len': '200', bidirectional: true, 'no-masking': true }` (strings from argv, with or
 * without the leading `--`) -> typed overrides, each checked against its range. Unknown flags are
 * errors that suggest the closest known flag. Combinations are checked by resolveHyperparameters.
 */
export function parseHyperparameterFlags(flags: Record<string, string | boolean>): Partial<Hyperparameters> {
  const issues: HyperparameterIssue[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [given, raw] of Object.entries(flags)) {
    const name = given.replace(/^--?/, '');
    let field = fieldByFlag.get(name);
    let value: string | boolean = raw;
    const negated = name.startsWith('no-') ? fieldByFlag.get(name.slice(3)) : undefined;
    if (!field && negated?.kind === 'boolean' && typeof raw === 'boolean') {
      field = negated;
      value = !raw;
    }
    if (!field) {
      issues.push(unknownNameIssue(`--${name}`, 'flag'));
      continue;
    }
    if (field.name in parsed) {
      issues.push({ field: field.flag, message: 'given more than once' });
      continue;
    }
    const converted = flagValue(field, value);
    if ('problem' in converted) {
      issues.push({ field: field.flag, message: converted.problem });
      continue;
    }
    const result = checkField(field, converted.value, 'flag');
    issues.push(...result.issues);
    if (result.issues.length === 0) parsed[field.name] = result.value;
  }
  if (issues.length > 0) throw new HyperparameterError(issues);
  return parsed as Partial<Hyperparameters>;
}
