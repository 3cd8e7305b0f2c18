/**
 * Small pieces shared by every reader: column names the wizard can show, values as strings, and
 * field objects that stay plain data whatever the file calls its columns.
 */

/** Header cells as unique, non-empty names: `text`, `text (2)`; an empty cell is `column 3`. */
export function uniqueColumnNames(header: readonly string[]): string[] {
  const taken = new Set<string>();
  return header.map((cell, index) => {
    const base = cell.trim() || `column ${index + 1}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
    taken.add(name);
    return name;
  });
}

export function numberedColumns(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `column ${i + 1}`);
}

/** JSON values as the text an analyst expects to see in a cell. */
export function valueToField(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * An empty record, keyed by whatever the file calls its columns. With no prototype, `__proto__`,
 * `constructor` or `toString` are ordinary keys: assigning one adds a field instead of changing
 * the object's prototype, and reading a column a record lacks gives undefined, not an inherited
 * function (JSON records can lack a column that only later records have).
 */
export function emptyFields(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/**
 * A value from the file as an error message quotes it: invisible and control characters (a
 * zero-width space in a label, a right-to-left override that would flip the rest of the message)
 * spelled out as \u escapes, and long values cut.
 */
export function shownValue(value: string, max = 60): string {
  let cut = value;
  if (value.length > max) {
    cut = value.slice(0, max - 3);
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    cut += '...';
  }
  return cut.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    const code = c.codePointAt(0)!.toString(16).toUpperCase();
    return code.length <= 4 ? `\\u${code.padStart(4, '0')}` : `\\u{${code}}`;
  });
}
