/** How the label check reads on screen: its last run, its progress and a suspect's figures. */
import type { RunHistoryEntry } from '@common/contract';
import { CROSSVAL_RUN_KIND } from '@common/labelCheck';
import { i18n, t } from '../../lib/i18n.svelte';
import { duration, percent, runSeconds, startedAt } from '../runs/runText';
import { planOf, type LiveCheck } from './liveCheck.svelte';

export { percent, startedAt };

/** The newest label check that finished. */
export function latestCheck(runs: readonly RunHistoryEntry[]): RunHistoryEntry | null {
  return runs.filter((r) => r.kind === CROSSVAL_RUN_KIND && r.status === 'done').sort((a, b) => b.id - a.id)[0] ?? null;
}

export function checkMethod(run: RunHistoryEntry): string {
  const plan = planOf(run);
  const params = { folds: plan.folds, seconds: duration(runSeconds(run)) };
  return plan.foldModel === 'baseline' ? t('labelcheck.last.howBaseline', params) : t('labelcheck.last.howRecurrent', params);
}

/** A margin of 0.834 -> "83": points of probability between the suggested and the given label. */
export function points(margin: number): string {
  return new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: 0 }).format(margin * 100);
}

export function progressDetail(live: LiveCheck): string {
  const fold = t('labelcheck.progress.fold', { fold: live.fold, folds: live.plan.folds });
  if (!live.progress) return fold;
  const parts = [fold];
  if (live.plan.foldModel === 'recurrent') parts.push(t('labelcheck.progress.epoch', { epoch: live.epoch, epochs: live.plan.epochs }));
  const eta = live.progress.etaSeconds;
  if (Number.isFinite(eta) && eta > 0 && live.plan.foldModel === 'baseline') parts.push(t('labelcheck.progress.eta', { time: duration(eta) }));
  return parts.join(' · ');
}
