/**
 * From raw label values in a file to project labels. Exact names (ignoring case and spaces) map
 * by themselves; everything else needs an explicit mapping, which the wizard and the CLI propose
 * from recognisable schemes (pos/neg, 0/1, -1/0/1, star ratings) and always show before use.
 */
import type { LabelMapping } from './ingest';
import { canonicalLabel, type LabelDef } from './labels';

/** `undefined`: a value the mapping does not cover (reported, never guessed). `null`: unlabelled. */
export type LabelResolver = (raw: string) => string | null | undefined;

function labelNamed(labels: LabelDef[], name: string): string | null {
  return labels.find((l) => canonicalLabel(l.name) === name)?.name ?? null;
}

function starLabel(value: number, stars: NonNullable<LabelMapping['stars']>, labels: LabelDef[]): string | null {
  if (value <= stars.negativeMax) return labelNamed(labels, 'negative');
  if (value >= stars.positiveMin) return labelNamed(labels, 'positive');
  return labelNamed(labels, 'neutral');
}

export function compileLabelMapping(mapping: LabelMapping | undefined, labels: LabelDef[]): LabelResolver {
  const explicit = new Map<string, string | null>();
  for (const [raw, label] of Object.entries(mapping?.values ?? {})) {
    const target = label === null ? null : labelNamed(labels, canonicalLabel(label));
    if (label !== null && target === null) {
      const names = labels.map((l) => l.name).join(', ');
      throw new Error(`the label mapping sends '${raw}' to '${label}', which is not one of ${names}`);
    }
    explicit.set(canonicalLabel(raw), target);
  }
  const stars = mapping?.stars;
  return (raw: string) => {
    const key = canonicalLabel(raw);
    if (key === '') return null;
    if (explicit.has(key)) return explicit.get(key)!;
    const direct = labelNamed(labels, key);
    if (direct !== null) return direct;
    if (stars && /^-?\d+(\.\d+)?$/.test(key)) return starLabel(Number(key), stars, labels);
    return undefined;
  };
}

const aliases: Record<string, string> = {
  pos: 'positive',
  '+': 'positive',
  good: 'positive',
  neg: 'negative',
  '-': 'negative',
  bad: 'negative',
  neu: 'neutral',
  neut: 'neutral',
  neutre: 'neutral',
};

/**
 * A proposal for the values found in a file. Values the proposal cannot place are listed in
 * `unmapped` for the analyst to decide.
 */
export function suggestLabelMapping(
  values: string[],
  labels: LabelDef[],
): { mapping: LabelMapping; unmapped: string[] } {
  const distinct = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
  const mapping: LabelMapping = { values: {} };
  const names = new Set(labels.map((l) => canonicalLabel(l.name)));
  const has = (n: string) => names.has(n);
  const numeric = distinct.length > 0 && distinct.every((v) => /^-?\d+(\.\d+)?$/.test(v));

  if (numeric) {
    const nums = distinct.map(Number);
    const ints = nums.every(Number.isInteger);
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    if (ints && min >= 0 && max <= 1 && has('positive') && has('negative') && labels.length === 2) {
      mapping.values = { '1': labelNamed(labels, 'positive'), '0': labelNamed(labels, 'negative') };
    } else if (ints && min >= -1 && max <= 1 && has('positive') && has('negative') && has('neutral')) {
      mapping.values = {
        '1': labelNamed(labels, 'positive'),
        '0': labelNamed(labels, 'neutral'),
        '-1': labelNamed(labels, 'negative'),
      };
    } else if (min >= 0 && max <= 10 && has('positive') && has('negative')) {
      // Star ratings: 1–5 splits at 2/4, 1–10 at 4/7 (3 and 5–6 are neutral or unlabelled).
      mapping.stars = max <= 5 ? { negativeMax: 2, positiveMin: 4 } : { negativeMax: 4, positiveMin: 7 };
    }
  } else {
    for (const v of distinct) {
      const key = canonicalLabel(v);
      if (has(key)) continue;
      const alias = aliases[key];
      if (alias && has(alias)) mapping.values[v] = labelNamed(labels, alias);
      else if (key === 'true' && has('positive') && labels.length === 2) mapping.values[v] = labelNamed(labels, 'positive');
      else if (key === 'false' && has('negative') && labels.length === 2) mapping.values[v] = labelNamed(labels, 'negative');
    }
  }
  const resolve = compileLabelMapping(mapping, labels);
  const unmapped = distinct.filter((v) => resolve(v) === undefined);
  return { mapping, unmapped };
}

/** `postive=positive,1=positive,skip=` -> a value map; an empty right side means unlabelled. */
export function parseLabelMapArgument(text: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new Error(`'${part}' is not value=label`);
    const label = part.slice(eq + 1).trim();
    out[part.slice(0, eq).trim()] = label === '' ? null : label;
  }
  return out;
}
