/**
 * Label sets: the classes a project annotates with, each with a keyboard key and a colour.
 */
import { z } from 'zod';

export const labelDefSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'a label needs a name')
    .max(40, 'label names are at most 40 characters')
    .regex(/^[^,=\n\r\t]+$/, 'label names cannot contain commas, "=", tabs or line breaks')
    // Label names become object keys in summaries; these would reach Object.prototype.
    .refine((n) => !['__proto__', 'constructor', 'prototype'].includes(n.toLowerCase()), 'this label name is reserved'),
  /** One printable character pressed to apply the label while annotating. */
  key: z.string().regex(/^[a-z0-9]$/, 'a label key is one lower-case letter or digit'),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a label colour is #rrggbb'),
});
export type LabelDef = z.infer<typeof labelDefSchema>;

export const labelSetSchema = z
  .array(labelDefSchema)
  .min(2, 'a label set needs at least two labels')
  .max(20, 'a label set has at most 20 labels')
  .superRefine((labels, ctx) => {
    const seen = new Set<string>();
    const keys = new Set<string>();
    for (const l of labels) {
      const n = l.name.toLowerCase();
      if (seen.has(n)) ctx.addIssue({ code: 'custom', message: `label '${l.name}' appears twice` });
      if (keys.has(l.key)) ctx.addIssue({ code: 'custom', message: `key '${l.key}' is used by two labels` });
      seen.add(n);
      keys.add(l.key);
    }
  });

const positive: LabelDef = { name: 'positive', key: '1', color: '#2e9d57' };
const negative: LabelDef = { name: 'negative', key: '2', color: '#d1453b' };
const neutral: LabelDef = { name: 'neutral', key: '3', color: '#8a8f98' };

export const labelSetPresets = {
  binary: [positive, negative],
  ternary: [positive, neutral, negative],
} as const satisfies Record<string, LabelDef[]>;
export type LabelSetPreset = keyof typeof labelSetPresets;

const palette = ['#2e9d57', '#d1453b', '#8a8f98', '#3b73d1', '#c98a14', '#8e44ad', '#16a3a3', '#d1458f'];

/** `positive,negative` -> label defs with keys 1..n and palette colours; known names keep their colours. */
export function labelSetFromNames(names: string[]): LabelDef[] {
  const known = new Map([positive, negative, neutral].map((l) => [l.name, l]));
  const defs = names.map((raw, i) => {
    const name = raw.trim();
    const k = known.get(name.toLowerCase());
    return {
      name,
      key: i < 9 ? String(i + 1) : String.fromCharCode(97 + i - 9),
      color: k?.color ?? palette[i % palette.length]!,
    };
  });
  return labelSetSchema.parse(defs);
}

/** Labels compare case- and space-insensitively: `Positive ` is `positive`. */
export function canonicalLabel(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
