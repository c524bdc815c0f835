import { RuleError } from './errors.js';
import { LIMITS, type FieldRef, type Literal, type NonEmpty, type Range, type Syntax } from './syntax.js';
import { tokenize, type Token } from './lexer.js';
import { OPERATORS, OPERATOR_LIST, OPERATOR_WORDS, type Operator } from './operators.js';

const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'exists', ...OPERATOR_WORDS]);

const span = (a: Range, b: Range): Range => ({ offset: a.offset, length: b.offset + b.length - a.offset });
const describe = (t: Token) => (t.kind === 'eof' ? 'the end of the expression' : `\`${t.text}\``);

export type ParseResult = { ok: true; syntax: Syntax } | { ok: false; errors: NonEmpty<RuleError> };

/** Parses rule text; a syntax error stops the parse, so there is at most one. */
export function parseRule(src: string): ParseResult {
  try { return { ok: true, syntax: parseOrThrow(src) }; } catch (e) {
    if (e instanceof RuleError) return { ok: false, errors: [e] };
    throw e;
  }
}

/**
 * Recursive descent over: or := and ('or' and)* ; and := unary ('and' unary)* ; unary := 'not' unary | primary ;
 * primary := '(' or ')' | 'exists' '(' field ')' | field operator value(s). Keywords are case-insensitive; the
 * operators and how each is written come from the operator table.
 */
function parseOrThrow(src: string): Syntax {
  const error = (code: Parameters<typeof RuleError.at>[1], message: string, offset: number, length: number) => RuleError.at(src, code, message, offset, length);
  if (src.length > LIMITS.maxLength) {
    throw error('too-long', `the expression is ${src.length} characters; the limit is ${LIMITS.maxLength}`, LIMITS.maxLength, src.length - LIMITS.maxLength);
  }
  const tokens = tokenize(src);
  const last = tokens[tokens.length - 1]; // always the eof token
  let pos = 0;
  let depth = 0;
  const at = (i: number): Token => (i < tokens.length ? tokens[i] : last);
  const peek = () => at(pos);
  const next = () => at(pos++);
  const word = (t: Token) => (t.kind === 'ident' ? t.value.toLowerCase() : '');
  const width = (t: Token) => Math.max(t.length, 1);

  function enter(t: Token) {
    if (++depth > LIMITS.maxDepth) throw error('too-deep', `the expression nests deeper than ${LIMITS.maxDepth} levels`, t.offset, t.length);
  }

  function or(): Syntax {
    let left = and();
    while (word(peek()) === 'or') {
      next();
      const right = and();
      left = { kind: 'or', left, right, range: span(left.range, right.range) };
    }
    return left;
  }
  function and(): Syntax {
    let left = unary();
    while (word(peek()) === 'and') {
      next();
      const right = unary();
      left = { kind: 'and', left, right, range: span(left.range, right.range) };
    }
    return left;
  }
  function unary(): Syntax {
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
    if (t.kind !== kind) throw error('expected', `expected ${what} but found ${describe(t)}`, t.offset, width(t));
    return next();
  }
  function field(): FieldRef {
    const t = peek();
    if (t.kind !== 'ident' || KEYWORDS.has(word(t))) {
      throw error('expected-field', `expected a field name (like process.name) but found ${describe(t)}`, t.offset, width(t));
    }
    next();
    return { name: t.value, range: { offset: t.offset, length: t.length } };
  }
  function value(after: string): Literal {
    const t = peek();
    if (t.kind === 'string' || t.kind === 'number') {
      next();
      return { written: t.kind, text: t.value, range: { offset: t.offset, length: t.length } };
    }
    const hint = t.kind === 'ident' && !KEYWORDS.has(word(t)) ? ` (quote text values: "${t.text}")` : '';
    throw error('expected-value', `expected a value after \`${after}\` but found ${describe(t)}${hint}`, t.offset, width(t));
  }
  function list(open: Token): { values: NonEmpty<Literal>; close: Token } {
    expect('(', 'a `(` to open the list of values');
    const first = value('(');
    const rest: Literal[] = [];
    while (peek().kind === ',') {
      next();
      const v = value(',');
      rest.push(v);
      if (rest.length + 1 > LIMITS.maxListSize) {
        throw error('list-too-long', `a list may hold at most ${LIMITS.maxListSize} values`, v.range.offset, v.range.length);
      }
    }
    const close = peek();
    if (close.kind !== ')') {
      throw error('unclosed-list', `expected \`,\` or \`)\` in the list opened at offset ${open.offset} but found ${describe(close)}`, close.offset, width(close));
    }
    next();
    return { values: [first, ...rest], close };
  }
  /** The operator written at the current token, from the table, and how many tokens it takes. */
  function operatorAt(): { op: Operator; tokens: number } | null {
    const t = peek();
    for (const op of OPERATORS) {
      if ('symbol' in op.syntax) {
        if (t.kind === 'op' && t.value === op.syntax.symbol) return { op, tokens: 1 };
      } else if (op.syntax.words.every((w, i) => word(at(pos + i)) === w)) return { op, tokens: op.syntax.words.length };
    }
    return null;
  }
  function primary(): Syntax {
    const t = peek();
    if (t.kind === '(') {
      next();
      enter(t);
      const inner = or();
      depth--;
      const close = peek();
      if (close.kind !== ')') throw error('unclosed-paren', `expected \`)\` to close the \`(\` at offset ${t.offset} but found ${describe(close)}`, close.offset, width(close));
      next();
      return { ...inner, range: span(t, close) };
    }
    if (word(t) === 'exists' && at(pos + 1).kind === '(') {
      next();
      next();
      const f = field();
      const close = expect(')', '`)` after the field in exists(…)');
      return { kind: 'exists', field: f, range: span(t, close) };
    }
    const f = field();
    const opTok = peek();
    const found = operatorAt();
    if (!found) {
      throw error('expected-operator', `expected an operator after \`${f.name}\` (${OPERATOR_LIST}) but found ${describe(opTok)}`, opTok.offset, width(opTok));
    }
    const { op } = found;
    pos += found.tokens;
    if (op.arity === 'list') {
      const { values, close } = list(opTok);
      return { kind: 'compare', op, field: f, values, range: span(f.range, close) };
    }
    const v = value(opTok.kind === 'op' ? opTok.text : word(opTok));
    return { kind: 'compare', op, field: f, values: [v], range: span(f.range, v.range) };
  }

  const root = or();
  const rest = peek();
  if (rest.kind !== 'eof') {
    const hint = rest.kind === ')' ? ' (a `)` without its `(`)' : ' (join conditions with and / or)';
    throw error('unexpected-token', `unexpected ${describe(rest)} after a complete condition${hint}`, rest.offset, width(rest));
  }
  return root;
}
