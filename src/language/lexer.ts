import { FilterError } from './ast.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'eof';
export interface Token { kind: TokenKind; text: string; value: string; offset: number; length: number }

const IDENT_START = /[A-Za-z_@]/;
const IDENT_PART = /[A-Za-z0-9_.@\-]/;

/**
 * Strings take double or single quotes; `\"`, `\'` and `\\` are escapes and any other backslash is literal,
 * so the seed filter "Domain\Administrator" means exactly what it says (SPEC §4).
 */
function readString(src: string, start: number): Token {
  const q = src[start]!;
  let value = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && (src[i + 1] === '"' || src[i + 1] === "'" || src[i + 1] === '\\')) { value += src[i + 1]; i += 2; continue; }
    if (c === q) return { kind: 'string', text: src.slice(start, i + 1), value, offset: start, length: i + 1 - start };
    value += c;
    i++;
  }
  throw new FilterError('unclosed-string', `unclosed string: the ${q === '"' ? 'double' : 'single'} quote opened here is never closed`, start, src.length - start);
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === "'") { const t = readString(src, i); out.push(t); i += t.length; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: c, text: c, value: c, offset: i, length: 1 }); i++; continue; }
    if ((c === '=' || c === '!') && src[i + 1] === '=') { out.push({ kind: 'op', text: `${c}=`, value: `${c}=`, offset: i, length: 2 }); i += 2; continue; }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      if (j < src.length && IDENT_PART.test(src[j]!) && src[j] !== '-') {
        while (j < src.length && IDENT_PART.test(src[j]!)) j++;
        throw new FilterError('bad-token', `\`${src.slice(i, j)}\` is neither a number nor a field name; quote it if it is a value`, i, j - i);
      }
      out.push({ kind: 'number', text: src.slice(i, j), value: src.slice(i, j), offset: i, length: j - i });
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      out.push({ kind: 'ident', text: src.slice(i, j), value: src.slice(i, j), offset: i, length: j - i });
      i = j;
      continue;
    }
    if (c === '=' ) throw new FilterError('bad-operator', 'use `==` to compare (a single `=` is not an operator)', i, 1);
    throw new FilterError('unexpected-character', `unexpected character \`${c}\``, i, 1);
  }
  out.push({ kind: 'eof', text: '', value: '', offset: src.length, length: 0 });
  return out;
}
