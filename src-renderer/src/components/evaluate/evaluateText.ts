/** How the Evaluate screen writes its figures, slices and filters in the analyst's language. */
import type { RunHistoryEntry } from '@common/contract';
import type { SliceRow } from '@common/evaluation';
import { CROSSVAL_RUN_KIND } from '@common/labelCheck';
import { i18n, t } from '../../lib/i18n.svelte';
import { kindName, percent } from '../runs/runText';
import type { ErrorFilters } from './errorList.svelte';

export { percent };

/** 0.8312 -> "0.831": scores that are not shares (AUC, ECE, thresholds, saliency). */
export function decimal(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return t('runs.metric.none');
  return new Intl.NumberFormat(i18n.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/**
 * A signed saliency score: "+0.042", "−0.0013". Two significant digits, because an undertrained
 * model's scores are all tiny and fixed decimals would print them all as 0.001.
 */
export function signed(value: number): string {
  const text = new Intl.NumberFormat(i18n.locale, { minimumSignificantDigits: 2, maximumSignificantDigits: 2 }).format(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

export function runOption(run: RunHistoryEntry): string {
  const text = t('evaluate.run.option', { id: run.id, kind: kindName(run.kind), accuracy: percent(run.test?.accuracy) });
  return run.current ? t('evaluate.run.current', { run: text }) : text;
}

/**
 * Finished runs that were scored on a test split, newest first. A label check scores every item
 * out of fold, not a test split: it has its own tab.
 */
export function evaluableRuns(runs: readonly RunHistoryEntry[]): RunHistoryEntry[] {
  return runs.filter((r) => r.status === 'done' && r.test !== null && r.kind !== CROSSVAL_RUN_KIND).sort((a, b) => b.id - a.id);
}

/** The project's current model when it can be evaluated, else the newest finished run. */
export function defaultRun(runs: readonly RunHistoryEntry[]): number | null {
  return (runs.find((r) => r.current) ?? runs[0])?.id ?? null;
}

export function dimensionName(dimension: string): string {
  if (dimension === 'length') return t('evaluate.slices.length');
  if (dimension === 'negation') return t('evaluate.slices.negation');
  return t('evaluate.slices.metadata', { column: dimension.replace(/^metadata:/, '') });
}

export function sliceName(slice: SliceRow, open: boolean): string {
  if (slice.dimension === 'length' && slice.tokens) {
    return open ? t('evaluate.slices.tokensOpen', { min: slice.tokens.min }) : t('evaluate.slices.tokens', slice.tokens);
  }
  if (slice.dimension === 'negation') return slice.value === 'with' ? t('evaluate.slices.with') : t('evaluate.slices.without');
  return slice.value;
}

/** The filters that narrow the list beyond "mistakes / correct / all", as removable chips. */
export function activeFilterChips(f: ErrorFilters): { key: 'cell' | 'range' | 'search'; text: string }[] {
  const chips: { key: 'cell' | 'range' | 'search'; text: string }[] = [];
  if (f.truth && f.predicted) chips.push({ key: 'cell', text: t('evaluate.filter.cell', { truth: f.truth, predicted: f.predicted }) });
  else if (f.truth) chips.push({ key: 'cell', text: t('evaluate.filter.truthOnly', { truth: f.truth }) });
  else if (f.predicted) chips.push({ key: 'cell', text: t('evaluate.filter.predictedOnly', { predicted: f.predicted }) });
  if (f.minTokens !== null && f.maxTokens !== null) chips.push({ key: 'range', text: t('evaluate.filter.range', { min: f.minTokens, max: f.maxTokens }) });
  else if (f.minTokens !== null) chips.push({ key: 'range', text: t('evaluate.filter.rangeMin', { min: f.minTokens }) });
  else if (f.maxTokens !== null) chips.push({ key: 'range', text: t('evaluate.filter.rangeMax', { max: f.maxTokens }) });
  if (f.search.trim()) chips.push({ key: 'search', text: t('evaluate.filter.searching', { search: f.search.trim() }) });
  return chips;
}
