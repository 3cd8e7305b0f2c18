/**
 * The text of one record that spans chunks of the file: collected as pieces and joined once, so
 * a long record costs linear time, and refused once it passes the record size limit.
 */
import { lineError } from '../../common/errors';
import { maxRecordChars, tooLargeProblem } from './limits';

export class PieceBuffer {
  private parts: string[] = [];
  private length = 0;

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** `line`: where the record starts, for the error message. */
  add(piece: string, line: number): void {
    this.parts.push(piece);
    this.length += piece.length;
    if (this.length > maxRecordChars) throw lineError(line, tooLargeProblem);
  }

  /** The whole record: the pieces so far plus `tail`; the buffer is empty afterwards. */
  take(tail: string, line: number): string {
    let text = tail;
    if (this.parts.length > 0) {
      this.parts.push(tail);
      text = this.parts.join('');
      this.parts.length = 0;
      this.length = 0;
    }
    if (text.length > maxRecordChars) throw lineError(line, tooLargeProblem);
    return text;
  }
}
