/**
 * Lines of a chunked text stream for the line-based formats (JSON Lines, plain text). Lines that
 * span chunks are collected as pieces and joined once, so a long line costs linear time.
 */
import { lineError } from '../../common/errors';
import { fillBatch, type Batches } from './batches';
import { maxRecordChars, tooLargeProblem } from './limits';
import type { TextChunks } from './text-decoder';

export interface TextLine {
  /** 1-based line number. */
  line: number;
  text: string;
}

export class LineSplitter {
  private parts: string[] = [];
  private partsLength = 0;
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
    if (start < n) {
      this.parts.push(start === 0 ? text : text.slice(start));
      this.partsLength += n - start;
      if (this.partsLength > maxRecordChars) throw lineError(this.line, tooLargeProblem);
    }
  }

  end(out: TextLine[]): void {
    if (this.parts.length > 0) this.emit('', out);
  }

  private emit(tail: string, out: TextLine[]): void {
    let text = tail;
    if (this.parts.length > 0) {
      this.parts.push(tail);
      text = this.parts.join('');
      this.parts.length = 0;
      this.partsLength = 0;
    }
    if (text.length > maxRecordChars) throw lineError(this.line, tooLargeProblem);
    out.push({ line: this.line, text });
    this.line++;
  }
}

/** Lines in batches, one batch per chunk of the file. */
export async function* splitLines(text: TextChunks): Batches<TextLine> {
  const splitter = new LineSplitter();
  for await (const pieces of text) {
    const { batch, failed, error } = fillBatch<TextLine>((out) => {
      for (const piece of pieces) splitter.push(piece, out);
    });
    if (batch.length > 0) yield batch;
    if (failed) throw error;
  }
  const last: TextLine[] = [];
  splitter.end(last);
  if (last.length > 0) yield last;
}
