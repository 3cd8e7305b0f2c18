/**
 * The label check's settings as the Start panel edits them. Kept by the tab, not the panel: the
 * panel makes way for the progress while a check runs, and "Run again" should offer the same
 * choices afterwards.
 */
import { hyperparameterFields, presets } from '@common/hyperparameters';
import { labelCheckDefaults } from '@common/labelCheck';
import type { CheckRequest, FoldModel } from './liveCheck.svelte';

/** The settings that decide how long LSTM/GRU folds take; the rest stays the fast preset's. */
export const settingNames = ['epochs', 'maxLen', 'units', 'embedDim'] as const;
export type Setting = (typeof settingNames)[number];

const fast = presets[labelCheckDefaults.preset].values;
export const settingFields = settingNames.map((name) => {
  const field = hyperparameterFields.find((f) => f.name === name)!;
  return { name, min: field.min ?? 1, max: field.max ?? 1000, preset: fast[name] as number };
});

export const whole = (value: number | null, min: number, max: number): boolean => value !== null && Number.isInteger(value) && value >= min && value <= max;

export class CheckForm {
  folds = $state<number | null>(labelCheckDefaults.folds);
  foldModel = $state<FoldModel>('recurrent');
  settings = $state(Object.fromEntries(settingFields.map((f) => [f.name, f.preset])) as Record<Setting, number | null>);

  foldsValid = $derived(whole(this.folds, 2, 10));
  invalidSetting = $derived(this.foldModel === 'recurrent' ? (settingFields.find((f) => !whole(this.settings[f.name], f.min, f.max)) ?? null) : null);
  changedSettings = $derived(settingFields.filter((f) => this.settings[f.name] !== f.preset).length);
  valid = $derived(this.foldsValid && this.invalidSetting === null);

  /** Only the settings that differ from the preset travel as overrides. */
  request(): CheckRequest {
    const overrides: Record<string, number> = {};
    if (this.foldModel === 'recurrent') for (const f of settingFields) if (this.settings[f.name] !== f.preset) overrides[f.name] = this.settings[f.name]!;
    return { folds: this.folds!, foldModel: this.foldModel, overrides };
  }
}
