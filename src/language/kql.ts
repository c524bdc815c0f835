import type { Expr, Literal } from './ast.js';
import { resolveField, type FieldType } from './catalog.js';
import { DEFENDER_TABLES } from '../kusto/analyser.js';
import { parseBlock } from './ip.js';

export type KqlResult = { kql: string } | { notCompilable: string };

class NotCompilable extends Error {}

/** A KQL string literal: backslash, quote and control characters escaped. */
export function kqlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

interface Column { expr: string; present: string; type: FieldType }

function columnFor(name: string, table: string): Column {
  const f = resolveField(name);
  if (!f) throw new NotCompilable(`unknown field ${name}`);
  const columns = DEFENDER_TABLES[table] ?? [];
  const has = (c: string) => columns.some((x) => x.name === c);
  const plain = (c: string, type: FieldType): Column => {
    if (!has(c)) throw new NotCompilable(`${name} has no column in ${table}`);
    const kusto = columns.find((x) => x.name === c)!.type;
    if (kusto === 'string') return { expr: c, present: `isnotempty(${c})`, type };
    if (kusto === 'dynamic') return { expr: `tostring(${c})`, present: `isnotempty(tostring(${c}))`, type };
    return { expr: c, present: `isnotnull(${c})`, type };
  };
  if (f.kind === 'raw') return plain(f.name, f.type);
  const src = f.field.sources[table];
  if (!src) throw new NotCompilable(`${name} is never present in ${table}`);
  if ('directory' in src) throw new NotCompilable(`${name} comes from Quell's group directory, which Sentinel does not have`);
  if ('column' in src) return plain(src.column, f.type);
  if ('user' in src) {
    const { domain, name: acct } = src.user;
    if (!has(domain) || !has(acct)) throw new NotCompilable(`${name} has no columns in ${table}`);
    // Quell's user.name is DOMAIN\name, or just name when the domain is empty.
    return { expr: `iff(isempty(${domain}), ${acct}, strcat(${domain}, "\\\\", ${acct}))`, present: `isnotempty(${acct})`, type: 'string' };
  }
  if ('urlHost' in src) {
    const host = `extract(@"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:[^@/?#]*@)?([^/?#:]+)", 1, ${src.urlHost})`;
    return { expr: host, present: `isnotempty(${host})`, type: 'string' };
  }
  if ('reportIds' in src) return { expr: 'tostring(ReportId)', present: 'isnotnull(ReportId)', type: 'string' };
  throw new NotCompilable(`${name} cannot be compiled for ${table}`);
}

function literal(type: FieldType, l: Literal): string {
  if (type === 'int') return String(Number(l.value));
  if (type === 'date') return `datetime(${new Date(l.value).toISOString()})`;
  return kqlString(l.value);
}

// CIDR via ipv4_is_in_range / ipv6_is_in_range. Mapped addresses (::ffff:a.b.c.d) are IPv4 in Quell, so the
// prefix is stripped first; coalesce(…, false) keeps an unparseable address from making the predicate null.
function ipMatch(col: string, lits: readonly Literal[]): string {
  const ipc = `replace_regex(${col}, @"(?i)^::ffff:", "")`;
  const parts = lits.map((l) => {
    const b = parseBlock(l.value)!;
    const text = b.v === 4 ? `${[24, 16, 8, 0].map((s) => ((b.start as number) >>> s) & 255).join('.')}/${b.prefix}` : l.value.trim();
    return b.v === 4
      ? `(indexof(${ipc}, ":") < 0 and coalesce(ipv4_is_in_range(${ipc}, ${kqlString(text)}), false))`
      : `(indexof(${ipc}, ":") >= 0 and coalesce(ipv6_is_in_range(${ipc}, ${kqlString(text)}), false))`;
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`;
}

/** The positive form (==, in, contains, …) of a leaf over a present column; never null when the column is present. */
function positive(c: Column, op: string, lits: readonly Literal[]): string {
  const asText = c.type === 'string' || c.type === 'ip' ? c.expr : `tostring(${c.expr})`;
  switch (op) {
    case 'contains': return `${asText} contains ${kqlString(lits[0]!.value)}`;
    case 'startswith': return `${asText} startswith ${kqlString(lits[0]!.value)}`;
    case 'endswith': return `${asText} endswith ${kqlString(lits[0]!.value)}`;
    case 'matches': return `${asText} matches regex ${kqlString(`(?i)${lits[0]!.value}`)}`;
  }
  if (c.type === 'ip') return ipMatch(c.expr, lits);
  if (c.type === 'string') return lits.length === 1 && op === '==' ? `${c.expr} =~ ${kqlString(lits[0]!.value)}` : `${c.expr} in~ (${lits.map((l) => kqlString(l.value)).join(', ')})`;
  return lits.length === 1 && op === '==' ? `${c.expr} == ${literal(c.type, lits[0]!)}` : `${c.expr} in (${lits.map((l) => literal(c.type, l)).join(', ')})`;
}

/**
 * Compiles to a predicate over the table's own columns that is TRUE exactly when Quell's evaluator says true and is
 * never null. The tuned query uses `| where not(<predicate>)`: in KQL not(null) is null and `where` drops null rows,
 * so a predicate that could be null would silently hide hits. Three-valued logic is kept by compiling each node twice:
 * T(e) "e is true" and F(e) "e is false" (T(not e) = F(e), F(a and b) = F(a) or F(b), …); a leaf on an absent column
 * is neither.
 */
export function compileToKql(e: Expr, table: string): KqlResult {
  const tf = (x: Expr): { t: string; f: string } => {
    if (x.kind === 'and' || x.kind === 'or') {
      const a = tf(x.left), b = tf(x.right);
      return x.kind === 'and' ? { t: `(${a.t} and ${b.t})`, f: `(${a.f} or ${b.f})` } : { t: `(${a.t} or ${b.t})`, f: `(${a.f} and ${b.f})` };
    }
    if (x.kind === 'not') { const a = tf(x.operand); return { t: a.f, f: a.t }; }
    const c = columnFor(x.field.name, table);
    if (x.kind === 'exists') return { t: c.present, f: `not(${c.present})` };
    const lits = x.kind === 'in' ? x.values : [x.value];
    const op = x.kind === 'in' ? 'in' : x.op === '!=' ? '==' : x.op;
    const pos = positive(c, op, lits);
    const negative = x.kind === 'in' ? x.negated : x.op === '!=';
    const yes = `(${c.present} and ${pos})`, no = `(${c.present} and not(${pos}))`;
    return negative ? { t: no, f: yes } : { t: yes, f: no };
  };
  try {
    return { kql: tf(e).t };
  } catch (err) {
    if (err instanceof NotCompilable) return { notCompilable: err.message };
    throw err;
  }
}
