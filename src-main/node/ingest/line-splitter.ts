/**
 * Lines of a chunked text stream for the line-based formats (JSON Lines, plain text). Lines that
 * span chunks are collected as pieces and joined once, so a long line costs linear time.
 */
import { parseChunks, type Batches } from './batches';
import { PieceBuffer } from './pieces';
import type { TextChunks } from './text-decoder';

export interface TextLine {
  /** 1-based line number. */
  line: number;
  text: string;
}

export class LineSplitter {
  private readonly pending = new PieceBuffer();
  private line = 1;
  /** The previous chunk ended with CR; an LF opening the next one belongs to that break. */
  private skipLF = false;

  push(text: string, out: TextLine[]): void {
    const n = text.length;
    if (n === 0) return;
    let start = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    let lf = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      this.emit(text.slice(start, end), out);
      start = end + 1;
      if (end === cr) {
        if (start === n) this.skipLF = true;
        else if (text.charCodeAt(start) === 10) start++;
      }
      // Each search only restarts once passed, so a chunk is scanned about twice in total.
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    }
    if (start < n) this.pending.add(start === 0 ? text : text.slice(start), this.line);
  }

  end(out: TextLine[]): void {
    if (!this.pending.empty) this.emit('', out);
  }

  private emit(tail: string, out: TextLine[]): void {
    out.push({ line: this.line, text: this.pending.take(tail, this.line) });
    this.line++;
  }
}

/** Lines in batches, one batch per chunk of the file. */
export function splitLines(text: TextChunks): Batches<TextLine> {
  return parseChunks(text, new LineSplitter());
}
