/**
 * Every visible string goes through `t(key, params)`. The locale follows the OS language (the
 * browser's `navigator.languages`, which Electron sets from the OS) unless the analyst picks one;
 * `{name}` placeholders are filled from `params`, numbers formatted for the locale. The choice is
 * kept by the app (app:settings); App.svelte restores it on start.
 */
import type { LanguageChoice } from '@common/appSettings';
import { catalogues, locales, type Locale, type MessageKey } from '../messages';

export type { LanguageChoice };

/** The best supported locale for a list of BCP 47 tags: any Chinese goes to Simplified Chinese. */
export function matchLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function systemLocale(): Locale {
  return typeof navigator === 'undefined' ? 'en' : matchLocale(navigator.languages ?? [navigator.language]);
}

const state = $state<{ choice: LanguageChoice }>({ choice: 'auto' });

export const i18n = {
  get choice(): LanguageChoice {
    return state.choice;
  },
  set choice(value: LanguageChoice) {
    state.choice = (locales as readonly string[]).includes(value) ? value : 'auto';
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  },
  get locale(): Locale {
    return state.choice === 'auto' ? systemLocale() : state.choice;
  },
};

export type MessageParams = Record<string, string | number>;

export function t(key: MessageKey, params: MessageParams = {}): string {
  const locale = i18n.locale;
  const template: string = catalogues[locale][key] ?? catalogues.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(locale) : value;
  });
}
