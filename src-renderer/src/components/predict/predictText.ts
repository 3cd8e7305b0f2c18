/** How batch predictions read on screen: probabilities and label colours. */
import { labelSetFromNames, type LabelDef } from '@common/labels';
import { i18n } from '../../lib/i18n.svelte';

/** A probability as a percentage with one decimal: `97.3%`. */
export function probability(value: number): string {
  return new Intl.NumberFormat(i18n.locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/** Each predicted label's colour: the project's own, else the palette new label sets get. */
export function labelColours(labels: string[], project: LabelDef[] | null): Record<string, string> {
  let fallback: LabelDef[] = [];
  try {
    fallback = labelSetFromNames(labels);
  } catch {
    // Names the label-set rules refuse (a bundle from elsewhere): the accent colour will do.
  }
  return Object.fromEntries(labels.map((name, i) => [name, project?.find((l) => l.name === name)?.color ?? fallback[i]?.color ?? 'var(--accent)']));
}
