/**
 * The training form's state: a preset, the Advanced values (shown as typed, so a bad entry keeps
 * what the analyst wrote), and what they amount to. Validation is the shared schema's, so the
 * inline messages say what the CLI says, in the window's language.
 */
import type { BundleInfo, RunSummary } from '@common/contract';
import {
  architectureFields,
  HyperparameterError,
  defaultPreset,
  hyperparameterFields,
  hyperparameterSchema,
  presetNames,
  presets,
  resolveHyperparameters,
  type FieldInfo,
  type HyperparameterIssue,
  type Hyperparameters,
  type PresetName,
} from '@common/hyperparameters';

export type FieldValue = string | boolean;

/** Only meaningful when fine-tuning. */
export const fineTuningOnly = new Set<string>(['freezeEmbedding']);

/** Locked when fine-tuning: the shared list the trainer enforces. */
export function isArchitectureField(field: FieldInfo): boolean {
  return architectureFields.includes(field.name);
}

/** What a fine-tuned run continues: a run of this project, or an exported bundle. */
export type FineTuneParent = { kind: 'run'; run: RunSummary } | { kind: 'bundle'; bundle: BundleInfo };

export function parentHyperparameters(parent: FineTuneParent): Record<string, unknown> {
  return parent.kind === 'run' ? parent.run.hyperparameters : parent.bundle.hyperparameters;
}

function presetValues(preset: PresetName): Hyperparameters {
  return hyperparameterSchema.parse(presets[preset].values);
}

function asFieldValue(field: FieldInfo, value: unknown): FieldValue {
  return field.kind === 'boolean' ? Boolean(value) : String(value);
}

/** What the field's text means: a number when it reads as one, else the text itself (to be reported). */
function parse(field: FieldInfo, value: FieldValue): unknown {
  if (typeof value === 'boolean' || field.kind === 'enum') return value;
  const text = value.trim();
  if (text === '') return undefined;
  const number = Number(text);
  return Number.isNaN(number) ? text : number;
}

export class TrainFormState {
  preset = $state<PresetName>(defaultPreset);
  values = $state<Record<string, FieldValue>>({});
  baselineOnly = $state(false);
  alsoBaseline = $state(true);
  /** Set: the run continues this model on the current labels (fine-tuning). */
  parent = $state<FineTuneParent | null>(null);

  constructor() {
    this.choosePreset(defaultPreset);
  }

  /** A preset sets every field (but a fine-tuned model's architecture); Advanced edits made before are replaced. */
  choosePreset(preset: PresetName): void {
    this.preset = preset;
    const base = presetValues(preset);
    const kept = this.parent ? parentHyperparameters(this.parent) : {};
    this.values = Object.fromEntries(
      hyperparameterFields.map((f) => [f.name, asFieldValue(f, this.parent && isArchitectureField(f) && f.name in kept ? kept[f.name] : base[f.name])]),
    );
  }

  /** Starts from the parent's settings: its architecture is locked, its training settings are a starting point. */
  fineTune(parent: FineTuneParent): void {
    const hp = parentHyperparameters(parent);
    const named = hp['preset'];
    this.parent = parent;
    this.baselineOnly = false;
    this.preset = presetNames.find((p) => p === named) ?? this.preset;
    const base = presetValues(this.preset);
    this.values = Object.fromEntries(
      hyperparameterFields.map((f) => [f.name, asFieldValue(f, f.name !== 'freezeEmbedding' && f.name in hp ? hp[f.name] : base[f.name])]),
    );
  }

  /** Back to training from scratch, with the preset's values. */
  clearParent(): void {
    this.parent = null;
    this.choosePreset(this.preset);
  }

  set(name: string, value: FieldValue): void {
    this.values[name] = value;
  }

  /** Fields that differ from the preset, as the channel expects them. */
  readonly overrides = $derived.by(() => {
    const base = presetValues(this.preset);
    const changed: Record<string, unknown> = {};
    for (const field of hyperparameterFields) {
      const value = parse(field, this.values[field.name] ?? '');
      if (value !== undefined && value !== base[field.name]) changed[field.name] = value;
    }
    return changed;
  });

  /** The full set the run will use, or each field's problem (worded in the window's language by the field). */
  readonly checked = $derived.by((): { hyperparameters: Hyperparameters | null; issues: Record<string, HyperparameterIssue> } => {
    try {
      return { hyperparameters: resolveHyperparameters(this.preset, this.overrides), issues: {} };
    } catch (error) {
      if (!(error instanceof HyperparameterError)) throw error;
      return { hyperparameters: null, issues: Object.fromEntries(error.issues.map((i) => [i.field, i])) };
    }
  });

  /** The max length the run will use (the preset's while the field is invalid). */
  readonly maxLen = $derived(this.checked.hyperparameters?.maxLen ?? presetValues(this.preset).maxLen);
  readonly classWeights = $derived(this.checked.hyperparameters?.classWeights ?? presetValues(this.preset).classWeights);
  /** Fields changed from the preset; a fine-tuned model's inherited architecture does not count as a change. */
  readonly changedCount = $derived(
    hyperparameterFields.filter((f) => f.name in this.overrides && !(this.parent && isArchitectureField(f))).length,
  );

  /** The `train:start` request, or null while a field is invalid. */
  request(): {
    model: 'recurrent' | 'baseline';
    preset: PresetName;
    overrides: Record<string, unknown>;
    baseline: boolean;
    fromRunId?: number;
    fromBundle?: string;
  } | null {
    const hp = this.checked.hyperparameters;
    if (!hp) return null;
    if (this.parent) {
      const from = this.parent.kind === 'run' ? { fromRunId: this.parent.run.id } : { fromBundle: this.parent.bundle.path };
      return { model: 'recurrent', preset: this.preset, overrides: this.overrides, baseline: this.alsoBaseline, ...from };
    }
    if (this.baselineOnly) {
      // The baseline takes the settings it shares with the form; the rest are the recurrent model's.
      return { model: 'baseline', preset: this.preset, overrides: { classWeights: hp.classWeights, seed: hp.seed }, baseline: false };
    }
    return { model: 'recurrent', preset: this.preset, overrides: this.overrides, baseline: this.alsoBaseline };
  }
}
