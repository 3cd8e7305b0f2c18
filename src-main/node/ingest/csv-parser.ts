/**
 * RFC 4180 as a resumable state machine: text arrives in chunks that may split a field, a quote
 * pair or a CRLF anywhere, and the parser picks up exactly where it stopped. Fields are built from
 * slices of the chunk, never character by character, so long reviews stay linear.
 *
 * Lenient where Excel is: a quote inside an unquoted field is a literal character, and text after
 * a closing quote is kept (`"abc"def` is `abcdef`). Lines that are completely empty are skipped.
 */
import { lineError } from '../../common/errors';
import { parseChunks, type Batches } from './batches';
import { maxRecordChars, tooLargeProblem } from './limits';
import type { TextChunks } from './text-decoder';

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  cells: string[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

// Parser states (plain numbers: the switch below is the hottest loop of an import).
const FieldStart = 0;
const Unquoted = 1;
const Quoted = 2;
/** A quote inside a quoted field: either the first of `""` or the closing quote. */
const QuoteInQuoted = 3;

export class CsvParser {
  private readonly delimiter: number;
  private state = FieldStart;
  private cells: string[] = [];
  /** Pieces of the current field from earlier chunks and around `""` escapes. */
  private parts: string[] = [];
  private line = 1;
  private rowLine = 1;
  private quoteLine = 1;
  private rowStarted = false;
  private rowHadQuote = false;
  /** A row ended at CR; an LF right after it is the rest of that line break. */
  private skipLF = false;
  /** Last character of the previous chunk, to pair a CRLF split across chunks inside quotes. */
  private previousChar = 0;
  /** Characters before the current chunk, and where the current row started in that count. */
  private offset = 0;
  private rowOffset = 0;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Parses one chunk; complete rows are appended to `out`. */
  push(text: string, out: CsvRow[]): void {
    const n = text.length;
    const delimiter = this.delimiter;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case FieldStart: {
          const c = text.charCodeAt(i);
          if (this.skipLF) {
            this.skipLF = false;
            if (c === LF) {
              i++;
              continue;
            }
          }
          if (!this.rowStarted) {
            this.rowStarted = true;
            this.rowLine = this.line;
            this.rowOffset = this.offset + i;
          }
          if (c === QUOTE) {
            this.state = Quoted;
            this.rowHadQuote = true;
            this.quoteLine = this.line;
            i++;
          } else {
            this.state = Unquoted;
          }
          break;
        }
        case Unquoted: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === delimiter || c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            if (j > i) this.parts.push(text.slice(i));
            i = n;
            break;
          }
          this.endField(text.slice(i, j));
          if (c === delimiter) this.state = FieldStart;
          else this.endRow(c, this.offset + j, out);
          i = j + 1;
          break;
        }
        case Quoted: {
          let j = i;
          let line = this.line;
          while (j < n) {
            const c = text.charCodeAt(j);
            if (c === QUOTE) break;
            if (c === CR) line++;
            else if (c === LF && (j > 0 ? text.charCodeAt(j - 1) : this.previousChar) !== CR) line++;
            j++;
          }
          this.line = line;
          if (j > i) this.parts.push(text.slice(i, j));
          if (j < n) this.state = QuoteInQuoted;
          i = j + 1;
          break;
        }
        case QuoteInQuoted: {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            this.parts.push('"');
            this.state = Quoted;
            i++;
          } else if (c === delimiter) {
            this.endField('');
            this.state = FieldStart;
            i++;
          } else if (c === LF || c === CR) {
            this.endField('');
            this.endRow(c, this.offset + i, out);
            i++;
          } else {
            this.state = Unquoted;
          }
          break;
        }
      }
    }
    this.offset += n;
    if (n > 0) this.previousChar = text.charCodeAt(n - 1);
    if (this.rowStarted) this.checkRowSize(this.offset);
  }

  /** End of input: the last row may lack a line break; an open quote is an error. */
  end(out: CsvRow[]): void {
    if (this.state === Quoted) throw lineError(this.quoteLine, 'unterminated quote');
    if (this.rowStarted) {
      this.endField('');
      this.endRow(0, this.offset, out);
    }
  }

  private endField(tail: string): void {
    let value = tail;
    if (this.parts.length > 0) {
      this.parts.push(tail);
      value = this.parts.join('');
      this.parts.length = 0;
    }
    this.cells.push(value);
  }

  /** `at` is the offset of the line break (or of the end of input). */
  private endRow(lineBreak: number, at: number, out: CsvRow[]): void {
    this.checkRowSize(at);
    const cells = this.cells;
    const empty = cells.length === 1 && cells[0] === '' && !this.rowHadQuote;
    if (!empty) out.push({ line: this.rowLine, cells });
    this.cells = [];
    this.rowStarted = false;
    this.rowHadQuote = false;
    this.state = FieldStart;
    if (lineBreak !== 0) {
      this.line++;
      this.skipLF = lineBreak === CR;
    }
  }

  private checkRowSize(offset: number): void {
    if (offset - this.rowOffset <= maxRecordChars) return;
    if (this.state === Quoted) {
      throw lineError(this.quoteLine, 'a quoted field runs on for more than 16 MB: an unterminated quote, or a record far too large to be a review');
    }
    throw lineError(this.rowLine, tooLargeProblem);
  }
}

/** Rows of a delimited text stream, a batch per chunk. */
export function parseCsv(text: TextChunks, delimiter: string): Batches<CsvRow> {
  return parseChunks(text, new CsvParser(delimiter));
}
