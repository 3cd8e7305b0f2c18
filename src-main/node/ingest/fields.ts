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
