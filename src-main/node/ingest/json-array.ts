/**
 * A JSON array of objects, read element by element. JSON.parse on a 200 MB file would hold the
 * text and every object at once, so a small state machine follows strings, escapes and nesting
 * depth across chunks, slices out each top-level element and parses only that.
 */
import { lineError } from '../../common/errors';
import type { SourceRecord } from '../../common/ingest';
import { fillBatch, type Batches } from './batches';
import { parseJsonRecord } from './json-records';
import { PieceBuffer } from './pieces';
import type { TextLine } from './line-splitter';
import type { TextChunks } from './text-decoder';

// Where the splitter is in the array: before `[`, between elements, inside one, after `]`.
const Before = 0;
const Between = 1;
const InElement = 2;
const After = 3;

const LF = 10;
const CR = 13;

export class JsonArraySplitter {
  private phase = Before;
  private depth = 0;
  private inString = false;
  /** A backslash ended the previous chunk inside a string: the next character is escaped. */
  private escaped = false;
  /** Pieces of the current element from earlier chunks. */
  private readonly pending = new PieceBuffer();
  private line = 1;
  private afterCR = false;
  private elementLine = 1;

  /** Appends each complete element's JSON text (with the line it starts on) to `out`. */
  push(text: string, out: TextLine[]): void {
    const n = text.length;
    if (n === 0) return;
    // Locals, written back at the end: this loop sees every character of the file.
    let { phase, depth, inString, line, afterCR } = this;
    let start = 0;
    let i = 0;
    if (this.escaped) {
      this.escaped = false;
      i = 1;
    }
    while (i < n) {
      if (inString) {
        // Strings are most of the text; their end is all that matters inside them. (A raw line
        // break in a string is invalid JSON anyway, reported at the element's first line.)
        for (; i < n; i++) {
          const c = text.charCodeAt(i);
          if (c === 92) i++;
          else if (c === 34) break;
        }
        if (i >= n) {
          this.escaped = i > n;
          break;
        }
        inString = false;
        i++;
        continue;
      }
      const c = text.charCodeAt(i++);
      if (c === LF) {
        if (!afterCR) line++;
        afterCR = false;
        continue;
      }
      if (c === CR) {
        line++;
        afterCR = true;
        continue;
      }
      afterCR = false;

      if (phase === InElement) {
        if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++;
        else if (depth > 0 && (c === 125 || c === 93)) depth--;
        else if (depth === 0 && (c === 44 || c === 93)) {
          // A `,` or `]` at depth 0 ends the element. (A stray `}` is left for JSON.parse to name.)
          this.endElement(text.slice(start, i - 1), out);
          phase = c === 44 ? Between : After;
        }
        continue;
      }

      if (c === 32 || c === 9) continue;
      if (phase === Before) {
        if (c !== 91) throw lineError(line, 'not a JSON array (the file should start with "[")');
        phase = Between;
      } else if (phase === After) {
        throw lineError(line, 'unexpected text after the end of the JSON array');
      } else if (c === 93) {
        phase = After; // `[]`, or a trailing comma, which we forgive
      } else if (c === 44) {
        throw lineError(line, 'not valid JSON (an empty element between two commas)');
      } else {
        phase = InElement;
        this.elementLine = line;
        start = i - 1;
        depth = c === 123 || c === 91 ? 1 : 0;
        inString = c === 34;
      }
    }
    this.phase = phase;
    this.depth = depth;
    this.inString = inString;
    this.line = line;
    this.afterCR = afterCR;
    if (phase === InElement) this.pending.add(start === 0 ? text : text.slice(start), this.elementLine);
  }

  end(): void {
    if (this.phase === Before) throw lineError(this.line, 'not a JSON array (the file should start with "[")');
    if (this.phase !== After) {
      throw lineError(this.line, 'the JSON array is not closed with "]"; the file may be truncated');
    }
  }

  private endElement(tail: string, out: TextLine[]): void {
    out.push({ line: this.elementLine, text: this.pending.take(tail, this.elementLine) });
  }
}

export async function* parseJsonArray(text: TextChunks): Batches<SourceRecord> {
  const splitter = new JsonArraySplitter();
  const elements: TextLine[] = [];
  for await (const pieces of text) {
    const { batch, failed, error } = fillBatch<SourceRecord>((out) => {
      for (const piece of pieces) {
        try {
          splitter.push(piece, elements);
        } finally {
          // Elements before a splitting error are still parsed (and fail first if they are bad).
          for (const element of elements.splice(0)) out.push(parseJsonRecord(element.text, element.line));
        }
      }
    });
    if (batch.length > 0) yield batch;
    if (failed) throw error;
  }
  splitter.end();
}
