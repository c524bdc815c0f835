import { foldAscii } from './fold.js';
import { checkedLeaves, type Checked, type CheckedRule } from './check.js';
import type { FieldCatalog } from './catalog.js';
import { positionOf, type Position } from './errors.js';
import { parseBlock } from './ip.js';
import type { Range } from './syntax.js';
import type { TypedValue } from './values.js';

export const LINT_CODES = ['only-negations', 'contradiction', 'tautology', 'field-not-in-scope', 'duplicate-value', 'cidr-host-bits'] as const;
export type LintCode = (typeof LINT_CODES)[number];

export interface LintWarning extends Position { code: LintCode; message: string }

/** Polarity of every leaf: true when, counting the nots above it, it is a negation. */
function negativeLeaves(e: Checked, negated: boolean, out: boolean[]): void {
  if (e.kind === 'and' || e.kind === 'or') { negativeLeaves(e.left, negated, out); negativeLeaves(e.right, negated, out); return; }
  if (e.kind === 'not') { negativeLeaves(e.operand, !negated, out); return; }
  const neg = e.kind === 'compare' && e.op.negated;
  out.push(neg !== negated);
}

/** ==/in and !=/not in over the same field and the same values: the pieces of a tautology or contradiction. */
function equalityOf(e: Checked): { field: string; values: string; negative: boolean } | null {
  if (e.kind === 'compare' && e.family === 'equality') {
    const texts = e.operand.values.map((v) => foldAscii(v.text));
    return { field: e.field.name.toLowerCase(), values: e.op.arity === 'list' ? texts.sort().join('\u0000') : texts[0], negative: e.op.negated };
  }
  if (e.kind === 'not') { const inner = equalityOf(e.operand); return inner && { ...inner, negative: !inner.negative }; }
  return null;
}

function walk(e: Checked, visit: (e: Checked) => void): void {
  visit(e);
  if (e.kind === 'and' || e.kind === 'or') { walk(e.left, visit); walk(e.right, visit); } else if (e.kind === 'not') walk(e.operand, visit);
}

/**
 * SPEC §5 lint: rules that hold for almost everything, never or always, fields the scope's tables never have, sloppy
 * values. `tables` empty skips the scope check.
 */
export function lintRule(rule: CheckedRule, tables: readonly string[], catalog: Pick<FieldCatalog, 'presentIn'>): LintWarning[] {
  const out: LintWarning[] = [];
  const warn = (code: LintCode, message: string, r: Range) => out.push({ code, message, ...positionOf(rule.source, r.offset, r.length) });
  const e = rule.expr;
  const polarity: boolean[] = [];
  negativeLeaves(e, false, polarity);
  if (polarity.length && polarity.every(Boolean)) {
    warn('only-negations', 'the rule is built only of negations (!=, not in, not …), so it holds for almost every hit that has these fields; '
      + 'a suppress rule like this hides nearly everything — did you mean == / and?', e.range);
  }
  walk(e, (node) => {
    if (node.kind !== 'and' && node.kind !== 'or') return;
    const a = equalityOf(node.left), b = equalityOf(node.right);
    if (!a || !b || a.field !== b.field || a.values !== b.values || a.negative === b.negative) return;
    if (node.kind === 'and') warn('contradiction', `this can never be true: ${a.field} cannot both match and not match the same value`, node.range);
    else warn('tautology', `this is true whenever ${a.field} is present (and unknown when it is missing), whatever its value`, node.range);
  });
  const seen = new Set<string>();
  for (const leaf of checkedLeaves(e)) {
    const f = leaf.field.resolved;
    if (tables.length && !tables.some((t) => catalog.presentIn(f, t)) && !seen.has(f.name)) {
      seen.add(f.name);
      warn('field-not-in-scope', `${leaf.field.name} is never present on ${tables.join(' or ')} rows, so this comparison is never true there`, leaf.field.range);
    }
    if (leaf.kind === 'exists') continue;
    const values: readonly TypedValue[] = leaf.family === 'equality' ? leaf.operand.values : [leaf.value];
    if (leaf.op.arity === 'list') {
      const distinct = new Set<string>();
      for (const v of values) {
        const k = foldAscii(v.text);
        if (distinct.has(k)) warn('duplicate-value', `\`${v.text}\` appears more than once in the list`, v.range);
        distinct.add(k);
      }
    }
    if (f.type === 'ip') {
      for (const v of values) {
        // Typed IP values carry their block; a block written after contains / matches is still worth the warning.
        const b = v.kind === 'ip' ? (v.text.includes('/') ? v.block : null) : v.text.includes('/') ? parseBlock(v.text) : null;
        if (b?.hostBits) warn('cidr-host-bits', `\`${v.text}\` has host bits set; it means the block starting at the network address`, v.range);
      }
    }
  }
  return out;
}
