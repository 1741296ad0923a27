// An incremental RFC 4180 parser: text goes in chunk by chunk, records come out with the
// physical line where each starts. Written by hand (rather than csv-parse) so a bad record is
// reported with its own line and the parse goes on after it.
import type { ErrorInfo } from '../../common/errors';

export type CsvEvent =
  | { kind: 'record'; line: number; fields: string[] }
  | { kind: 'bad'; line: number; error: ErrorInfo }
  /** An opened quote never closed: it swallowed the rest of the file; nothing follows. */
  | { kind: 'fatal'; line: number; error: ErrorInfo };

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  /** At the start of a field. */
  Start,
  Unquoted,
  Quoted,
  /** Just after a quote inside a quoted field: the close, or the first half of "". */
  QuoteInQuoted,
}

export class CsvParser {
  private readonly delimiter: number;
  private state = State.Start;
  private fields: string[] = [];
  private cur = '';
  /** Current physical line (1-based). */
  private line = 1;
  private recordLine = 1;
  private prevCR = false;
  private bad: ErrorInfo | null = null;
  private finished = false;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Feeds a chunk of text; returns the records completed by it. */
  push(text: string): CsvEvent[] {
    const out: CsvEvent[] = [];
    if (this.finished) return out;
    const n = text.length;
    const delim = this.delimiter;
    let seg = 0; // start of the text not yet appended to `cur` (Unquoted / Quoted states)
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const isNewline = c === CR || c === LF;
      const crlfTail = c === LF && this.prevCR;
      this.prevCR = c === CR;
      switch (this.state) {
        case State.Start:
          if (crlfTail) break; // the LF of a CRLF that already ended the record
          if (this.fields.length === 0) this.recordLine = this.line;
          if (c === QUOTE) {
            this.state = State.Quoted;
            seg = i + 1;
          } else if (c === delim) {
            this.fields.push('');
          } else if (isNewline) {
            if (this.fields.length > 0) {
              this.fields.push('');
              this.endRecord(out);
            } // else: a blank line, skipped
          } else {
            this.state = State.Unquoted;
            seg = i;
          }
          break;
        case State.Unquoted:
          if (c === delim) {
            this.fields.push(this.cur + text.slice(seg, i));
            this.cur = '';
            this.state = State.Start;
          } else if (isNewline) {
            this.fields.push(this.cur + text.slice(seg, i));
            this.cur = '';
            this.state = State.Start;
            this.endRecord(out);
          } else if (c === QUOTE) {
            this.markBad({ code: 'csvInvalidQuote', params: { line: this.line } });
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.cur += text.slice(seg, i);
            this.state = State.QuoteInQuoted;
          }
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            // "" inside quotes: one literal quote
            this.state = State.Quoted;
            seg = i; // keep this quote
          } else if (c === delim) {
            this.fields.push(this.cur);
            this.cur = '';
            this.state = State.Start;
          } else if (isNewline) {
            this.fields.push(this.cur);
            this.cur = '';
            this.state = State.Start;
            this.endRecord(out);
          } else {
            // Text after the closing quote: keep it, as an unquoted continuation.
            this.markBad({ code: 'csvInvalidQuote', params: { line: this.line } });
            this.cur += '"';
            this.state = State.Unquoted;
            seg = i;
          }
          break;
      }
      if (isNewline && !crlfTail) this.line++;
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) this.cur += text.slice(seg);
    return out;
  }

  /** The end of the input: completes the last record (or reports an unclosed quote). */
  end(): CsvEvent[] {
    const out: CsvEvent[] = [];
    if (this.finished) return out;
    this.finished = true;
    switch (this.state) {
      case State.Quoted:
        out.push({ kind: 'fatal', line: this.recordLine, error: { code: 'csvUnclosedQuote', params: { line: this.recordLine } } });
        return out;
      case State.Unquoted:
      case State.QuoteInQuoted:
        this.fields.push(this.cur);
        this.endRecord(out);
        break;
      case State.Start:
        if (this.fields.length > 0) {
          this.fields.push('');
          this.endRecord(out);
        }
        break;
    }
    return out;
  }

  private markBad(error: ErrorInfo): void {
    if (!this.bad) this.bad = error;
  }

  private endRecord(out: CsvEvent[]): void {
    if (this.bad) out.push({ kind: 'bad', line: this.recordLine, error: this.bad });
    else out.push({ kind: 'record', line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.bad = null;
  }
}

/** Parses a whole string (tests, previews of small samples). */
export function parseCsv(text: string, delimiter = ','): CsvEvent[] {
  const p = new CsvParser(delimiter);
  return [...p.push(text), ...p.end()];
}
