/**
 * Strings of HTML built by hand, safely: every value from a project (review texts, names, labels)
 * goes through `escapeHtml`, and only `Markup` built here or by the renderers is trusted as-is.
 */

/** HTML that is already safe to insert: the only thing `html` and `t` pass through unescaped. */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in double- or single-quoted attributes. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => entities[c]!);
}

export type Fragment = Markup | string | number | null | undefined | false | readonly Fragment[];

function render(value: Fragment): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value as string | number);
}

/**
 * Tagged template for markup: interpolated strings and numbers are escaped, Markup and arrays of
 * fragments are inserted as they are, and null/false render nothing (for optional parts).
 */
export function html(strings: TemplateStringsArray, ...values: Fragment[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Markup(out);
}

export function join(parts: readonly Fragment[], separator: Fragment = ''): Markup {
  return new Markup(parts.map(render).join(render(separator)));
}

/**
 * A colour from the project for a style attribute. Label colours are data, and a crafted one
 * could close the attribute or smuggle in url(); only hex and plain rgb()/hsl() pass.
 */
export function safeColor(value: string, fallback: string): string {
  const v = value.trim();
  if (/^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(v)) return v;
  if (/^(?:rgb|hsl)a?\(\s*[\d.%\s,/-]+\)$/i.test(v)) return v;
  return fallback;
}
