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
    // Most of a row's characters are inside strings: those are skipped with indexOf (native) to the closing quote or
    // the next backslash, instead of one charCodeAt step per character; a character-by-character scan of a 47 MB
    // array cost more than parsing its elements. Backslashes are rare, so where the next one is is kept per chunk.
    let nextBackslash = -1;
    const n = text.length;
    let i = 0;
    if (this.inString && this.escaped && n > 0) { this.escaped = false; i = 1; }
    while (i < n) {
      if (this.inString) {
        const quote = text.indexOf('"', i);
        if (nextBackslash !== Infinity && nextBackslash < i) {
          nextBackslash = text.indexOf('\\', i);
          if (nextBackslash < 0) nextBackslash = Infinity;
        }
        if (nextBackslash < (quote < 0 ? Infinity : quote)) {
          // An escape: the character after the backslash is never the closing quote (it may be in the next chunk).
          if (nextBackslash + 1 >= n) { this.escaped = true; i = n; break; }
          i = nextBackslash + 2;
          continue;
        }
        if (quote < 0) { i = n; break; }
        this.inString = false;
        i = quote + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.done) {
        if (!isSpace(c)) throw new HitsFormatError('malformed-json', 'the body is not valid JSON: text after the closing ]');
        i++;
        continue;
      }
      if (c === 34) { this.inString = true; i++; continue; }
      if (c === 91 /* [ */ || c === 123 /* { */) {
        if (this.depth === 0) {
          if (c !== 91) throw new HitsFormatError('malformed-json', 'expected a JSON array');
          this.depth = 1; segStart = i + 1; i++; continue;
        }
        this.depth++;
        i++;
        continue;
      }
      if (c === 93 /* ] */ || c === 125 /* } */) {
        if (this.depth === 0) throw new HitsFormatError('malformed-json', 'the body is not valid JSON: unbalanced brackets');
        this.depth--;
        if (this.depth === 0) { this.element(this.pending + text.slice(segStart, i), true); this.pending = ''; this.done = true; }
        i++;
        continue;
      }
      if (c === 44 /* , */ && this.depth === 1) { this.element(this.pending + text.slice(segStart, i), false); this.pending = ''; segStart = i + 1; i++; continue; }
      if (this.depth === 0 && !isSpace(c)) throw new HitsFormatError('malformed-json', 'expected a JSON array');
      i++;
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
