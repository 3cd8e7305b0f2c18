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
 * A column may be called `__proto__`; a plain assignment would change the object's prototype
 * instead of adding the field.
 */
export function setField(fields: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    fields[name] = value;
  }
}
