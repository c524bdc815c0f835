import { HitsFormatError, rowOf, type ParsedRow } from './parse-hits-body.js';

/**
 * Splits a top-level JSON array into its elements as the text arrives, parsing each element on its own, so a large
 * array of rows is never held as one string. The scanner only tracks strings, escapes and bracket depth; each
 * element is then checked by JSON.parse. Malformed JSON anywhere makes the whole body unreadable (a 400), as it would
 * be when parsed whole.
 */
export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pending = '';
  private done = false;
  readonly rows: ParsedRow[] = [];

  constructor(private readonly maxRows: number) {}

  push(text: string): void {
    let segStart = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (this.done) {
        if (!isSpace(c)) throw new HitsFormatError('malformed-json', 'the body is not valid JSON: text after the closing ]');
        continue;
      }
      if (c === 34) { this.inString = true; continue; }
      if (c === 91 /* [ */ || c === 123 /* { */) {
        if (this.depth === 0) {
          if (c !== 91) throw new HitsFormatError('malformed-json', 'expected a JSON array');
          this.depth = 1; segStart = i + 1; continue;
        }
        this.depth++;
        continue;
      }
      if (c === 93 /* ] */ || c === 125 /* } */) {
        if (this.depth === 0) throw new HitsFormatError('malformed-json', 'the body is not valid JSON: unbalanced brackets');
        this.depth--;
        if (this.depth === 0) { this.element(this.pending + text.slice(segStart, i), true); this.pending = ''; this.done = true; }
        continue;
      }
      if (c === 44 /* , */ && this.depth === 1) { this.element(this.pending + text.slice(segStart, i), false); this.pending = ''; segStart = i + 1; continue; }
      if (this.depth === 0 && !isSpace(c)) throw new HitsFormatError('malformed-json', 'expected a JSON array');
    }
    if (this.depth > 0 && !this.done) this.pending += text.slice(segStart);
  }

  end(): ParsedRow[] {
    if (!this.done || this.inString) throw new HitsFormatError('malformed-json', 'the body is not valid JSON: the array is never closed');
    return this.rows;
  }

  private element(text: string, last: boolean): void {
    const t = text.trim();
    if (!t) {
      if (last && this.rows.length === 0) return; // []
      throw new HitsFormatError('malformed-json', 'the body is not valid JSON: an empty element in the array');
    }
    let v: unknown;
    try { v = JSON.parse(t); } catch (e) { throw new HitsFormatError('malformed-json', `the body is not valid JSON: ${(e as Error).message}`); }
    if (this.rows.length >= this.maxRows) throw new HitsFormatError('too-many-rows', `the body has more than ${this.maxRows} rows; the limit is ${this.maxRows}`);
    const index = this.rows.length;
    this.rows.push(v && typeof v === 'object' && !Array.isArray(v)
      ? rowOf(v as Record<string, unknown>, index)
      : { index, error: `/${index} is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}, not a row object` });
  }
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
