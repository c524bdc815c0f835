import { FilterError, LIMITS, type CompareOp, type Expr, type FieldRef, type Literal, type Range } from './ast.js';
import { tokenize, type Token } from './lexer.js';

const COMPARE_WORDS = new Set(['contains', 'startswith', 'endswith', 'matches']);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'exists', ...COMPARE_WORDS]);

const span = (a: Range, b: Range): Range => ({ offset: a.offset, length: b.offset + b.length - a.offset });
const describe = (t: Token) => (t.kind === 'eof' ? 'the end of the expression' : `\`${t.text}\``);

/**
 * Recursive descent over: or := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | primary ;
 * primary := '(' or ')' | 'exists' '(' field ')' | field operator. Keywords are case-insensitive.
 */
export function parseExpression(src: string): Expr {
  if (src.length > LIMITS.maxLength) {
    throw new FilterError('too-long', `the expression is ${src.length} characters; the limit is ${LIMITS.maxLength}`, LIMITS.maxLength, src.length - LIMITS.maxLength);
  }
  const tokens = tokenize(src);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]!;
  const word = (t: Token) => (t.kind === 'ident' ? t.value.toLowerCase() : '');
  const next = () => tokens[pos++]!;

  function enter(t: Token) {
    if (++depth > LIMITS.maxDepth) throw new FilterError('too-deep', `the expression nests deeper than ${LIMITS.maxDepth} levels`, t.offset, t.length);
  }

  function or(): Expr {
    let left = and();
    while (word(peek()) === 'or') {
      next();
      const right = and();
      left = { kind: 'or', left, right, range: span(left.range, right.range) };
    }
    return left;
  }
  function and(): Expr {
    let left = unary();
    while (word(peek()) === 'and') {
      next();
      const right = unary();
      left = { kind: 'and', left, right, range: span(left.range, right.range) };
    }
    return left;
  }
  function unary(): Expr {
    const t = peek();
    if (word(t) === 'not') {
      next();
      enter(t);
      const operand = unary();
      depth--;
      return { kind: 'not', operand, range: span(t, operand.range) };
    }
    return primary();
  }
  function expect(kind: Token['kind'], what: string): Token {
    const t = peek();
    if (t.kind !== kind) throw new FilterError('expected', `expected ${what} but found ${describe(t)}`, t.offset, Math.max(t.length, 1));
    return next();
  }
  function field(): FieldRef {
    const t = peek();
    if (t.kind !== 'ident' || KEYWORDS.has(word(t))) {
      throw new FilterError('expected-field', `expected a field name (like process.name) but found ${describe(t)}`, t.offset, Math.max(t.length, 1));
    }
    next();
    return { name: t.value, range: { offset: t.offset, length: t.length } };
  }
  function value(after: string): Literal {
    const t = peek();
    if (t.kind === 'string' || t.kind === 'number') {
      next();
      return { kind: t.kind, value: t.value, range: { offset: t.offset, length: t.length } };
    }
    const hint = t.kind === 'ident' && !KEYWORDS.has(word(t)) ? ` (quote text values: "${t.text}")` : '';
    throw new FilterError('expected-value', `expected a value after \`${after}\` but found ${describe(t)}${hint}`, t.offset, Math.max(t.length, 1));
  }
  function list(open: Token): { values: Literal[]; close: Token } {
    expect('(', 'a `(` to open the list of values');
    const values: Literal[] = [value('(')];
    while (peek().kind === ',') {
      next();
      values.push(value(','));
      if (values.length > LIMITS.maxListSize) {
        const v = values[values.length - 1]!;
        throw new FilterError('list-too-long', `a list may hold at most ${LIMITS.maxListSize} values`, v.range.offset, v.range.length);
      }
    }
    const close = peek();
    if (close.kind !== ')') {
      throw new FilterError('unclosed-list', `expected \`,\` or \`)\` in the list opened at offset ${open.offset} but found ${describe(close)}`, close.offset, Math.max(close.length, 1));
    }
    next();
    return { values, close };
  }
  function primary(): Expr {
    const t = peek();
    if (t.kind === '(') {
      next();
      enter(t);
      const inner = or();
      depth--;
      const close = peek();
      if (close.kind !== ')') throw new FilterError('unclosed-paren', `expected \`)\` to close the \`(\` at offset ${t.offset} but found ${describe(close)}`, close.offset, Math.max(close.length, 1));
      next();
      return { ...inner, range: span(t, close) };
    }
    if (word(t) === 'exists' && tokens[pos + 1]?.kind === '(') {
      next();
      next();
      const f = field();
      const close = expect(')', '`)` after the field in exists(…)');
      return { kind: 'exists', field: f, range: span(t, close) };
    }
    const f = field();
    const opTok = peek();
    const w = word(opTok);
    if (opTok.kind === 'op') {
      next();
      const v = value(opTok.text);
      return { kind: 'compare', op: opTok.value as CompareOp, field: f, value: v, range: span(f.range, v.range) };
    }
    if (COMPARE_WORDS.has(w)) {
      next();
      const v = value(w);
      return { kind: 'compare', op: w as CompareOp, field: f, value: v, range: span(f.range, v.range) };
    }
    if (w === 'in') {
      next();
      const { values, close } = list(opTok);
      return { kind: 'in', negated: false, field: f, values, range: span(f.range, close) };
    }
    if (w === 'not' && word(tokens[pos + 1]!) === 'in') {
      next(); next();
      const { values, close } = list(opTok);
      return { kind: 'in', negated: true, field: f, values, range: span(f.range, close) };
    }
    throw new FilterError('expected-operator', `expected an operator after \`${f.name}\` (==, !=, in, not in, contains, startswith, endswith, matches) but found ${describe(opTok)}`,
      opTok.offset, Math.max(opTok.length, 1));
  }

  const root = or();
  const rest = peek();
  if (rest.kind !== 'eof') {
    const hint = rest.kind === ')' ? ' (a `)` without its `(`)' : ' (join conditions with and / or)';
    throw new FilterError('unexpected-token', `unexpected ${describe(rest)} after a complete condition${hint}`, rest.offset, Math.max(rest.length, 1));
  }
  return root;
}
