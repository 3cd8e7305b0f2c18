/**
 * The report's words and numbers in one language: `t` fills a template as plain text, `m` as
 * markup (values escaped unless they are Markup, so a figure can be bold inside a sentence), and
 * the number formats follow the locale the way the app's screens do.
 */
import { escapeHtml, Markup } from './markup';
import { reportText, type WordKey } from './reportText';

export type ReportLocale = 'en' | 'zh-CN';
type Value = string | number | Markup;

export interface Words {
  locale: ReportLocale;
  t(key: WordKey, params?: Record<string, string | number>): string;
  m(key: WordKey, params?: Record<string, Value>): Markup;
  /** `key.one` or `key.other` by count (Chinese has one form; the table repeats it). */
  plural(key: string, count: number, params?: Record<string, string | number>): string;
  count(n: number): string;
  /** 0.8871 -> "88.7%". */
  percent(share: number, digits?: number): string;
  /** Scores that are not shares (F1, AUC, ECE, log-loss): "0.887". */
  decimal(value: number | null | undefined, digits?: number): string;
  /** A difference in percentage points, signed: "+2.1 points". */
  points(points: number, signed?: boolean): string;
  /** Just the signed figure: "+2.1", "−0.4". */
  signedPoints(points: number): string;
  /** A hyperparameter as written in the form: 0.002, 20,000. */
  number(value: number): string;
  date(iso: string): string;
  dateTime(iso: string): string;
  duration(seconds: number | null): string;
}

export function reportWords(locale: ReportLocale): Words {
  const table = reportText[locale] ?? reportText.en;
  const fill = (template: string, params: Record<string, Value>, escape: boolean) =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return escape ? escapeHtml(whole) : whole;
      if (value instanceof Markup) return escape ? value.html : value.html.replace(/<[^>]*>/g, '');
      return escape ? escapeHtml(value) : String(value);
    });
  const template = (key: string): string => (table as Record<string, string>)[key] ?? key;
  const grouped = new Intl.NumberFormat(locale);
  const fixed = (digits: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const valid = (value: number | null | undefined): value is number => value !== null && value !== undefined && Number.isFinite(value);

  const words: Words = {
    locale,
    t: (key, params = {}) => fill(template(key), params, false),
    m: (key, params = {}) => new Markup(fill(escapeHtml(template(key)), params, true)),
    plural: (key, count, params = {}) => fill(template(`${key}.${count === 1 ? 'one' : 'other'}`), { count: grouped.format(count), ...params }, false),
    count: (n) => grouped.format(n),
    percent: (share, digits = 1) =>
      valid(share) ? new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share) : template('value.none'),
    decimal: (value, digits = 3) => (valid(value) ? fixed(digits).format(value) : template('value.none')),
    points: (points, signed = false) =>
      words.plural('points', Math.abs(points) === 1 ? 1 : 2, { value: signed ? words.signedPoints(points) : fixed(1).format(Math.abs(points)) }),
    signedPoints: (points) => {
      const abs = fixed(1).format(Math.abs(points));
      return points > 0 ? `+${abs}` : points < 0 ? `−${abs}` : abs;
    },
    number: (value) => (Number.isFinite(value) ? new Intl.NumberFormat(locale, { maximumSignificantDigits: 6 }).format(value) : String(value)),
    date: (iso) => formatDate(iso, locale, { dateStyle: 'long' }),
    dateTime: (iso) => formatDate(iso, locale, { dateStyle: 'medium', timeStyle: 'short' }),
    duration: (seconds) => {
      if (!valid(seconds)) return template('value.none');
      if (seconds < 60) return fill(template('duration.seconds'), { seconds: seconds < 10 ? fixed(1).format(seconds) : Math.round(seconds) }, false);
      const whole = Math.round(seconds);
      if (whole < 3600) return fill(template('duration.minutes'), { minutes: Math.floor(whole / 60), seconds: whole % 60 }, false);
      return fill(template('duration.hours'), { hours: Math.floor(whole / 3600), minutes: Math.floor((whole % 3600) / 60) }, false);
    },
  };
  return words;
}

function formatDate(iso: string, locale: ReportLocale, options: Intl.DateTimeFormatOptions): string {
  const date = new Date(iso);
  // A date the gatherer could not parse is still worth showing as it was stored.
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(locale, options).format(date);
}
