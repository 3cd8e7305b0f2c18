/** How a study and its trials read on screen. */
import type { FieldValue, StudyKind, StudyStatus, StudySummary, StudyTrial } from '@common/studies';
import { i18n, t } from '../../lib/i18n.svelte';
import type { MessageKey } from '../../messages';

/** What the Train screen sets up: one run, or a study of either kind. */
export type TrainMode = 'single' | StudyKind;

export function studyKindName(kind: StudyKind): string {
  return t(kind === 'search' ? 'studies.kind.search' : 'studies.kind.curve');
}

export function studyStatusName(status: StudyStatus): string {
  return t(`studies.status.${status}` as MessageKey);
}

const ended = new Set<StudyTrial['status']>(['done', 'failed', 'cancelled']);

export function trialEnded(trial: StudyTrial): boolean {
  return ended.has(trial.status) || trial.runDeleted;
}

/** Trials that have ended, and the one running now (its run may still be queued). */
export function studyProgress(study: StudySummary): { ended: number; total: number; current: StudyTrial | null } {
  const current = study.status === 'running' ? (study.trials.find((tr) => tr.runId !== null && !trialEnded(tr)) ?? null) : null;
  return { ended: study.trials.filter(trialEnded).length, total: study.trials.length, current };
}

/** Stopped before its end with trials left to run (a cancel on the last trial leaves none). */
export const resumable = (study: StudySummary) =>
  (study.status === 'cancelled' || study.status === 'interrupted') && study.trials.some((tr) => tr.status === 'pending' && !tr.runDeleted);

/** "25%" for a learning curve's share of the training labels. */
export function shareText(fraction: number): string {
  return new Intl.NumberFormat(i18n.locale, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

/** A searched value as the table shows it: numbers as typed in the schema's units, switches as on/off. */
export function valueText(value: FieldValue | undefined): string {
  if (value === undefined) return t('runs.metric.none');
  if (typeof value === 'boolean') return t(value ? 'studies.value.on' : 'studies.value.off');
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString(i18n.locale) : String(value);
  return value;
}

export function createdAt(iso: string): string {
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** The fields a search varies, in the order its request lists them. */
export function searchedFields(study: StudySummary): string[] {
  return study.request.kind === 'search' ? study.request.dimensions.map((d) => d.field) : [];
}
