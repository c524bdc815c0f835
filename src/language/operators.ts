// The operator table (SPEC §4): the one place that says, per comparison operator, how it is written, whether it takes
// one value or a list, whether it is a negation, how it matches a value, what KQL it compiles to and how it prints.
// The lexer and parser read the syntax from here, the checker the value family, the evaluator the matcher, the KQL
// backend the template and the printer the printer. `exists(field)` is not a comparison and is not in the table.
import { foldAscii } from './fold.js';
import { IpSet, formatIpv4 } from './ip.js';
import type { NonEmpty } from './syntax.js';
import type { EqualityOperand, IpValue, RegexValue, TextValue } from './values.js';

export type OperatorName = '==' | '!=' | 'in' | 'not in' | 'contains' | 'startswith' | 'endswith' | 'matches';

/** Whether one present value (one element of a multi-valued field) satisfies the operator's positive form. */
export type Matcher = (value: unknown) => boolean;

/** A field as the KQL backend sees it: its expression, and the same as a string (`tostring(…)` when not one). */
export interface KqlTarget { expr: string; text: string }

/** A KQL string literal: backslash, quote and control characters escaped. */
export function kqlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

interface OperatorBase {
  readonly name: OperatorName;
  /** A symbol the lexer reads as one token, or keywords (case-insensitive) the parser reads in sequence. */
  readonly syntax: { readonly symbol: string } | { readonly words: NonEmpty<string> };
  /** `one`: `field op value`; `list`: `field op (value, …)`. */
  readonly arity: 'one' | 'list';
  /**
   * A negation holds when its positive form holds for no element (`!=` of `==`, `not in` of `in`); `match` and `kql`
   * are always the positive form, and the evaluator and the backend negate.
   */
  readonly negated: boolean;
  /** Source text of a comparison, given the field as written and the values already printed as literals. */
  print(field: string, values: NonEmpty<string>): string;
}

/**
 * `==`, `!=`, `in`, `not in`: values are typed by the field's type (text lower-cased, IP blocks, integers, dates), and
 * the matcher and the KQL follow that type.
 */
export interface EqualityOperator extends OperatorBase {
  readonly family: 'equality';
  match(operand: EqualityOperand): Matcher;
  kql(target: KqlTarget, operand: EqualityOperand): string;
}

/** `contains`, `startswith`, `endswith`: one text value, compared case-insensitively with the field's value as text. */
export interface TextOperator extends OperatorBase {
  readonly family: 'text';
  match(value: TextValue): Matcher;
  /** The same test on a value already folded (a prepared hit's text): no folding per comparison. */
  matchFolded(value: TextValue): (folded: string) => boolean;
  kql(target: KqlTarget, value: TextValue): string;
}

/** `matches`: one regular expression (re2js, case-insensitive), found anywhere in the value. */
export interface RegexOperator extends OperatorBase {
  readonly family: 'regex';
  match(value: RegexValue): Matcher;
  kql(target: KqlTarget, value: RegexValue): string;
}

export type Operator = EqualityOperator | TextOperator | RegexOperator;

// ── matching ────────────────────────────────────────────────────────────────────────────────────────────────────

/** A value as text, lower-cased: what string comparisons compare. */
export const lowerText = (v: unknown) => foldAscii(typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
const INT = /^-?\d+$/;
export const asInt = (v: unknown) => (typeof v === 'number' ? v : INT.test(String(v).trim()) ? Number(v) : NaN);
export const asTime = (v: unknown) => Date.parse(String(v));

/** Whether `v`, ASCII-folded, equals `lower` (already folded), without allocating. */
export function equalsLower(v: string, lower: string): boolean {
  const n = v.length;
  if (n !== lower.length) return false;
  for (let i = 0; i < n; i++) {
    const a = v.charCodeAt(i);
    const b = lower.charCodeAt(i);
    if (a === b) continue;
    if (a < 65 || a > 90 || a + 32 !== b) return false;
  }
  return true;
}

function equalityMatcher(o: EqualityOperand): Matcher {
  switch (o.type) {
    case 'ip': {
      const set = new IpSet(o.values.map((v) => v.block));
      return (v) => typeof v === 'string' && set.hasText(v);
    }
    case 'int': {
      const set = new Set(o.values.map((v) => v.int));
      return (v) => set.has(asInt(v));
    }
    case 'date': {
      const set = new Set(o.values.map((v) => v.ms));
      return (v) => set.has(asTime(v));
    }
    case 'text': {
      if (o.values.length === 1) {
        const s = o.values[0].lower;
        return (v) => (typeof v === 'string' ? equalsLower(v, s) : lowerText(v) === s);
      }
      const set = new Set(o.values.map((v) => v.lower));
      return (v) => set.has(lowerText(v));
    }
  }
}

// ── KQL ─────────────────────────────────────────────────────────────────────────────────────────────────────────

// CIDR via ipv4_is_in_range / ipv6_is_in_range. Mapped addresses (::ffff:a.b.c.d) are IPv4 in Quell, so the
// prefix is stripped first; coalesce(…, false) keeps an unparseable address from making the predicate null.
function ipKql(col: string, values: NonEmpty<IpValue>): string {
  const ipc = `replace_regex(${col}, @"(?i)^::ffff:", "")`;
  const parts = values.map(({ block: b }) => (b.v === 4
    ? `(indexof(${ipc}, ":") < 0 and coalesce(ipv4_is_in_range(${ipc}, ${kqlString(`${formatIpv4(b.start)}/${b.prefix}`)}), false))`
    : `(indexof(${ipc}, ":") >= 0 and coalesce(ipv6_is_in_range(${ipc}, ${kqlString(b.text)}), false))`));
  return parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
}

/** KQL literals of an operand's values (strings for text, numbers for ints, datetime(…) for dates). */
function kqlLiterals(o: EqualityOperand): string[] {
  switch (o.type) {
    case 'int': return o.values.map((v) => String(v.int));
    case 'date': return o.values.map((v) => `datetime(${new Date(v.ms).toISOString()})`);
    default: return o.values.map((v) => kqlString(v.text));
  }
}

/** `==` / `!=`: `=~` for text (case-insensitive), `==` for numbers and dates, range checks for IP blocks. */
function equalsKql(t: KqlTarget, o: EqualityOperand): string {
  if (o.type === 'ip') return ipKql(t.expr, o.values);
  return `${t.expr} ${o.type === 'text' ? '=~' : '=='} ${kqlLiterals(o)[0]}`;
}

/** `in` / `not in`: `in~` for text, `in` for numbers and dates, range checks for IP blocks. */
function inKql(t: KqlTarget, o: EqualityOperand): string {
  if (o.type === 'ip') return ipKql(t.expr, o.values);
  return `${t.expr} ${o.type === 'text' ? 'in~' : 'in'} (${kqlLiterals(o).join(', ')})`;
}

// ── the table ───────────────────────────────────────────────────────────────────────────────────────────────────

const one = (symbol: string) => (field: string, values: NonEmpty<string>) => `${field} ${symbol} ${values[0]}`;
const list = (words: string) => (field: string, values: NonEmpty<string>) => `${field} ${words} (${values.join(', ')})`;

const textOperator = (name: 'contains' | 'startswith' | 'endswith', test: (value: string, needle: string) => boolean): TextOperator => ({
  name, syntax: { words: [name] }, arity: 'one', negated: false, family: 'text', print: one(name),
  match: ({ lower }) => (v) => test(lowerText(v), lower),
  matchFolded: ({ lower }) => (t) => test(t, lower),
  kql: (t, v) => `${t.text} ${name} ${kqlString(v.text)}`,
});

/** In the order error messages list them. */
export const OPERATORS: readonly Operator[] = [
  { name: '==', syntax: { symbol: '==' }, arity: 'one', negated: false, family: 'equality', print: one('=='), match: equalityMatcher, kql: equalsKql },
  { name: '!=', syntax: { symbol: '!=' }, arity: 'one', negated: true, family: 'equality', print: one('!='), match: equalityMatcher, kql: equalsKql },
  { name: 'in', syntax: { words: ['in'] }, arity: 'list', negated: false, family: 'equality', print: list('in'), match: equalityMatcher, kql: inKql },
  { name: 'not in', syntax: { words: ['not', 'in'] }, arity: 'list', negated: true, family: 'equality', print: list('not in'), match: equalityMatcher, kql: inKql },
  textOperator('contains', (v, s) => v.includes(s)),
  textOperator('startswith', (v, s) => v.startsWith(s)),
  textOperator('endswith', (v, s) => v.endsWith(s)),
  {
    name: 'matches', syntax: { words: ['matches'] }, arity: 'one', negated: false, family: 'regex', print: one('matches'),
    match: ({ regex }) => (v) => regex.matcher(String(v)).find(),
    kql: (t, v) => `${t.text} matches regex ${kqlString(`(?i)${v.text}`)}`,
  },
];

export const OPERATOR_BY_NAME: ReadonlyMap<OperatorName, Operator> = new Map(OPERATORS.map((o) => [o.name, o]));

/** Symbols the lexer reads as operator tokens, longest first. */
export const OPERATOR_SYMBOLS: readonly string[] = OPERATORS.flatMap((o) => ('symbol' in o.syntax ? [o.syntax.symbol] : []))
  .sort((a, b) => b.length - a.length);

/** Every keyword an operator uses (lower-case). */
export const OPERATOR_WORDS: ReadonlySet<string> = new Set(OPERATORS.flatMap((o) => ('words' in o.syntax ? [...o.syntax.words] : [])));

/** How operators are written, for messages: `==, !=, in, not in, …`. */
export const OPERATOR_LIST = OPERATORS.map((o) => ('symbol' in o.syntax ? o.syntax.symbol : o.syntax.words.join(' '))).join(', ');
