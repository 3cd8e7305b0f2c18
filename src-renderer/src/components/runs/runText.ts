/** How a run reads on screen: its name, settings, duration, scores and baseline comparison. */
import type { BaselineComparison } from '@common/baselineComparison';
import type { RunHistoryEntry, RunStatus } from '@common/contract';
import { i18n, t } from '../../lib/i18n.svelte';
import type { MessageKey } from '../../messages';

export function kindName(kind: string): string {
  if (kind === 'lstm' || kind === 'gru' || kind === 'nbsvm') return t(`runs.kind.${kind}`);
  return kind.toUpperCase();
}

export function isBaseline(run: { kind: string }): boolean {
  return run.kind === 'nbsvm';
}

export function statusName(status: RunStatus): string {
  return t(`runs.status.${status}` as MessageKey);
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return t('runs.metric.none');
  return new Intl.NumberFormat(i18n.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

export function startedAt(iso: string): string {
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function duration(seconds: number | null): string {
  if (seconds === null) return t('runs.metric.none');
  if (seconds < 60) return t('runs.duration.seconds', { seconds: seconds < 10 ? seconds.toFixed(1) : Math.round(seconds) });
  const whole = Math.round(seconds);
  if (whole < 3600) return t('runs.duration.minutes', { minutes: Math.floor(whole / 60), seconds: whole % 60 });
  return t('runs.duration.hours', { hours: Math.floor(whole / 3600), minutes: Math.floor((whole % 3600) / 60) });
}

/** The seconds a run took: its own measure, or start to finish for a run that stopped early. */
export function runSeconds(run: RunHistoryEntry): number | null {
  if (run.seconds !== null) return run.seconds;
  if (!run.finishedAt) return null;
  return Math.max(0, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
}

const number = (value: unknown) => (typeof value === 'number' ? value : null);

/** The settings an analyst tells runs apart by, in a short line: "64 units · 1 layer · embed 64 …". */
export function hyperparameterSummary(run: RunHistoryEntry): string[] {
  if (isBaseline(run)) return [t('runs.kind.nbsvmDetail')];
  const hp = run.hyperparameters;
  const parts: string[] = [];
  const push = (key: MessageKey, value: unknown) => {
    const n = number(value);
    if (n !== null) parts.push(t(key, { value: n }));
  };
  push('runs.hp.units', hp['units']);
  const layers = number(hp['layers']);
  if (layers !== null) parts.push(layers === 1 ? t('runs.hp.layer') : t('runs.hp.layers', { value: layers }));
  if (hp['bidirectional'] === true) parts.push(t('runs.hp.bidirectional'));
  push('runs.hp.embed', hp['embedDim']);
  push('runs.hp.maxLen', hp['maxLen']);
  push('runs.hp.vocab', hp['vocabSize']);
  push('runs.hp.epochs', hp['epochs']);
  push('runs.hp.batch', hp['batchSize']);
  const lr = number(hp['learningRate']);
  if (lr !== null) parts.push(t('runs.hp.learningRate', { value: String(lr) }));
  const dropout = number(hp['dropout']);
  if (dropout !== null && dropout > 0) parts.push(t('runs.hp.dropout', { value: String(dropout) }));
  return parts;
}

export interface BaselineText {
  short: string;
  long: string;
  tone: 'better' | 'worse' | 'same';
}

/** A comparison's figures, for a sentence in the analyst's language (points without their sign). */
export function baselineParams(b: BaselineComparison): Record<string, string | number> {
  const oneDecimal = new Intl.NumberFormat(i18n.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return {
    id: b.baselineRunId,
    points: oneDecimal.format(Math.abs(b.points)),
    metric: t(b.metric === 'accuracy' ? 'runs.baseline.accuracy' : 'runs.baseline.macroF1'),
    run: oneDecimal.format(b.run),
    baseline: oneDecimal.format(b.baseline),
  };
}

/** The comparison with the baseline, built from its figures so it reads in the analyst's language. */
export function baselineText(run: RunHistoryEntry): BaselineText | null {
  const b = run.baseline;
  if (!b) return null;
  const params = baselineParams(b);
  if (b.points > 0) return { short: t('runs.baseline.beats', params), long: t('runs.baseline.beatsLong', params), tone: 'better' };
  if (b.points < 0) return { short: t('runs.baseline.short', params), long: t('runs.baseline.shortLong', params), tone: 'worse' };
  return { short: t('runs.baseline.ties', params), long: t('runs.baseline.tiesLong', params), tone: 'same' };
}

/** One colour per compared run, readable on the light and the dark surface. */
export const runColours = ['#3b7be8', '#e8590c', '#2f9e44', '#ae3ec9', '#d6336c', '#0c8599', '#c08a00', '#5c7cfa'];
