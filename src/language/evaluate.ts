import type { Checked, CheckedField, CheckedRule, Comparison } from './check.js';
import type { FieldType } from './catalog.js';
import { generateTests, matcherOf, readsOf, type Reads } from './codegen.js';
import { absent, reader as fieldReader, type HitView, type Read } from './hit.js';
import { IpSet, formatIp, parseIp } from './ip.js';
import type { Matcher } from './operators.js';
import { PreparedHit } from './prepared.js';

export type { HitView } from './hit.js';

/** Three-valued truth: a comparison on an absent field is unknown, and only true suppresses (SPEC §4). */
export type Tri = true | false | null;

export interface Evaluator {
  /**
   * A hit, or the hit prepared once for all the rules that test it (prepareHit): the fast path, which compares forms
   * folded and parsed once per hit. Both give the same result.
   */
  test(hit: HitView | PreparedHit): Tri;
  /** The result and one line per clause: the actual value, the comparison, and whether it held. */
  explain(hit: HitView | PreparedHit): { result: Tri; clauses: string[] };
}

const reader = (f: CheckedField): Read => fieldReader(f.resolved);

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

/** What each evaluator reads from a prepared hit, for prepareHit(hit, rules). */
const readsByEvaluator = new WeakMap<Evaluator, Reads>();

/**
 * Compiles a checked rule once into a predicate; evaluation never changes the hit. Unprepared hits are tested by a
 * tree of closures (which allocates nothing); prepared ones by a function generated for the rule (codegen.ts), or by
 * the same closures on the hit when none could be generated. explain() always walks the closures: it is not hot.
 */
export function compileEvaluator(rule: CheckedRule): Evaluator {
  const root = build(rule.expr);
  const generated = generateTests(rule.expr);
  const evaluator: Evaluator = {
    test: generated
      ? (h) => (h instanceof PreparedHit ? generated.prepared(h) : generated.raw(h))
      : (h) => root.test(h instanceof PreparedHit ? h.hit : h),
    explain: (h) => {
      const clauses: string[] = [];
      const result = root.explain(h instanceof PreparedHit ? h.hit : h, clauses);
      return { result, clauses };
    },
  };
  readsByEvaluator.set(evaluator, readsOf(rule.expr));
  return evaluator;
}

/**
 * The hit prepared for every rule that will test it: pass the prepared hit to each rule's test() in place of the
 * hit. Each field is then read, folded and parsed once per hit instead of once per clause. With `rules`, everything
 * they read is prepared now, so that their tests only compare; without, each form is prepared when first compared.
 */
export function prepareHit(hit: HitView, rules: readonly Evaluator[] = []): PreparedHit {
  const p = new PreparedHit(hit);
  for (const r of rules) {
    const reads = readsByEvaluator.get(r);
    if (reads) for (const { slot, form } of reads) p.compute(slot, form);
  }
  return p;
}
