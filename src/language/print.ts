import type { Expr, Literal } from './ast.js';

const lit = (l: Literal) => (l.kind === 'number' ? l.value : `"${l.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
const PREC = { or: 1, and: 2, not: 3, leaf: 4 } as const;
const prec = (e: Expr) => (e.kind === 'or' ? PREC.or : e.kind === 'and' ? PREC.and : e.kind === 'not' ? PREC.not : PREC.leaf);

/** Canonical text of an expression; parsing it gives the same tree (modulo ranges). */
export function printExpression(e: Expr): string {
  const wrap = (child: Expr, min: number) => (prec(child) < min ? `(${printExpression(child)})` : printExpression(child));
  switch (e.kind) {
    case 'or': return `${wrap(e.left, PREC.or)} or ${wrap(e.right, PREC.and)}`;
    case 'and': return `${wrap(e.left, PREC.and)} and ${wrap(e.right, PREC.not)}`;
    case 'not': return `not ${wrap(e.operand, PREC.not)}`;
    case 'exists': return `exists(${e.field.name})`;
    case 'in': return `${e.field.name} ${e.negated ? 'not in' : 'in'} (${e.values.map(lit).join(', ')})`;
    case 'compare': return `${e.field.name} ${e.op} ${lit(e.value)}`;
  }
}
