// A test-only interpreter of the KQL subset Quell's compiler emits, with KQL's null semantics, so compiled
// predicates can be checked against Quell's evaluator without a Sentinel workspace.
import { RE2JS } from 're2js';
import { parseIp, parseBlock } from '../../src/language/ip.js';
import { DEFENDER_TABLES } from '../../src/kusto/analyser.js';

type V = string | number | boolean | null | { dt: number };
type Tok = { t: 'id' | 'str' | 'num' | 'op'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '@' && src[i + 1] === '"') {
      let j = i + 2, s = '';
      while (src[j] !== '"' || src[j + 1] === '"') { if (src[j] === '"') { s += '"'; j += 2; } else s += src[j++]; }
      out.push({ t: 'str', v: s }); i = j + 1; continue;
    }
    if (c === '"') {
      let j = i + 1, s = '';
      while (src[j] !== '"') {
        if (src[j] === '\\') { const e = src[j + 1]!; s += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e; j += 2; } else s += src[j++];
      }
      out.push({ t: 'str', v: s }); i = j + 1; continue;
    }
    const two = src.slice(i, i + 3);
    const op = ['!in~', 'in~', '=~', '!~', '==', '!=', '<=', '>='].find((o) => src.startsWith(o, i)) ?? (/[(),<>]/.test(c) ? c : null);
    if (op && !(op === 'in~' && /\w/.test(src[i - 1] ?? ''))) { out.push({ t: 'op', v: op }); i += op.length; continue; }
    void two;
    // A timespan of whole days (`3d`, as dayofweek compares) reads as its number of days.
    if (/[0-9-]/.test(c)) { const m = /^-?\d+(\.\d+)?(d(?!\w))?/.exec(src.slice(i))!; out.push({ t: 'num', v: m[0].replace(/d$/, '') }); i += m[0].length; continue; }
    const m = /^[A-Za-z_][\w]*/.exec(src.slice(i));
    if (!m) throw new Error(`kql-interpreter: cannot read ${src.slice(i, i + 20)}`);
    out.push({ t: 'id', v: m[0] }); i += m[0].length;
  }
  return out;
}

type Node = (row: Record<string, unknown>) => V;

// Kusto's case-insensitive operators fold ASCII letters only.
const lower = (v: V) => (v === null ? null : String(typeof v === 'object' ? v.dt : v).replace(/[A-Z]/g, (c) => c.toLowerCase()));
const and3 = (a: V, b: V): V => (a === false || b === false ? false : a === null || b === null ? null : true);
const or3 = (a: V, b: V): V => (a === true || b === true ? true : a === null || b === null ? null : false);

export function compileKql(src: string, table = 'DeviceNetworkEvents'): Node {
  const toks = lex(src);
  let p = 0;
  const types = new Map((DEFENDER_TABLES[table] ?? []).map((c) => [c.name, c.type]));
  const peek = () => toks[p];
  const eat = (v?: string) => { const t = toks[p++]!; if (v && t.v !== v) throw new Error(`expected ${v} got ${t.v}`); return t; };

  function orE(): Node { let l = andE(); while (peek()?.v === 'or') { eat(); const a = l, b = andE(); l = (r) => or3(a(r), b(r)); } return l; }
  function andE(): Node { let l = cmp(); while (peek()?.v === 'and') { eat(); const a = l, b = cmp(); l = (r) => and3(a(r), b(r)); } return l; }
  function list(): Node[] { eat('('); const xs = [orE()]; while (peek()?.v === ',') { eat(); xs.push(orE()); } eat(')'); return xs; }
  function cmp(): Node {
    const l = primary();
    const t = peek();
    if (!t) return l;
    if (t.v === '=~' || t.v === '!~') { eat(); const r = primary(); const neg = t.v === '!~'; return (row) => { const a = lower(l(row)), b = lower(r(row)); return a === null || b === null ? null : (a === b) !== neg; }; }
    if (t.v === '==' || t.v === '!=') { eat(); const r = primary(); const neg = t.v === '!='; return (row) => { const a = l(row), b = r(row); if (a === null || b === null) return null; const x = typeof a === 'object' ? a.dt : a, y = typeof b === 'object' ? b.dt : b; return (x === y) !== neg; }; }
    if (t.v === 'in~' || t.v === '!in~') { eat(); const xs = list(); const neg = t.v === '!in~'; return (row) => { const a = lower(l(row)); if (a === null) return null; return xs.some((x) => lower(x(row)) === a) !== neg; }; }
    if (t.v === 'in') { eat(); const xs = list(); return (row) => { const a = l(row); if (a === null) return null; const k = typeof a === 'object' ? a.dt : a; return xs.some((x) => { const v = x(row); return (typeof v === 'object' && v ? v.dt : v) === k; }); }; }
    if (t.v === 'contains' || t.v === 'startswith' || t.v === 'endswith') {
      eat(); const r = primary();
      return (row) => { const a = lower(l(row)), b = lower(r(row)); if (a === null || b === null) return null; return t.v === 'contains' ? a.includes(b) : t.v === 'startswith' ? a.startsWith(b) : a.endsWith(b); };
    }
    if (t.v === 'matches') { eat(); eat('regex'); const r = primary(); return (row) => { const a = l(row), re = r(row); if (a === null || re === null) return null; return RE2JS.compile(String(re)).matcher(String(a)).find(); }; }
    if (['<', '>', '<=', '>='].includes(t.v)) {
      eat(); const r = primary();
      return (row) => {
        const a = l(row), b = r(row);
        if (a === null || b === null) return null;
        const x = Number(a), y = Number(b);
        return t.v === '<' ? x < y : t.v === '>' ? x > y : t.v === '<=' ? x <= y : x >= y;
      };
    }
    return l;
  }
  function call(name: string): Node {
    const args = list();
    const f: Record<string, (xs: V[]) => V> = {
      isnotempty: ([x]) => x !== null && x !== '',
      isempty: ([x]) => x === null || x === '',
      isnotnull: ([x]) => x !== null,
      isnull: ([x]) => x === null,
      not: ([x]) => (x === null ? null : !x),
      tostring: ([x]) => (x === null ? '' : typeof x === 'object' ? new Date(x.dt).toISOString() : String(x)),
      strcat: (xs) => xs.map((x) => (x === null ? '' : String(x))).join(''),
      iff: ([c, a, b]) => (c === true ? a! : b!),
      coalesce: (xs) => xs.find((x) => x !== null && x !== '') ?? null,
      indexof: ([s, sub]) => (s === null || sub === null ? null : String(s).indexOf(String(sub))),
      extract: ([re, g, s]) => { if (s === null) return ''; const m = RE2JS.compile(String(re)).matcher(String(s)); return m.find() ? (m.group(Number(g)) ?? '') : ''; },
      replace_regex: ([s, re, rep]) => (s === null ? null : String(s).replace(new RegExp(String(re).replace(/^\(\?i\)/, ''), String(re).startsWith('(?i)') ? 'gi' : 'g'), String(rep))),
      ipv4_is_in_range: ([ip, range]) => { const a = parseIp(String(ip ?? '')); const b = parseBlock(String(range ?? '')); if (!a || a.v !== 4 || !b || b.v !== 4 || String(ip).includes(':')) return null; return a.n >= b.start && a.n <= b.end; },
      ipv6_is_in_range: ([ip, range]) => { const a = parseIp(String(ip ?? '')); const b = parseBlock(String(range ?? '')); if (!a || !b || a.v !== b.v) return null; return a.n >= b.start && a.n <= b.end; },
      hourofday: ([x]) => (x === null || typeof x !== 'object' ? null : new Date(x.dt).getUTCHours()),
      dayofweek: ([x]) => (x === null || typeof x !== 'object' ? null : new Date(x.dt).getUTCDay()),
      case: (xs) => { for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i] === true) return xs[i + 1]!; return xs[xs.length - 1]!; },
      datetime: () => null,
    };
    if (name === 'datetime') throw new Error('datetime handled in primary');
    const fn = f[name];
    if (!fn) throw new Error(`kql-interpreter: unknown function ${name}`);
    return (row) => fn(args.map((a) => a(row)));
  }
  function primary(): Node {
    const t = eat();
    if (t.t === 'str') return () => t.v;
    if (t.t === 'num') return () => Number(t.v);
    if (t.t === 'op' && t.v === '(') { const e = orE(); eat(')'); return e; }
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return () => t.v === 'true';
      if (t.v === 'datetime') { eat('('); let s = ''; while (peek()!.v !== ')') s += eat().v; eat(')'); const ms = Date.parse(s); return () => ({ dt: ms }); }
      if (t.v === 'not' && peek()?.v === '(') return call('not');
      if (peek()?.v === '(') return call(t.v);
      const col = t.v;
      const type = types.get(col) ?? 'string';
      return (row) => {
        const v = row[col];
        if (v === undefined || v === null || v === '') return type === 'string' ? '' : null;
        if (type === 'datetime') return { dt: Date.parse(String(v)) };
        if (type === 'int' || type === 'long') return Number(v);
        return typeof v === 'string' ? v : String(v);
      };
    }
    throw new Error(`kql-interpreter: unexpected ${t.v}`);
  }
  const node = orE();
  if (p !== toks.length) throw new Error(`kql-interpreter: trailing ${toks.slice(p).map((x) => x.v).join(' ')}`);
  return node;
}

/** `T | where not(<predicate>)`: the rows KQL keeps. */
export function whereNot(predicate: string, rows: Record<string, unknown>[], table = 'DeviceNetworkEvents') {
  const f = compileKql(predicate, table);
  return rows.filter((r) => { const v = f(r); return v === null ? false : !v; });
}
