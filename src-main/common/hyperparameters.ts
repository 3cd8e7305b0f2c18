/**
 * The one hyperparameter schema the CLI, the training form and the trainer share, in Keras names.
 * A field's range, default and options live only in its zod schema; `hyperparameterFields` reads
 * them back so the form, the CLI help and the error messages can never disagree with validation.
 */
import { fieldText, type FieldGroup } from './hyperparameterHelp';
import { z } from 'zod';
import { StudioError } from './errors';
import { presetNames, presets, type PresetName } from './presets';
import { formatCount } from './format';
import { maxLenSchema, minCountSchema, sequenceSideSchema, tokenizerDefaults, vocabSizeSchema } from './tokenizer';

export const cellTypes = ['lstm', 'gru'] as const;
export type CellType = (typeof cellTypes)[number];
export const poolingModes = ['last', 'max', 'mean'] as const;
export type PoolingMode = (typeof poolingModes)[number];
export const optimizerNames = ['adam', 'rmsprop', 'sgd'] as const;
export type OptimizerName = (typeof optimizerNames)[number];
export const classWeightModes = ['none', 'auto'] as const;
export type ClassWeightMode = (typeof classWeightModes)[number];

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const fraction = (max: number) => z.number().min(0).max(max);

/**
 * Field by field; `resolveHyperparameters` also checks combinations (momentum needs sgd). Kept a
 * plain object without refinements so `.partial()` and `.pick()` stay available to the form.
 */
export const hyperparameterSchema = z.object({
  vocabSize: vocabSizeSchema.min(100).max(200_000).default(tokenizerDefaults.vocabSize),
  minCount: minCountSchema.max(1000).default(tokenizerDefaults.minCount),
  maxLen: maxLenSchema.min(8).max(2000).default(tokenizerDefaults.maxLen),
  padding: sequenceSideSchema.default(tokenizerDefaults.padding),
  truncating: sequenceSideSchema.default(tokenizerDefaults.truncating),
  lowercase: z.boolean().default(tokenizerDefaults.lowercase),

  embedDim: int(8, 1024).default(64),
  cell: z.enum(cellTypes).default('lstm'),
  units: int(4, 1024).default(64),
  layers: int(1, 3).default(1),
  bidirectional: z.boolean().default(false),
  pooling: z.enum(poolingModes).default('last'),
  masking: z.boolean().default(true),
  embeddingDropout: fraction(0.9).default(0),
  dropout: fraction(0.9).default(0.2),
  // Off by default: tfjs cannot use its fused kernels with recurrent dropout, and epochs get many times slower.
  recurrentDropout: fraction(0.9).default(0),

  optimizer: z.enum(optimizerNames).default('adam'),
  learningRate: z.number().gt(0).max(1).default(1e-3),
  momentum: fraction(0.999).default(0),
  clipNorm: z.number().min(0).max(100).default(0),
  batchSize: int(1, 4096).default(32),
  epochs: int(1, 1000).default(10),
  patience: int(0, 100).default(0),
  classWeights: z.enum(classWeightModes).default('none'),
  validationSplit: fraction(0.5).default(0.1),
  trainFraction: z.number().gt(0).max(1).default(1),
  seed: int(0, 2 ** 31 - 1).default(42),
  freezeEmbedding: z.boolean().default(false),
});
export type Hyperparameters = z.output<typeof hyperparameterSchema>;
type FieldName = keyof Hyperparameters;

export type { FieldGroup } from './hyperparameterHelp';

export interface FieldInfo {
  name: keyof Hyperparameters;
  /** `--max-len` for `maxLen`. */
  flag: string;
  group: FieldGroup;
  kind: 'int' | 'number' | 'enum' | 'boolean';
  min?: number;
  max?: number;
  /** The value must be greater than `min`, not equal to it (the learning rate). */
  exclusiveMin?: boolean;
  options?: readonly string[];
  default: unknown;
  help: string;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function describeField(name: FieldName, schema: z.ZodDefault<z.ZodType>): FieldInfo {
  const inner = schema.unwrap();
  const info: FieldInfo = { name, flag: `--${kebab(name)}`, kind: 'boolean', default: schema.def.defaultValue, ...fieldText[name] };
  if (inner instanceof z.ZodBoolean) return info;
  if (inner instanceof z.ZodEnum) return { ...info, kind: 'enum', options: inner.options as string[] };
  if (inner instanceof z.ZodNumber && inner.minValue !== null && inner.maxValue !== null) {
    const ranged: FieldInfo = { ...info, kind: inner.isInt ? 'int' : 'number', min: inner.minValue, max: inner.maxValue };
    // zod reports the bound of `.gt(0)` as minValue 0 without saying it is exclusive; asking the schema does.
    return inner.safeParse(inner.minValue).success ? ranged : { ...ranged, exclusiveMin: true };
  }
  throw new Error(`hyperparameter ${name}: its schema is not a bounded number, an enum or a boolean`);
}

export const hyperparameterFields: readonly FieldInfo[] = Object.freeze(
  (Object.keys(hyperparameterSchema.shape) as FieldName[]).map((name) =>
    Object.freeze(describeField(name, hyperparameterSchema.shape[name] as z.ZodDefault<z.ZodType>)),
  ),
);
const fieldByName = new Map(hyperparameterFields.map((f) => [f.name as string, f]));
/**
 * Settings a saved model carries in its layers and tokenizer (the Text and Model groups): a
 * fine-tuned run keeps its parent's, the trainer refuses a change and the form locks them.
 */
export const architectureFields: readonly FieldName[] = Object.freeze(hyperparameterFields.filter((f) => f.group !== 'Training').map((f) => f.name));
export const fieldByFlag = new Map(hyperparameterFields.map((f) => [f.flag.slice(2), f]));

// The presets live in their own module (a recipe each); they are part of this one's API.
export { defaultPreset, presetNames, presets, type PresetName } from './presets';

export interface HyperparameterIssue {
  /** The field name (`maxLen`), or the flag (`--max-len`) when the values came from the command line. */
  field: string;
  /** The problem without the field name, for display next to the field: `5 is below the minimum 8 (allowed 8–2,000)`. */
  message: string;
  /**
   * The same problem as data, so the training form can word it in the analyst's language; the
   * English `message` stays the CLI's. Absent when the wording comes from elsewhere (zod's own
   * message, a study's checks), and the message is then shown as it is.
   */
  problem?: IssueProblem;
}

/** What a field accepts, as data: `describeAllowed` words it for the CLI, the form in its own language. */
export type AllowedValues = Pick<FieldInfo, 'kind' | 'min' | 'max' | 'exclusiveMin' | 'options'>;

/** `value` is the value as given, before any conversion: a number, or the text that is not one. */
export type IssueProblem =
  | { code: 'not-boolean'; value: unknown }
  | { code: 'not-option'; value: unknown; allowed: AllowedValues }
  | { code: 'not-number'; value: unknown; allowed: AllowedValues }
  /** Below `allowed.min`, or equal to it when `allowed.exclusiveMin`. */
  | { code: 'too-small'; value: number; allowed: AllowedValues }
  | { code: 'too-big'; value: number; allowed: AllowedValues }
  | { code: 'not-whole'; value: number; allowed: AllowedValues }
  | { code: 'momentum-needs-sgd'; optimizer: string }
  /** `suggestion`: the closest known name, in the issue's naming (`maxLen` or `--max-len`). */
  | { code: 'unknown-name'; suggestion: string | null }
  | { code: 'unknown-preset'; value: unknown };
export type IssueCode = IssueProblem['code'];

/** Every problem at once; the message lists them as `--max-len: 5 is below the minimum 8 (allowed 8–2,000)`. */
export class HyperparameterError extends StudioError {
  readonly issues: HyperparameterIssue[];

  constructor(issues: HyperparameterIssue[]) {
    const lines = issues.map((i) => `${i.field}: ${i.message}`);
    super('invalid-input', lines.length === 1 ? lines[0] : `${lines.length} problems with the hyperparameters:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'HyperparameterError';
    this.issues = issues;
  }
}

export type Naming = 'field' | 'flag';

function showNumber(n: number): string {
  return Number.isInteger(n) ? formatCount(n) : String(n);
}

export function show(value: unknown): string {
  if (typeof value === 'number') return showNumber(value);
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined || value === null || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** What a field accepts, as the form and the messages say it: `8–2,000`, `more than 0, up to 1`, `lstm, gru`. */
export function describeAllowed(field: AllowedValues): string {
  if (field.kind === 'boolean') return 'true or false';
  if (field.kind === 'enum') return field.options!.join(', ');
  if (field.exclusiveMin) return `more than ${showNumber(field.min!)}, up to ${showNumber(field.max!)}`;
  return `${showNumber(field.min!)}–${showNumber(field.max!)}`;
}

function allowedOf({ kind, min, max, exclusiveMin, options }: FieldInfo): AllowedValues {
  if (kind === 'boolean') return { kind };
  if (kind === 'enum') return { kind, options };
  return exclusiveMin ? { kind, min, max, exclusiveMin } : { kind, min, max };
}

type Worded = Pick<HyperparameterIssue, 'message' | 'problem'>;

function valueProblem(field: FieldInfo, issue: z.core.$ZodIssue, value: unknown): Worded {
  const allowed = allowedOf(field);
  const range = describeAllowed(allowed);
  switch (field.kind) {
    case 'boolean':
      return { message: `expected true or false, got ${show(value)}`, problem: { code: 'not-boolean', value } };
    case 'enum':
      return { message: `${show(value)} is not one of ${range}`, problem: { code: 'not-option', value, allowed } };
    default:
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        const message = `expected ${field.kind === 'int' ? 'a whole number' : 'a number'} (allowed ${range}), got ${show(value)}`;
        return { message, problem: { code: 'not-number', value, allowed } };
      }
      if (issue.code === 'too_small' || value < field.min! || (field.exclusiveMin && value === field.min)) {
        const message = field.exclusiveMin
          ? `${show(value)} is too small: it must be more than ${showNumber(field.min!)} (allowed ${range})`
          : `${show(value)} is below the minimum ${showNumber(field.min!)} (allowed ${range})`;
        return { message, problem: { code: 'too-small', value, allowed } };
      }
      if (issue.code === 'too_big' || value > field.max!) {
        return { message: `${show(value)} is above the maximum ${showNumber(field.max!)} (allowed ${range})`, problem: { code: 'too-big', value, allowed } };
      }
      if (!Number.isInteger(value)) return { message: `${show(value)} is not a whole number (allowed ${range})`, problem: { code: 'not-whole', value, allowed } };
      return { message: issue.message };
  }
}

const label = (field: FieldInfo, naming: Naming) => (naming === 'flag' ? field.flag : field.name);

/** Checks one field's value; messages come from the field's metadata, one per problem. */
export function checkField(field: FieldInfo, value: unknown, naming: Naming): { value?: unknown; issues: HyperparameterIssue[] } {
  const result = (hyperparameterSchema.shape[field.name] as z.ZodDefault<z.ZodType>).unwrap().safeParse(value);
  if (result.success) return { value: result.data, issues: [] };
  // Reused tokenizer checks overlap with the narrower ranges here; one message per problem is enough.
  const problems = new Map(result.error.issues.map((issue) => valueProblem(field, issue, value)).map((p) => [p.message, p]));
  return { issues: [...problems.values()].map((p) => ({ field: label(field, naming), ...p })) };
}

function combinationProblems(values: Record<string, unknown>, naming: Naming): HyperparameterIssue[] {
  const { momentum, optimizer } = values;
  if (typeof momentum === 'number' && momentum > 0 && typeof optimizer === 'string' && optimizer !== 'sgd' && (optimizerNames as readonly string[]).includes(optimizer)) {
    const field = fieldByName.get('momentum')!;
    const fix = naming === 'flag' ? 'add --optimizer sgd or drop --momentum' : 'choose the sgd optimizer or set momentum to 0';
    const optimizerLabel = naming === 'flag' ? '--optimizer' : 'the optimizer';
    const message = `momentum applies only to the sgd optimizer, and ${optimizerLabel} is ${optimizer}; ${fix}`;
    return [{ field: label(field, naming), message, problem: { code: 'momentum-needs-sgd', optimizer } }];
  }
  return [];
}

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Names from Keras, PyTorch and tutorials that mean one of our fields. */
const aliases: Record<string, FieldName> = {
  numwords: 'vocabSize',
  maxwords: 'vocabSize',
  maxfeatures: 'vocabSize',
  lr: 'learningRate',
  embeddingdim: 'embedDim',
  embeddingsize: 'embedDim',
  embedsize: 'embedDim',
  hiddensize: 'units',
  hiddenunits: 'units',
  rnn: 'cell',
  rnntype: 'cell',
  celltype: 'cell',
  numlayers: 'layers',
  earlystopping: 'patience',
};

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function closestField(unknownName: string): FieldInfo | undefined {
  const wanted = normalize(unknownName);
  if (wanted === '') return undefined;
  const exact = hyperparameterFields.find((f) => normalize(f.name) === wanted) ?? fieldByName.get(aliases[wanted] ?? '');
  if (exact) return exact;
  let best: { field: FieldInfo; distance: number } | undefined;
  for (const field of hyperparameterFields) {
    const known = normalize(field.name);
    const prefix = Math.min(known.length, wanted.length) >= 3 && (known.startsWith(wanted) || wanted.startsWith(known));
    const distance = prefix ? 0.5 : editDistance(wanted, known);
    if (!best || distance < best.distance) best = { field, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(wanted.length / 3)) ? best.field : undefined;
}

export function unknownNameIssue(name: string, naming: Naming): HyperparameterIssue {
  const near = closestField(name);
  if (naming === 'flag') {
    const hint = near ? `did you mean ${near.flag}?` : `the flags are ${hyperparameterFields.map((f) => f.flag).join(', ')}`;
    const field = name.startsWith('-') ? name : `--${name}`;
    return { field, message: `not a hyperparameter flag; ${hint}`, problem: { code: 'unknown-name', suggestion: near?.flag ?? null } };
  }
  const hint = near ? `did you mean ${near.name}?` : `the hyperparameters are ${hyperparameterFields.map((f) => f.name).join(', ')}`;
  return { field: name, message: `not a hyperparameter; ${hint}`, problem: { code: 'unknown-name', suggestion: near?.name ?? null } };
}

/**
 * A complete set from stored or received values (a run's record, a trainer request): fields left
 * out take the schema defaults, unknown names and bad values throw a HyperparameterError.
 */
export function validateHyperparameters(values: Record<string, unknown>, options: { naming?: Naming } = {}): Hyperparameters {
  const naming = options.naming ?? 'field';
  const issues: HyperparameterIssue[] = [];
  const checked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const field = fieldByName.get(name);
    if (!field) {
      issues.push(unknownNameIssue(name, naming));
      continue;
    }
    const result = checkField(field, value, naming);
    issues.push(...result.issues);
    if (result.issues.length === 0) checked[name] = result.value;
  }
  issues.push(...combinationProblems(values, naming));
  if (issues.length > 0) throw new HyperparameterError(issues);
  return hyperparameterSchema.parse(checked);
}

/**
 * preset + overrides -> a validated full set. Overrides set to `undefined` are ignored (an empty
 * form field). `naming: 'flag'` words the messages for the command line (`--momentum`).
 */
export function resolveHyperparameters(
  preset: PresetName,
  overrides: Record<string, unknown> = {},
  options: { naming?: Naming } = {},
): Hyperparameters {
  if (!Object.hasOwn(presets, preset)) {
    const field = options.naming === 'flag' ? '--preset' : 'preset';
    const message = `${show(preset)} is not a preset; choose ${presetNames.join(', ')}`;
    throw new HyperparameterError([{ field, message, problem: { code: 'unknown-preset', value: preset } }]);
  }
  return validateHyperparameters({ ...presets[preset].values, ...withoutUndefined(overrides) }, options);
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** Fields whose values differ, in form order, e.g. to show what a run changed from its preset. */
export function describeDifferences(a: Hyperparameters, b: Hyperparameters): { field: string; a: unknown; b: unknown }[] {
  return hyperparameterFields.filter((f) => a[f.name] !== b[f.name]).map((f) => ({ field: f.name, a: a[f.name], b: b[f.name] }));
}
