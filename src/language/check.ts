import { RE2JS } from 're2js';
import { foldAscii } from './fold.js';
import IPCIDRModule from 'ip-cidr';
import { RuleError, type ErrorCode } from './errors.js';
import type { FieldCatalog, ResolvedField } from './catalog.js';
import { parseBlock, type Block } from './ip.js';
import { parseRule } from './parser.js';
import type { EqualityOperator, RegexOperator, TextOperator } from './operators.js';
import { mapNonEmpty, type Literal, type NonEmpty, type Range, type Syntax } from './syntax.js';
import type { DateValue, EqualityOperand, IntValue, IpValue, RegexValue, TextValue } from './values.js';

/** A field as written in the rule, with what the catalog resolved it to. */
export interface CheckedField { name: string; range: Range; resolved: ResolvedField }

/** A comparison whose values are typed for its operator's family and its field's type. */
export type Comparison =
  | { kind: 'compare'; family: 'equality'; op: EqualityOperator; field: CheckedField; operand: EqualityOperand; range: Range }
  | { kind: 'compare'; family: 'text'; op: TextOperator; field: CheckedField; value: TextValue; range: Range }
  | { kind: 'compare'; family: 'regex'; op: RegexOperator; field: CheckedField; value: RegexValue; range: Range };

/** The checked tree: the syntax tree with every field resolved and every value typed. */
export type Checked =
  | { kind: 'or'; left: Checked; right: Checked; range: Range }
  | { kind: 'and'; left: Checked; right: Checked; range: Range }
  | { kind: 'not'; operand: Checked; range: Range }
  | { kind: 'exists'; field: CheckedField; range: Range }
  | Comparison;

export type CheckedLeaf = Extract<Checked, { field: CheckedField }>;

export interface CheckedRule {
  /** The rule text, for positions (line and column) of lint warnings. */
  readonly source: string;
  /** The parse tree, for printing. */
  readonly syntax: Syntax;
  readonly expr: Checked;
  /** Field names as written (first spelling first), with what each resolves to. */
  readonly fields: ReadonlyMap<string, ResolvedField>;
}

export type CheckResult = { ok: true; rule: CheckedRule } | { ok: false; errors: NonEmpty<RuleError> };

// ip-cidr is CommonJS; its class arrives wrapped under ESM.
const IPCIDR = ((IPCIDRModule as unknown as { default?: unknown }).default ?? IPCIDRModule) as
  { isValidCIDR(v: string): boolean; isValidAddress(v: string): boolean };

/** The block, when the value is valid for ip-cidr and for Quell's own range arithmetic (both must agree). */
function ipBlock(v: string): Block | null {
  const s = v.trim();
  return (s.includes('/') ? IPCIDR.isValidCIDR(s) : IPCIDR.isValidAddress(s)) ? parseBlock(s) : null;
}

const CIDR_LIKE = /^\s*[0-9a-fA-F:.]+\/\d+\s*$/;
const INT = /^-?\d+$/;

/** Every value of every leaf typed; all errors collected, not just the first. */
class Checker {
  readonly errors: RuleError[] = [];
  readonly fields = new Map<string, ResolvedField>();

  constructor(private readonly src: string, private readonly catalog: FieldCatalog) {}

  private error(code: ErrorCode, message: string, r: Range): null {
    this.errors.push(RuleError.at(this.src, code, message, r.offset, r.length));
    return null;
  }

  private field(name: string, range: Range): CheckedField | null {
    const resolved = this.catalog.resolve(name);
    if (!resolved) {
      const s = this.catalog.suggest(name);
      return this.error('unknown-field', `unknown field \`${name}\`${s ? ` — did you mean \`${s}\`?` : ''}`, range);
    }
    if (!this.fields.has(name)) this.fields.set(name, resolved);
    return { name, range, resolved };
  }

  private text(l: Literal): TextValue {
    return { ...l, kind: 'text', lower: foldAscii(l.text) };
  }

  private regex(l: Literal): RegexValue | null {
    try { return { ...l, kind: 'regex', regex: RE2JS.compile(l.text, RE2JS.CASE_INSENSITIVE) }; } catch (e) {
      return this.error('invalid-regex', `the regular expression does not compile: ${(e as Error).message}`, l.range);
    }
  }

  /** Each value typed by `f`, or null (with the errors recorded) when any is not valid. */
  private all<V>(values: NonEmpty<Literal>, f: (l: Literal) => V | null): NonEmpty<V> | null {
    const typed = mapNonEmpty(values, f);
    const ok = (xs: NonEmpty<V | null>): xs is NonEmpty<V> => xs.every((x) => x !== null);
    return ok(typed) ? typed : null;
  }

  /** ==, !=, in, not in: values by the field's type. */
  private equality(f: CheckedField, values: NonEmpty<Literal>): EqualityOperand | null {
    const written = f.name;
    const type = f.resolved.type;
    if (type === 'ip') {
      const ips = this.all(values, (l): IpValue | null => {
        const block = ipBlock(l.text);
        return block ? { ...l, kind: 'ip', block } : this.error('invalid-ip', `\`${l.text}\` is not a valid IPv4 or IPv6 address or CIDR block`, l.range);
      });
      return ips && { type: 'ip', values: ips };
    }
    // A CIDR block is a mistake on any field but an IP one: say so rather than compare it as text.
    const cidr = (l: Literal) => CIDR_LIKE.test(l.text) && parseBlock(l.text) !== null;
    const cidrError = (l: Literal) => this.error('cidr-on-non-ip',
      `\`${l.text}\` is a CIDR block, but ${written} is a ${type} field; CIDR matching works on destination.ip and source.ip`, l.range);
    if (type === 'int') {
      const ints = this.all(values, (l): IntValue | null => {
        if (cidr(l)) return cidrError(l);
        if (!INT.test(l.text.trim())) return this.error('not-an-integer', `${written} is a whole number; \`${l.text}\` is not`, l.range);
        return { ...l, kind: 'int', int: Number(l.text) };
      });
      return ints && { type: 'int', values: ints };
    }
    if (type === 'date') {
      const dates = this.all(values, (l): DateValue | null => {
        if (cidr(l)) return cidrError(l);
        const ms = Date.parse(l.text);
        return Number.isNaN(ms) ? this.error('not-a-date', `${written} is a date; \`${l.text}\` is not a date`, l.range) : { ...l, kind: 'date', ms };
      });
      return dates && { type: 'date', values: dates };
    }
    const texts = this.all(values, (l) => (cidr(l) ? cidrError(l) : this.text(l)));
    return texts && { type: 'text', values: texts };
  }

  check(e: Syntax): Checked | null {
    switch (e.kind) {
      case 'or': case 'and': {
        const left = this.check(e.left), right = this.check(e.right);
        return left && right && { kind: e.kind, left, right, range: e.range };
      }
      case 'not': {
        const operand = this.check(e.operand);
        return operand && { kind: 'not', operand, range: e.range };
      }
      case 'exists': {
        const field = this.field(e.field.name, e.field.range);
        return field && { kind: 'exists', field, range: e.range };
      }
      case 'compare': {
        const field = this.field(e.field.name, e.field.range);
        if (!field) return null;
        const { op, range } = e;
        switch (op.family) {
          case 'equality': { const operand = this.equality(field, e.values); return operand && { kind: 'compare', family: 'equality', op, field, operand, range }; }
          case 'text': return { kind: 'compare', family: 'text', op, field, value: this.text(e.values[0]), range };
          case 'regex': { const value = this.regex(e.values[0]); return value && { kind: 'compare', family: 'regex', op, field, value, range }; }
        }
      }
    }
  }
}

/**
 * The entry point: parses, resolves every field against the catalog and types every value, once. A syntax error is
 * the only error; otherwise every unknown field and bad value is reported.
 */
export function checkRule(text: string, catalog: FieldCatalog): CheckResult {
  const parsed = parseRule(text);
  if (!parsed.ok) return parsed;
  return checkSyntax(text, parsed.syntax, catalog);
}

/** Checks an already parsed tree (`text` is its source, for positions). */
export function checkSyntax(text: string, syntax: Syntax, catalog: FieldCatalog): CheckResult {
  const checker = new Checker(text, catalog);
  const expr = checker.check(syntax);
  const [first, ...rest] = checker.errors;
  if (first) return { ok: false, errors: [first, ...rest] };
  if (!expr) throw new Error('checker: no errors but no tree'); // unreachable: every null records an error
  return { ok: true, rule: { source: text, syntax, expr, fields: checker.fields } };
}

/** Every leaf (comparison or exists) of a checked tree, left to right. */
export function* checkedLeaves(e: Checked): Generator<CheckedLeaf> {
  if (e.kind === 'and' || e.kind === 'or') { yield* checkedLeaves(e.left); yield* checkedLeaves(e.right); }
  else if (e.kind === 'not') yield* checkedLeaves(e.operand);
  else yield e;
}
