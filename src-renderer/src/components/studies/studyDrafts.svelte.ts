/**
 * What the analyst is setting up before a study starts: the learning curve's shares and the
 * search's fields, kept as typed (so a bad entry stays on screen) and turned into a
 * `studies:start` request. The plan itself (its checks, its trials) is the shared `planStudy`'s,
 * so the renderer says exactly what the main process would refuse.
 */
import { hyperparameterFields, type FieldInfo, type PresetName } from '@common/hyperparameters';
import {
  defaultCurveFractions,
  searchableFields,
  type FieldValue,
  type SearchableField,
  type SearchDimension,
  type SearchStrategy,
  type StudyRequest,
} from '@common/studies';

export const fieldInfo = (name: string): FieldInfo => hyperparameterFields.find((f) => f.name === name)!;

export const isNumeric = (field: FieldInfo) => field.kind === 'int' || field.kind === 'number';

/** A problem the renderer finds before the plan can even be built (an empty list, a blank range end). */
export type DraftProblem = 'emptyList' | 'tooManyValues' | 'rangeNumber' | 'shareNumber' | 'shareRange' | 'shareTwice' | 'shareCount';

/** The request schema's limits, said before the request is sent. */
export const maxDimensions = 8;
export const maxValues = 20;

export const minShares = 2;
export const maxShares = 10;

export class CurveDraft {
  /** Percentages as typed: "10", "25". */
  shares = $state<string[]>(defaultCurveFractions.map((f) => String(f * 100)));

  add(): void {
    if (this.shares.length >= maxShares) return;
    const numbers = this.shares.map(Number).filter((n) => Number.isFinite(n));
    // Halfway between the two smallest shares is where a curve usually lacks a point.
    const sorted = [...numbers].sort((a, b) => a - b);
    const guess = sorted.length >= 2 ? Math.round((sorted[0]! + sorted[1]!) / 2) : 75;
    this.shares = [...this.shares, String(numbers.includes(guess) ? Math.max(1, Math.round(guess / 2)) : guess)];
  }

  remove(index: number): void {
    if (this.shares.length > minShares) this.shares = this.shares.filter((_, i) => i !== index);
  }

  reset(): void {
    this.shares = defaultCurveFractions.map((f) => String(f * 100));
  }

  /** Each share as a fraction, or what is wrong with it. */
  readonly parsed = $derived(
    this.shares.map((text, i): { fraction: number | null; problem: DraftProblem | null } => {
      const n = Number(text.trim().replace(/%$/, ''));
      if (text.trim() === '' || !Number.isFinite(n)) return { fraction: null, problem: 'shareNumber' };
      if (n <= 0 || n > 100) return { fraction: null, problem: 'shareRange' };
      if (this.shares.slice(0, i).some((other) => Number(other.trim().replace(/%$/, '')) === n)) return { fraction: n / 100, problem: 'shareTwice' };
      return { fraction: n / 100, problem: null };
    }),
  );

  readonly problem = $derived<DraftProblem | null>(
    this.shares.length < minShares || this.shares.length > maxShares ? 'shareCount' : (this.parsed.find((p) => p.problem)?.problem ?? null),
  );

  request(preset: PresetName, overrides: Record<string, unknown>): StudyRequest | null {
    if (this.problem) return null;
    return { kind: 'learning-curve', preset, overrides, fractions: this.parsed.map((p) => p.fraction!) };
  }
}

export interface DimensionDraft {
  field: SearchableField;
  on: boolean;
  mode: 'list' | 'range';
  list: string;
  min: string;
  max: string;
  log: boolean;
}

/** Candidates worth trying on a CPU, around the presets' choices. */
const defaults: Partial<Record<SearchableField, { list: string; range?: [number, number, boolean]; mode?: 'range' }>> = {
  vocabSize: { list: '5000, 10000, 20000', range: [2000, 30000, true] },
  minCount: { list: '1, 2, 5', range: [1, 10, false] },
  maxLen: { list: '128, 256, 400', range: [64, 512, true] },
  truncating: { list: 'pre, post' },
  embedDim: { list: '32, 64, 128', range: [16, 256, true] },
  cell: { list: 'lstm, gru' },
  units: { list: '32, 64, 128', range: [16, 256, true] },
  layers: { list: '1, 2', range: [1, 3, false] },
  bidirectional: { list: 'true, false' },
  pooling: { list: 'last, max, mean' },
  embeddingDropout: { list: '0, 0.1, 0.2', range: [0, 0.3, false] },
  dropout: { list: '0.1, 0.3, 0.5', range: [0.1, 0.5, false], mode: 'range' },
  optimizer: { list: 'adam, rmsprop' },
  learningRate: { list: '0.0003, 0.001, 0.003', range: [3e-4, 3e-3, true], mode: 'range' },
  clipNorm: { list: '0, 1, 5', range: [0, 5, false] },
  batchSize: { list: '32, 64, 128', range: [16, 256, true] },
  epochs: { list: '3, 5, 10', range: [2, 15, false] },
  patience: { list: '0, 1, 2', range: [0, 5, false] },
  classWeights: { list: 'none, auto' },
};

/** Searched by default: the two choices that most often decide a recurrent model's score. */
const searchedAtFirst = new Set<SearchableField>(['learningRate', 'units']);

function defaultDimension(field: SearchableField): DimensionDraft {
  const d = defaults[field] ?? { list: '' };
  const [min, max, log] = d.range ?? [0, 0, false];
  return { field, on: searchedAtFirst.has(field), mode: d.mode ?? 'list', list: d.list, min: String(min), max: String(max), log };
}

/** A listed value as the schema will judge it: a number where the field wants one (else the text, to be reported). */
function parseValue(field: FieldInfo, text: string): FieldValue {
  if (field.kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (field.kind === 'enum') return text;
  const n = Number(text);
  return Number.isNaN(n) ? text : n;
}

export function splitList(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export class SearchDraft {
  strategy = $state<SearchStrategy>('random');
  budget = $state('8');
  dimensions = $state<DimensionDraft[]>(searchableFields.map(defaultDimension));

  readonly chosen = $derived(this.dimensions.filter((d) => d.on));

  /** A range only where the field is numeric and the strategy samples: a grid needs listed values. */
  effectiveMode(d: DimensionDraft): 'list' | 'range' {
    return d.mode === 'range' && this.strategy === 'random' && isNumeric(fieldInfo(d.field)) ? 'range' : 'list';
  }

  /** Per field, what keeps it from becoming a search dimension at all. */
  readonly problems = $derived.by(() => {
    const problems: Partial<Record<SearchableField, DraftProblem>> = {};
    for (const d of this.chosen) {
      if (this.effectiveMode(d) === 'list') {
        const count = splitList(d.list).length;
        if (count === 0) problems[d.field] = 'emptyList';
        else if (count > maxValues) problems[d.field] = 'tooManyValues';
      } else if ([d.min, d.max].some((v) => v.trim() === '' || !Number.isFinite(Number(v)))) {
        problems[d.field] = 'rangeNumber';
      }
    }
    return problems;
  });

  readonly budgetValue = $derived.by(() => {
    const n = Number(this.budget);
    return Number.isInteger(n) && n >= 1 && n <= 100 ? n : null;
  });

  /** How many values each listed field offers, for "3 × 2 = 6 combinations". */
  readonly listSizes = $derived(
    this.chosen.filter((d) => this.effectiveMode(d) === 'list').map((d) => ({ field: d.field, size: new Set(splitList(d.list)).size })),
  );
  readonly gridSize = $derived(this.listSizes.reduce((product, d) => product * d.size, 1));
  readonly hasRange = $derived(this.chosen.some((d) => this.effectiveMode(d) === 'range'));

  toDimension(d: DimensionDraft): SearchDimension {
    const field = fieldInfo(d.field);
    if (this.effectiveMode(d) === 'range') return { field: d.field, min: Number(d.min), max: Number(d.max), log: d.log };
    return { field: d.field, values: splitList(d.list).map((text) => parseValue(field, text)) };
  }

  request(preset: PresetName, overrides: Record<string, unknown>): StudyRequest | null {
    if (this.chosen.length === 0 || this.chosen.length > maxDimensions || Object.keys(this.problems).length > 0 || this.budgetValue === null) return null;
    return {
      kind: 'search',
      preset,
      overrides,
      strategy: this.strategy,
      budget: this.budgetValue,
      seed: 42,
      dimensions: this.chosen.map((d) => this.toDimension(d)),
    };
  }
}
