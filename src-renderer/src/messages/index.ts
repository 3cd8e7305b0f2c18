/**
 * The message catalogue: one module per screen and language, merged here. English defines the
 * keys; each Chinese module must have exactly the same keys (checked by its `satisfies`), so a
 * string added in one language and forgotten in the other fails the type check.
 */
import { common as enCommon } from './en/common';
import { common as zhCommon } from './zh/common';

export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

export const catalogues = {
  en: { ...enCommon },
  'zh-CN': { ...zhCommon },
} satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof catalogues)['en'];
