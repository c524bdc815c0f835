import type { Checked, CheckedField, CheckedRule, Comparison } from './check.js';
import type { FieldType } from './catalog.js';
import { IpSet, formatIp, parseIp } from './ip.js';
import type { Matcher } from './operators.js';

/** Three-valued truth: a comparison on an absent field is unknown, and only true suppresses (SPEC §4). */
export type Tri = true | false | null;

/** A hit as the evaluator reads it: canonical fields by name, and the raw row for raw Defender columns. */
export interface HitView {
  fields: Readonly<Record<string, unknown>>;
  raw?: Readonly<Record<string, unknown>>;
}

export interface Evaluator {
  test(hit: HitView): Tri;
  /** The result and one line per clause: the actual value, the comparison, and whether it held. */
  explain(hit: HitView): { result: Tri; clauses: string[] };
}

// Defender writes absent values as empty strings; an empty list is absent too (SPEC §3, §4).
const absent = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The field's value as stored (not yet checked for absence). */
type Read = (h: HitView) => unknown;

function reader(f: CheckedField): Read {
  const { kind, name, aliases = [] } = f.resolved;
  if (kind === 'canonical') return (h) => h.fields[name];
  if (aliases.length === 0) return (h) => h.raw?.[name];
  return (h) => {
    const raw = h.raw;
    if (raw === undefined) return undefined;
    let v = raw[name];
    for (let i = 0; i < aliases.length && absent(v); i++) v = raw[aliases[i]];
    return v;
  };
}

/** The present elements of a value: undefined when absent, else a list (one element unless multi-valued). */
function presentValues(v: unknown): unknown[] | undefined {
  if (absent(v)) return undefined;
  if (!Array.isArray(v)) return [v];
  const present = v.filter((x) => !absent(x));
  return present.length ? present : undefined;
}

/**
 * Multi-valued fields: a comparison holds if it holds for any element; a negation holds if no element matches; a list
 * without present elements is absent. Loops rather than filtering, so a test allocates nothing.
 */
function anyElement(v: readonly unknown[], match: Matcher, negated: boolean): Tri {
  let present = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === undefined || x === null || x === '' || (Array.isArray(x) && x.length === 0)) continue;
    if (match(x)) return !negated;
    present = true;
  }
  return present ? negated : null;
}

function comparisonTest(f: CheckedField, match: Matcher, negated: boolean): (h: HitView) => Tri {
  const { kind, name } = f.resolved;
  if (kind === 'canonical') {
    return (h) => {
      const v = h.fields[name];
      if (v === undefined || v === null || v === '') return null;
      if (Array.isArray(v)) return anyElement(v, match, negated);
      return match(v) !== negated;
    };
  }
  const read = reader(f);
  return (h) => {
    const v = read(h);
    if (v === undefined || v === null || v === '') return null;
    if (Array.isArray(v)) return anyElement(v, match, negated);
    return match(v) !== negated;
  };
}

function matcherOf(c: Comparison): Matcher {
  switch (c.family) {
    case 'equality': return c.op.match(c.operand);
    case 'text': return c.op.match(c.value);
    case 'regex': return c.op.match(c.value);
  }
}

function describeValue(type: FieldType, v: unknown): string {
  if (type === 'ip') { const ip = typeof v === 'string' ? parseIp(v) : null; return ip ? formatIp(ip) : String(v); }
  if (type === 'int' || type === 'date') return String(v);
  return `"${typeof v === 'string' ? v : String(v)}"`;
}

/** How the clause's values read in an explanation: the block that matched, for an IP list, else the values. */
function valuesText(c: Comparison): (shown: unknown) => string {
  const texts = c.family === 'equality' ? c.operand.values.map((v) => v.text) : [c.value.text];
  const plain = c.op.arity === 'list' ? `(${texts.join(', ')})` : `"${texts[0]}"`;
  if (c.family !== 'equality' || c.operand.type !== 'ip' || c.op.arity !== 'list' || c.op.negated) return () => plain;
  const set = new IpSet(c.operand.values.map((v) => v.block));
  return (shown) => {
    const ip = typeof shown === 'string' ? parseIp(shown) : null;
    return (ip && set.blockOf(ip)?.text) ?? plain;
  };
}

type Node = { test(h: HitView): Tri; explain(h: HitView, out: string[]): Tri };

const and3 = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === null || b === null ? null : true);
const or3 = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === null || b === null ? null : false);
const not3 = (t: Tri): Tri => (t === null ? null : !t);

function build(x: Checked): Node {
  switch (x.kind) {
    case 'and': {
      const l = build(x.left), r = build(x.right);
      return {
        test: (h) => {
          const a = l.test(h);
          if (a === false) return false;
          const b = r.test(h);
          return b === false ? false : a === null || b === null ? null : true;
        },
        explain: (h, out) => { const a = l.explain(h, out); return and3(a, r.explain(h, out)); },
      };
    }
    case 'or': {
      const l = build(x.left), r = build(x.right);
      return {
        test: (h) => {
          const a = l.test(h);
          if (a === true) return true;
          const b = r.test(h);
          return b === true ? true : a === null || b === null ? null : false;
        },
        explain: (h, out) => { const a = l.explain(h, out); return or3(a, r.explain(h, out)); },
      };
    }
    case 'not': {
      const inner = build(x.operand);
      return { test: (h) => not3(inner.test(h)), explain: (h, out) => not3(inner.explain(h, out)) };
    }
    case 'exists': {
      const read = reader(x.field);
      const name = x.field.name;
      const test = (h: HitView) => presentValues(read(h)) !== undefined;
      return {
        test,
        explain: (h, out) => { const t = test(h); out.push(t ? `${name} exists` : `${name} missing: exists is false`); return t; },
      };
    }
    case 'compare': {
      const match = matcherOf(x);
      const test = comparisonTest(x.field, match, x.op.negated);
      const read = reader(x.field);
      const name = x.field.name, opText = x.op.name, type = x.field.resolved.type;
      const litText = valuesText(x);
      return {
        test,
        explain: (h, out) => {
          const values = presentValues(read(h));
          const t = test(h);
          if (values === undefined) out.push(`${name} missing: ${name} ${opText} … is unknown`);
          else {
            const shown = values.find(match) ?? values[0];
            out.push(`${name} ${describeValue(type, shown)} ${opText} ${litText(shown)}${t ? '' : ' is false'}`);
          }
          return t;
        },
      };
    }
  }
}

/** Compiles a checked rule once into a predicate; evaluation never mutates the hit. */
export function compileEvaluator(rule: CheckedRule): Evaluator {
  const root = build(rule.expr);
  return {
    test: (h) => root.test(h),
    explain: (h) => { const clauses: string[] = []; const result = root.explain(h, clauses); return { result, clauses }; },
  };
}
