/**
 * Studies: a series of runs that answers one question. A learning curve trains one recipe on a
 * growing share of the labels (will labelling more help?); a search tries hyperparameter
 * combinations within a trial budget (which recipe suits this data?). Every trial is an ordinary
 * run, so it shows in the run history and can be compared, exported or made the current model.
 * The trials are planned up front from a seed, so a study is reproducible and can be resumed.
 */
import { z } from 'zod';
import { StudioError } from './errors';
import {
  checkField,
  HyperparameterError,
  hyperparameterFields,
  presetNames,
  resolveHyperparameters,
  type FieldInfo,
  type HyperparameterIssue,
  type Hyperparameters,
  type PresetName,
} from './hyperparameters';
import type { RunStatus } from './runRecords';

export const studyKinds = ['learning-curve', 'search'] as const;
export type StudyKind = (typeof studyKinds)[number];
export const searchStrategies = ['grid', 'random'] as const;
export type SearchStrategy = (typeof searchStrategies)[number];
/** 'interrupted': the app stopped mid-study; the remaining trials can be resumed. */
export type StudyStatus = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted';

/**
 * Fields a search may vary. Left out: those that change the data rather than the recipe
 * (validationSplit, trainFraction), the seed (a search over seeds measures luck), and the
 * fine-tuning and sgd-only switches.
 */
export const searchableFields = [
  'vocabSize',
  'minCount',
  'maxLen',
  'truncating',
  'embedDim',
  'cell',
  'units',
  'layers',
  'bidirectional',
  'pooling',
  'embeddingDropout',
  'dropout',
  'optimizer',
  'learningRate',
  'clipNorm',
  'batchSize',
  'epochs',
  'patience',
  'classWeights',
] as const satisfies readonly (keyof Hyperparameters)[];
export type SearchableField = (typeof searchableFields)[number];

const fieldValue = z.union([z.number(), z.string(), z.boolean()]);
export type FieldValue = z.infer<typeof fieldValue>;

/** A field's candidates: listed values (grid or random), or a numeric range (random only). */
export const searchDimensionSchema = z.union([
  z.strictObject({ field: z.enum(searchableFields), values: z.array(fieldValue).min(1).max(20) }),
  z.strictObject({ field: z.enum(searchableFields), min: z.number(), max: z.number(), log: z.boolean().default(false) }),
]);
export type SearchDimension = z.output<typeof searchDimensionSchema>;

const base = {
  preset: z.enum(presetNames).default('fast'),
  /** The form's values that differ from the preset: every trial starts from them. */
  overrides: z.record(z.string(), z.unknown()).default({}),
};

export const defaultCurveFractions = [0.1, 0.25, 0.5, 1] as const;

export const studyRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('learning-curve'),
    ...base,
    fractions: z
      .array(z.number().gt(0).max(1))
      .min(2)
      .max(10)
      .default([...defaultCurveFractions]),
  }),
  z.strictObject({
    kind: z.literal('search'),
    ...base,
    strategy: z.enum(searchStrategies).default('random'),
    dimensions: z.array(searchDimensionSchema).min(1).max(8),
    budget: z.number().int().min(1).max(100).default(8),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  }),
]);
export type StudyRequest = z.output<typeof studyRequestSchema>;

/** One planned trial: the values it sets on top of the preset and the base overrides. */
export interface PlannedTrial {
  params: Record<string, FieldValue>;
}

export interface StudyPlan {
  trials: PlannedTrial[];
  /** Said to the analyst beside the results, e.g. that a grid was larger than the budget. */
  note: string | null;
}

export interface StudyTrial {
  index: number;
  params: Record<string, FieldValue>;
  /** null: not started yet (or its run was deleted, see `runDeleted`). */
  runId: number | null;
  runDeleted: boolean;
  status: RunStatus | 'pending';
  /** Training reviews the run used (after trainFraction), from its outcome; null before it ends. */
  trainSize: number | null;
  /** The highest validation accuracy over its epochs: what trials are ranked by. */
  bestValAccuracy: number | null;
  /** The validation loss at the epoch with the best validation accuracy. */
  valLoss: number | null;
  testAccuracy: number | null;
  testMacroF1: number | null;
  seconds: number | null;
}

export interface StudySummary {
  id: number;
  kind: StudyKind;
  status: StudyStatus;
  request: StudyRequest;
  note: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  trials: StudyTrial[];
  /** The trial with the highest validation accuracy (never chosen on test); null before any ends. */
  bestTrial: number | null;
}

const studyField = (name: SearchableField): FieldInfo => hyperparameterFields.find((f) => f.name === name)!;

/** mulberry32, as in the trainer: the plan depends only on the request. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Three significant digits: a sampled learning rate reads 0.00137, not 0.0013712934. */
function tidy(n: number): number {
  return Number(n.toPrecision(3));
}

function checkDimensions(dimensions: SearchDimension[], strategy: SearchStrategy): HyperparameterIssue[] {
  const issues: HyperparameterIssue[] = [];
  const seen = new Set<string>();
  for (const d of dimensions) {
    const field = studyField(d.field);
    if (seen.has(d.field)) issues.push({ field: d.field, message: 'is listed twice in the search' });
    seen.add(d.field);
    if ('values' in d) {
      for (const v of d.values) for (const issue of checkField(field, v, 'field').issues) issues.push(issue);
      if (new Set(d.values.map(String)).size !== d.values.length) issues.push({ field: d.field, message: 'lists the same value twice' });
      continue;
    }
    if (strategy === 'grid') issues.push({ field: d.field, message: 'a grid search needs listed values, not a range' });
    if (field.kind !== 'int' && field.kind !== 'number') issues.push({ field: d.field, message: `is ${field.kind === 'enum' ? 'a choice' : 'on or off'}; list its values instead of a range` });
    else {
      for (const v of [d.min, d.max]) for (const issue of checkField(field, v, 'field').issues) issues.push(issue);
      if (d.min >= d.max) issues.push({ field: d.field, message: `the range ${d.min}–${d.max} is empty: the minimum must be below the maximum` });
      if (d.log && d.min <= 0) issues.push({ field: d.field, message: 'a log-scale range must start above 0' });
    }
  }
  return issues;
}

function sample(d: SearchDimension, random: () => number): FieldValue {
  if ('values' in d) return d.values[Math.floor(random() * d.values.length)]!;
  const u = random();
  const x = d.log ? Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min))) : d.min + u * (d.max - d.min);
  // Rounded values are clamped: three significant digits must not step outside the analyst's range.
  return Math.min(d.max, Math.max(d.min, studyField(d.field).kind === 'int' ? Math.round(x) : tidy(x)));
}

type ListedDimension = Extract<SearchDimension, { values: unknown }>;

/** Grid point `index` in mixed radix over the listed dimensions (the last varies fastest). */
function gridPoint(dimensions: ListedDimension[], index: number): Record<string, FieldValue> {
  const params: Record<string, FieldValue> = {};
  for (let d = dimensions.length - 1; d >= 0; d--) {
    const { field, values } = dimensions[d]!;
    params[field] = values[index % values.length]!;
    index = Math.floor(index / values.length);
  }
  return Object.fromEntries(dimensions.map((d) => [d.field, params[d.field]!]));
}

const key = (params: Record<string, FieldValue>) => JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));

function planSearch(request: Extract<StudyRequest, { kind: 'search' }>): StudyPlan {
  const random = seeded(request.seed);
  if (request.strategy === 'grid') {
    const listed = request.dimensions.filter((d): d is ListedDimension => 'values' in d);
    // Counted, never built: 8 fields of 20 values are 2.56e10 combinations, of which at most 100 run.
    const size = listed.reduce((n, d) => n * d.values.length, 1);
    if (size <= request.budget) return { trials: Array.from({ length: size }, (_, i) => ({ params: gridPoint(listed, i) })), note: null };
    // A seeded random part of the grid: an even spread beats the grid's first corner.
    const chosen = new Set<number>();
    while (chosen.size < request.budget) chosen.add(Math.floor(random() * size));
    return {
      trials: [...chosen].map((i) => ({ params: gridPoint(listed, i) })),
      note: `The grid has ${size.toLocaleString('en-US')} combinations; ${request.budget} of them, drawn at random, fit the trial budget.`,
    };
  }
  const seen = new Set<string>();
  const trials: PlannedTrial[] = [];
  // Listed values can run out of new combinations before the budget does.
  for (let attempt = 0; trials.length < request.budget && attempt < request.budget * 50; attempt++) {
    const params = Object.fromEntries(request.dimensions.map((d) => [d.field, sample(d, random)]));
    if (seen.has(key(params))) continue;
    seen.add(key(params));
    trials.push({ params });
  }
  const note = trials.length < request.budget ? `Only ${trials.length} different combinations exist, so the search runs ${trials.length} trials instead of ${request.budget}.` : null;
  return { trials, note };
}

function planCurve(request: Extract<StudyRequest, { kind: 'learning-curve' }>): StudyPlan {
  const fractions = [...new Set(request.fractions)].sort((a, b) => a - b);
  return { trials: fractions.map((trainFraction) => ({ params: { trainFraction } })), note: null };
}

/**
 * The study's trials, each checked against the schema with the preset and base overrides, so a
 * bad value is reported before the first run starts rather than at trial 7.
 */
export function planStudy(request: StudyRequest): StudyPlan {
  if (request.kind === 'search') {
    const issues = checkDimensions(request.dimensions, request.strategy);
    if (issues.length > 0) throw new HyperparameterError(issues);
  }
  const plan = request.kind === 'search' ? planSearch(request) : planCurve(request);
  if (plan.trials.length === 0) throw new StudioError('invalid-input', 'The study has no trials to run: add values to search over.');
  for (const trial of plan.trials) trialHyperparameters(request, trial.params);
  return plan;
}

/** A trial's full hyperparameters: preset, then the study's base overrides, then the trial's own values. */
export function trialHyperparameters(request: Pick<StudyRequest, 'preset' | 'overrides'>, params: Record<string, FieldValue>): Hyperparameters {
  return resolveHyperparameters(request.preset as PresetName, { ...request.overrides, ...params });
}

/** Highest validation accuracy; ties go to the lower validation loss, then the earlier trial. */
export function bestTrialIndex(trials: readonly StudyTrial[]): number | null {
  let best: StudyTrial | null = null;
  for (const t of trials) {
    if (t.bestValAccuracy === null) continue;
    if (!best || t.bestValAccuracy > best.bestValAccuracy! || (t.bestValAccuracy === best.bestValAccuracy && (t.valLoss ?? Infinity) < (best.valLoss ?? Infinity))) best = t;
  }
  return best?.index ?? null;
}

/**
 * What the last step of a learning curve says, in points of validation accuracy gained per
 * doubling of the labels: the analyst's question is "is labelling more worth it?".
 */
export function curveOutlook(trials: readonly StudyTrial[]): { gainPerDoubling: number; verdict: 'rising' | 'slowing' | 'flat' } | null {
  const done = trials.filter((t) => t.bestValAccuracy !== null && t.trainSize !== null && t.trainSize > 0).sort((a, b) => a.trainSize! - b.trainSize!);
  if (done.length < 2) return null;
  const [a, b] = [done.at(-2)!, done.at(-1)!];
  const doublings = Math.log2(b.trainSize! / a.trainSize!);
  if (doublings <= 0) return null;
  const gainPerDoubling = ((b.bestValAccuracy! - a.bestValAccuracy!) * 100) / doublings;
  // One point per doubling is about what another round of labelling buys in a typical project.
  return { gainPerDoubling, verdict: gainPerDoubling >= 1 ? 'rising' : gainPerDoubling >= 0.3 ? 'slowing' : 'flat' };
}
