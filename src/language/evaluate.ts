import { RE2JS } from 're2js';
import type { Expr, Literal } from './ast.js';
import { resolveField, type FieldType, type ResolvedField } from './catalog.js';
import { IpSet, parseBlock, parseIp, formatIp, type Ip } from './ip.js';

/** Three-valued truth: a comparison on an absent field is unknown, and only true suppresses (SPEC §4). */
export type Tri = true | false | null;

export interface HitView {
  fields: Readonly<Record<string, unknown>>;
  raw?: Readonly<Record<string, unknown>>;
}

export interface CompiledExpression {
  test(hit: HitView): Tri;
  /** The result and one line per clause: the actual value, the comparison, and whether it held. */
  explain(hit: HitView): { result: Tri; clauses: string[] };
}

/** The field's value, or undefined when absent; arrays keep only present elements. */
type Getter = (h: HitView) => unknown;

const absent = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function getter(f: ResolvedField): Getter {
  const fromFields = f.kind === 'canonical';
  const name = f.name;
  // Sentinel's copies of the Defender tables call Timestamp TimeGenerated.
  const fallback = !fromFields && name === 'Timestamp' ? 'TimeGenerated' : null;
  return (h) => {
    let v = fromFields ? h.fields[name] : h.raw?.[name];
    if (fallback !== null && absent(v)) v = h.raw?.[fallback];
    if (absent(v)) return undefined;
    if (Array.isArray(v)) { const present = v.filter((x) => !absent(x)); return present.length ? present : undefined; }
    return v;
  };
}

const lower = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)).toLowerCase();
const asInt = (v: unknown) => (typeof v === 'number' ? v : /^-?\d+$/.test(String(v).trim()) ? Number(v) : NaN);
const asTime = (v: unknown) => Date.parse(String(v));
const asIp = (v: unknown): Ip | null => (typeof v === 'string' ? parseIp(v) : null);

type Leaf = { eval(values: unknown[]): boolean; text: string };

/** Whether one value satisfies the positive form of the leaf (==, in, contains, …), by field type. */
function matcher(type: FieldType, op: string, lits: readonly Literal[]): (v: unknown) => boolean {
  if (op === 'matches') {
    const re = RE2JS.compile(lits[0]!.value, RE2JS.CASE_INSENSITIVE);
    return (v) => re.matcher(String(v)).find();
  }
  if (op === 'contains' || op === 'startswith' || op === 'endswith') {
    const s = lits[0]!.value.toLowerCase();
    if (op === 'contains') return (v) => lower(v).includes(s);
    if (op === 'startswith') return (v) => lower(v).startsWith(s);
    return (v) => lower(v).endsWith(s);
  }
  if (type === 'ip') {
    const set = new IpSet(lits.map((l) => parseBlock(l.value)!).filter(Boolean));
    return (v) => { const ip = asIp(v); return ip !== null && set.has(ip); };
  }
  if (type === 'int') {
    const set = new Set(lits.map((l) => asInt(l.value)));
    return (v) => set.has(asInt(v));
  }
  if (type === 'date') {
    const set = new Set(lits.map((l) => asTime(l.value)));
    return (v) => set.has(asTime(v));
  }
  const set = new Set(lits.map((l) => l.value.toLowerCase()));
  return (v) => set.has(lower(v));
}

function describeValue(type: FieldType, v: unknown): string {
  if (type === 'ip') { const ip = asIp(v); return ip ? formatIp(ip) : String(v); }
  if (type === 'int' || type === 'date') return String(v);
  return `"${typeof v === 'string' ? v : String(v)}"`;
}

/** Compiles a parsed, checked expression once into a predicate; evaluation never mutates the hit. */
export function compileExpression(e: Expr): CompiledExpression {
  type Node = { test(h: HitView): Tri; explain(h: HitView, out: string[]): Tri };

  function build(x: Expr): Node {
    if (x.kind === 'and' || x.kind === 'or') {
      const l = build(x.left), r = build(x.right);
      const isAnd = x.kind === 'and';
      const combine = (a: Tri, b: () => Tri): Tri => {
        if (isAnd) { if (a === false) return false; const c = b(); return c === false ? false : a === null || c === null ? null : true; }
        if (a === true) return true;
        const c = b();
        return c === true ? true : a === null || c === null ? null : false;
      };
      return {
        test: (h) => combine(l.test(h), () => r.test(h)),
        explain: (h, out) => { const a = l.explain(h, out); const b = r.explain(h, out); return combine(a, () => b); },
      };
    }
    if (x.kind === 'not') {
      const inner = build(x.operand);
      const neg = (t: Tri): Tri => (t === null ? null : !t);
      return { test: (h) => neg(inner.test(h)), explain: (h, out) => neg(inner.explain(h, out)) };
    }
    const f = resolveField(x.field.name)!;
    const get = getter(f);
    const name = x.field.name;
    if (x.kind === 'exists') {
      return {
        test: (h) => get(h) !== undefined,
        explain: (h, out) => { const v = get(h); out.push(v === undefined ? `${name} missing: exists is false` : `${name} exists`); return v !== undefined; },
      };
    }
    const lits = x.kind === 'in' ? x.values : [x.value];
    const op = x.kind === 'in' ? 'in' : x.op;
    const positive = matcher(f.type, op === '!=' ? '==' : op, lits);
    const negative = x.kind === 'in' ? x.negated : x.op === '!=';
    // Multi-valued fields: a comparison holds if it holds for any element; != and not in hold if no element matches.
    const test = (h: HitView): Tri => {
      const v = get(h);
      if (v === undefined) return null;
      const any = Array.isArray(v) ? v.some(positive) : positive(v);
      return negative ? !any : any;
    };
    const opText = x.kind === 'in' ? (x.negated ? 'not in' : 'in') : x.op;
    const litText = (v: unknown) => {
      if (f.type === 'ip' && x.kind === 'in' && !x.negated) {
        const ip = asIp(v);
        const block = ip ? new IpSet(lits.map((l) => parseBlock(l.value)!)).blockOf(ip) : undefined;
        if (block) return block.text;
      }
      return x.kind === 'in' ? `(${lits.map((l) => l.value).join(', ')})` : `"${lits[0]!.value}"`;
    };
    return {
      test,
      explain: (h, out) => {
        const v = get(h);
        const values = v === undefined ? null : Array.isArray(v) ? v : [v];
        const t = test(h);
        if (values === null) out.push(`${name} missing: ${name} ${opText} … is unknown`);
        else {
          const shown = values.find(positive) ?? values[0];
          out.push(`${name} ${describeValue(f.type, shown)} ${opText} ${litText(shown)}${t ? '' : ' is false'}`);
        }
        return t;
      },
    };
  }

  const root = build(e);
  return {
    test: (h) => root.test(h),
    explain: (h) => { const clauses: string[] = []; const result = root.explain(h, clauses); return { result, clauses }; },
  };
}
