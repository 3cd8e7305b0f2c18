/**
 * Numbers as analysts read them in messages, logs and the CLI: 1,204 (fixed en-US grouping so
 * error messages and tests read the same on every machine). The UI may localise separately.
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
