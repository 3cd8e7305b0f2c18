/**
 * The training form's state: a preset, the Advanced values (shown as typed, so a bad entry keeps
 * what the analyst wrote), and what they amount to. Validation is the shared schema's, so the
 * inline messages say what the CLI says, in the window's language.
 */
import {
  HyperparameterError,
  defaultPreset,
  hyperparameterFields,
  hyperparameterSchema,
  presets,
  resolveHyperparameters,
  type FieldInfo,
  type HyperparameterIssue,
  type Hyperparameters,
  type PresetName,
} from '@common/hyperparameters';

export type FieldValue = string | boolean;

/** Only meaningful when fine-tuning, which this form does not start. */
export const fineTuningOnly = new Set<string>(['freezeEmbedding']);

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

  constructor() {
    this.choosePreset(defaultPreset);
  }

  /** A preset sets every field; Advanced edits made before are replaced. */
  choosePreset(preset: PresetName): void {
    this.preset = preset;
    const base = presetValues(preset);
    this.values = Object.fromEntries(hyperparameterFields.map((f) => [f.name, asFieldValue(f, base[f.name])]));
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
  readonly changedCount = $derived(Object.keys(this.overrides).length);

  /** The `train:start` request, or null while a field is invalid. */
  request(): { model: 'recurrent' | 'baseline'; preset: PresetName; overrides: Record<string, unknown>; baseline: boolean } | null {
    const hp = this.checked.hyperparameters;
    if (!hp) return null;
    if (this.baselineOnly) {
      // The baseline takes the settings it shares with the form; the rest are the recurrent model's.
      return { model: 'baseline', preset: this.preset, overrides: { classWeights: hp.classWeights, seed: hp.seed }, baseline: false };
    }
    return { model: 'recurrent', preset: this.preset, overrides: this.overrides, baseline: this.alsoBaseline };
  }
}
