import { RuleError, positionOf } from './errors.js';
import { OPERATOR_SYMBOLS } from './operators.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'eof';
/** `text` is the source slice; `value` the string's content (escapes applied), or the text for other tokens. */
export interface Token { kind: TokenKind; text: string; value: string; offset: number; length: number }

const isSpace = (c: string) => /\s/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';
const IDENT_START = /[A-Za-z_@]/;
const IDENT_PART = /[A-Za-z0-9_.@\-]/;

/**
 * Strings take double or single quotes; `\"`, `\'` and `\\` are escapes and any other backslash is literal,
 * so the seed filter "Domain\Administrator" means exactly what it says (SPEC §4).
 */
function readString(src: string, start: number): Token {
  const q = src[start];
  let value = '';
  let i = start + 1;
  let escapedQuote = -1;
  while (i < src.length) {
    const c = src[i];
    const after = src[i + 1];
    if (c === '\\' && (after === '"' || after === "'" || after === '\\')) {
      if (after === q) escapedQuote = i;
      value += after;
      i += 2;
      continue;
    }
    if (c === q) return { kind: 'string', text: src.slice(start, i + 1), value, offset: start, length: i + 1 - start };
    value += c;
    i++;
  }
  const quote = q === '"' ? 'double' : 'single';
  if (escapedQuote >= 0) {
    // The usual cause: a Windows path ending in a backslash, `"C:\Program Files\"`, whose last `\"` is an escape.
    const at = positionOf(src, escapedQuote, 2);
    const fixed = `${src.slice(start, escapedQuote)}\\\\${q}`;
    throw RuleError.at(src, 'unclosed-string',
      `unclosed string: the backslash before the closing quote escaped it (line ${at.line}, column ${at.column}: \`\\${q}\` is a quote inside `
      + `the string, not its end); to end a string with a backslash, double it: ${fixed}`, start, src.length - start);
  }
  throw RuleError.at(src, 'unclosed-string', `unclosed string: the ${quote} quote opened here is never closed`, start, src.length - start);
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  scan: while (i < src.length) {
    const c = src[i];
    if (isSpace(c)) { i++; continue; }
    if (c === '"' || c === "'") { const t = readString(src, i); out.push(t); i += t.length; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: c, text: c, value: c, offset: i, length: 1 }); i++; continue; }
    for (const sym of OPERATOR_SYMBOLS) {
      if (src.startsWith(sym, i)) { out.push({ kind: 'op', text: sym, value: sym, offset: i, length: sym.length }); i += sym.length; continue scan; }
    }
    if (isDigit(c) || (c === '-' && isDigit(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < src.length && isDigit(src[j])) j++;
      if (j < src.length && IDENT_PART.test(src[j]) && src[j] !== '-') {
        while (j < src.length && IDENT_PART.test(src[j])) j++;
        throw RuleError.at(src, 'bad-token', `\`${src.slice(i, j)}\` is neither a number nor a field name; quote it if it is a value`, i, j - i);
      }
      out.push({ kind: 'number', text: src.slice(i, j), value: src.slice(i, j), offset: i, length: j - i });
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j])) j++;
      out.push({ kind: 'ident', text: src.slice(i, j), value: src.slice(i, j), offset: i, length: j - i });
      i = j;
      continue;
    }
    if (c === '=') throw RuleError.at(src, 'bad-operator', 'use `==` to compare (a single `=` is not an operator)', i, 1);
    throw RuleError.at(src, 'unexpected-character', `unexpected character \`${c}\``, i, 1);
  }
  out.push({ kind: 'eof', text: '', value: '', offset: src.length, length: 0 });
  return out;
}
