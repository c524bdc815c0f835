import type { Checked, CheckedField, CheckedRule, Comparison } from './check.js';
import type { ResolvedField } from './catalog.js';
import type { KqlTarget } from './operators.js';

export { kqlString } from './operators.js';

export type KqlResult = { kql: string } | { notCompilable: string };

/** A field as one table's KQL: its value expression, and a predicate that is true exactly when the value is present. */
export interface KqlColumn { expr: string; present: string }

/**
 * The backend's field mapping (as in pySigma): where a resolved field lives in a table. A field that cannot be
 * compiled gives the reason as a phrase completed by the field's name: `is never present in DeviceProcessEvents`.
 */
export type KqlColumnMapper = (field: ResolvedField, table: string) => KqlColumn | { notCompilable: string };

class NotCompilable extends Error {}

/** The comparison's positive form (==, in, contains, …) from the operator table; never null when the column is present. */
function positive(c: Comparison, target: KqlTarget): string {
  switch (c.family) {
    case 'equality': return c.op.kql(target, c.operand);
    case 'text': return c.op.kql(target, c.value);
    case 'regex': return c.op.kql(target, c.value);
  }
}

/**
 * Compiles to a predicate over the table's own columns that is TRUE exactly when Quell's evaluator says true and is
 * never null. The tuned query uses `| where not(<predicate>)`: in KQL not(null) is null and `where` drops null rows,
 * so a predicate that could be null would silently hide hits. Three-valued logic is kept by compiling each node twice:
 * T(e) "e is true" and F(e) "e is false" (T(not e) = F(e), F(a and b) = F(a) or F(b), …); a leaf on an absent column
 * is neither. Each comparison's positive form comes from the operator table.
 */
export function compileToKql(rule: CheckedRule, table: string, columns: KqlColumnMapper): KqlResult {
  const column = (f: CheckedField): KqlColumn => {
    const c = columns(f.resolved, table);
    if ('notCompilable' in c) throw new NotCompilable(`${f.name} ${c.notCompilable}`);
    return c;
  };
  const tf = (x: Checked): { t: string; f: string } => {
    switch (x.kind) {
      case 'and': case 'or': {
        const a = tf(x.left), b = tf(x.right);
        return x.kind === 'and' ? { t: `(${a.t} and ${b.t})`, f: `(${a.f} or ${b.f})` } : { t: `(${a.t} or ${b.t})`, f: `(${a.f} and ${b.f})` };
      }
      case 'not': { const a = tf(x.operand); return { t: a.f, f: a.t }; }
      case 'exists': { const c = column(x.field); return { t: c.present, f: `not(${c.present})` }; }
      case 'compare': {
        const c = column(x.field);
        const type = x.field.resolved.type;
        const target: KqlTarget = { expr: c.expr, text: type === 'int' || type === 'date' ? `tostring(${c.expr})` : c.expr };
        const pos = positive(x, target);
        const yes = `(${c.present} and ${pos})`, no = `(${c.present} and not(${pos}))`;
        return x.op.negated ? { t: no, f: yes } : { t: yes, f: no };
      }
    }
  };
  try {
    return { kql: tf(rule.expr).t };
  } catch (err) {
    if (err instanceof NotCompilable) return { notCompilable: err.message };
    throw err;
  }
}
