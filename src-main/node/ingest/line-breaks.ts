/**
 * Line numbers as an analyst's editor shows them: CRLF, LF and a lone CR (old Mac exports) each
 * end one line, even when a file mixes them or a CRLF straddles two chunks.
 */

/** Line breaks in `text`; `afterCR` says the text before it ended with CR (so a leading LF is its pair). */
export function countLineBreaks(text: string, afterCR: boolean): number {
  let count = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) count++;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    const pairedWithCR = i === 0 ? afterCR : text.charCodeAt(i - 1) === 13;
    if (!pairedWithCR) count++;
  }
  return count;
}

/** Follows a stream of text chunks to name the line of any position in the current chunk. */
export class LineCounter {
  private breaks = 0;
  private afterCR = false;

  /** 1-based line of `index` in `chunk`, the chunk that comes after everything advanced past. */
  lineAt(chunk: string, index: number): number {
    return this.breaks + 1 + countLineBreaks(chunk.slice(0, index), this.afterCR);
  }

  advance(chunk: string): void {
    if (chunk.length === 0) return;
    this.breaks += countLineBreaks(chunk, this.afterCR);
    this.afterCR = chunk.charCodeAt(chunk.length - 1) === 13;
  }
}
