/**
 * From the values a label column holds (counted by the preview) to the rows of the label step
 * and back to the `labelMapping` an import runs with. Values that differ only in case or spacing
 * are one row, because the importer resolves them as one.
 */
import type { LabelMapping } from '@common/ingest';
import { compileLabelMapping, suggestLabelMapping } from '@common/labelMapping';
import { canonicalLabel, type LabelDef } from '@common/labels';

/** `label:<name>`, `unlabelled`, or '' while the analyst has not decided. */
export type LabelChoice = string;
export const unlabelledChoice = 'unlabelled';
export const labelChoice = (name: string): LabelChoice => `label:${name}`;

export interface LabelValueRow {
  /** The canonical value ('' for rows without a value). */
  key: string;
  /** The spellings found in the file, most frequent first. */
  values: string[];
  count: number;
  choice: LabelChoice;
}

function choiceOf(resolved: string | null | undefined): LabelChoice {
  if (resolved === undefined) return '';
  return resolved === null ? unlabelledChoice : labelChoice(resolved);
}

/**
 * The rows for one column's value counts. Decisions already made for a value (in `previous`)
 * survive a preview refresh; new values get the proposal of `suggestLabelMapping`, which the
 * CLI uses too, or stay undecided.
 */
export function labelValueRows(
  counts: Record<string, number>,
  labels: LabelDef[],
  previous: LabelValueRow[] = [],
): { rows: LabelValueRow[]; stars: LabelMapping['stars'] } {
  const groups = new Map<string, { values: [string, number][]; count: number }>();
  for (const [value, count] of Object.entries(counts)) {
    const key = canonicalLabel(value);
    const group = groups.get(key) ?? { values: [], count: 0 };
    group.values.push([value, count]);
    group.count += count;
    groups.set(key, group);
  }
  const { mapping } = suggestLabelMapping(Object.keys(counts), labels);
  const resolve = compileLabelMapping(mapping, labels);
  const decided = new Map(previous.filter((r) => r.choice !== '').map((r) => [r.key, r.choice]));
  const rows = [...groups].map(([key, group]): LabelValueRow => {
    const values = group.values.sort((a, b) => b[1] - a[1]).map(([v]) => v);
    const choice = key === '' ? unlabelledChoice : (decided.get(key) ?? choiceOf(resolve(values[0]!)));
    return { key, values, count: group.count, choice };
  });
  // Ratings in their natural order, other values most frequent first; the empty value, which
  // has no choice to make, last.
  const numeric = rows.every((r) => r.key === '' || /^-?\d+(\.\d+)?$/.test(r.key));
  rows.sort(
    (a, b) =>
      Number(a.key === '') - Number(b.key === '') ||
      (numeric ? Number(a.key) - Number(b.key) : b.count - a.count || a.key.localeCompare(b.key)),
  );
  return { rows, stars: mapping.stars };
}

/** The explicit value map of the analyst's choices (undecided rows are left to `unknownLabels`). */
export function labelMappingOf(rows: LabelValueRow[], stars: LabelMapping['stars']): LabelMapping {
  const values: Record<string, string | null> = {};
  for (const row of rows) {
    if (row.key === '' || row.choice === '') continue;
    const label = row.choice === unlabelledChoice ? null : row.choice.slice('label:'.length);
    // Own properties even for names like `__proto__`: the values come from the file.
    for (const value of row.values) Object.defineProperty(values, value, { value: label, enumerable: true, writable: true, configurable: true });
  }
  return stars ? { values, stars } : { values };
}
