import { leaves, type Expr, type Range } from './ast.js';
import { fieldInTable, resolveField } from './catalog.js';
import { parseBlock } from './ip.js';

export interface LintWarning { code: string; message: string; offset: number; length: number }

type Leaf = Extract<Expr, { field: unknown }>;

function negativeLeaves(e: Expr, negated: boolean, out: boolean[]): void {
  if (e.kind === 'and' || e.kind === 'or') { negativeLeaves(e.left, negated, out); negativeLeaves(e.right, negated, out); return; }
  if (e.kind === 'not') { negativeLeaves(e.operand, !negated, out); return; }
  const neg = (e.kind === 'compare' && e.op === '!=') || (e.kind === 'in' && e.negated);
  out.push(neg !== negated);
}

/** ==/in and !=/not in over the same field and the same values: the pieces of a tautology or contradiction. */
function equalityOf(e: Expr): { field: string; values: string; negative: boolean } | null {
  if (e.kind === 'compare' && (e.op === '==' || e.op === '!=')) {
    return { field: e.field.name.toLowerCase(), values: e.value.value.toLowerCase(), negative: e.op === '!=' };
  }
  if (e.kind === 'in') return { field: e.field.name.toLowerCase(), values: e.values.map((v) => v.value.toLowerCase()).sort().join('\u0000'), negative: e.negated };
  if (e.kind === 'not') { const inner = equalityOf(e.operand); return inner && { ...inner, negative: !inner.negative }; }
  return null;
}

function walk(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  if (e.kind === 'and' || e.kind === 'or') { walk(e.left, visit); walk(e.right, visit); } else if (e.kind === 'not') walk(e.operand, visit);
}

const warn = (code: string, message: string, r: Range): LintWarning => ({ code, message, offset: r.offset, length: r.length });

/** SPEC §5 lint: rules that hold for almost everything, never or always, fields the scope never has, sloppy values. */
export function lintExpression(e: Expr, tables: readonly string[] = []): LintWarning[] {
  const out: LintWarning[] = [];
  const polarity: boolean[] = [];
  negativeLeaves(e, false, polarity);
  if (polarity.length && polarity.every(Boolean)) {
    out.push(warn('only-negations', 'the rule is built only of negations (!=, not in, not …), so it holds for almost every hit that has these fields; '
      + 'a suppress rule like this hides nearly everything — did you mean == / and?', e.range));
  }
  walk(e, (node) => {
    if (node.kind !== 'and' && node.kind !== 'or') return;
    const a = equalityOf(node.left), b = equalityOf(node.right);
    if (!a || !b || a.field !== b.field || a.values !== b.values || a.negative === b.negative) return;
    out.push(node.kind === 'and'
      ? warn('contradiction', `this can never be true: ${a.field} cannot both match and not match the same value`, node.range)
      : warn('tautology', `this is true whenever ${a.field} is present (and unknown when it is missing), whatever its value`, node.range));
  });
  const seen = new Set<string>();
  for (const leaf of leaves(e) as Generator<Leaf>) {
    const f = resolveField(leaf.field.name);
    if (f && tables.length && !tables.some((t) => fieldInTable(f, t)) && !seen.has(f.name)) {
      seen.add(f.name);
      out.push(warn('field-not-in-scope', `${leaf.field.name} is never present on ${tables.join(' or ')} rows, so this comparison is never true there`, leaf.field.range));
    }
    if (leaf.kind === 'in') {
      const values = new Set<string>();
      for (const v of leaf.values) {
        const k = v.value.toLowerCase();
        if (values.has(k)) out.push(warn('duplicate-value', `\`${v.value}\` appears more than once in the list`, v.range));
        values.add(k);
      }
    }
    if (f?.type === 'ip' && leaf.kind !== 'exists') {
      for (const v of leaf.kind === 'in' ? leaf.values : [leaf.value]) {
        const b = v.value.includes('/') ? parseBlock(v.value) : null;
        if (b?.hostBits) out.push(warn('cidr-host-bits', `\`${v.value}\` has host bits set; it means the block starting at the network address`, v.range));
      }
    }
  }
  return out;
}
