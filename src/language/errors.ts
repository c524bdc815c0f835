/** Every error a rule can have, by stable code (SPEC §4: each names its position and a reason a person understands). */
export const ERROR_CODES = [
  // lexer
  'unclosed-string', 'bad-token', 'bad-operator', 'unexpected-character',
  // parser
  'too-long', 'too-deep', 'list-too-long', 'expected', 'expected-field', 'expected-value', 'expected-operator',
  'unclosed-list', 'unclosed-paren', 'unexpected-token',
  // checker
  'unknown-field', 'invalid-regex', 'invalid-ip', 'cidr-on-non-ip', 'not-an-integer', 'not-a-date',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A place in the rule text: 0-based offset and length in UTF-16 units, and the 1-based line and column of offset. */
export interface Position { offset: number; length: number; line: number; column: number }

/**
 * Line and column (1-based) of an offset. A line ends at `\n`, `\r\n` or a lone `\r`; the column counts UTF-16 units
 * from the start of the line, so an offset at a line break is the column just past that line's last character.
 */
export function positionOf(text: string, offset: number, length: number): Position {
  let line = 1, lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) { line++; lineStart = i + 1; }
  }
  return { offset, length, line, column: offset - lineStart + 1 };
}

export interface RuleErrorJSON { code: ErrorCode; message: string; offset: number; length: number; line: number; column: number }

export class RuleError extends Error {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;

  constructor(readonly code: ErrorCode, message: string, at: Position) {
    super(message);
    this.name = 'RuleError';
    this.offset = at.offset;
    this.length = at.length;
    this.line = at.line;
    this.column = at.column;
  }

  /** An error at offset/length of `text`, its line and column computed from the text. */
  static at(text: string, code: ErrorCode, message: string, offset: number, length: number): RuleError {
    return new RuleError(code, message, positionOf(text, offset, length));
  }

  toJSON(): RuleErrorJSON {
    return { code: this.code, message: this.message, offset: this.offset, length: this.length, line: this.line, column: this.column };
  }
}
