import type { Literal, Syntax } from './syntax.js';
import { mapNonEmpty } from './syntax.js';

/** A literal as source text: numbers bare, strings double-quoted with `\` and `"` escaped. */
export const printLiteral = (l: Literal) => (l.written === 'number' ? l.text : `"${l.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);

const PREC = { or: 1, and: 2, not: 3, leaf: 4 } as const;
const prec = (e: Syntax) => (e.kind === 'or' ? PREC.or : e.kind === 'and' ? PREC.and : e.kind === 'not' ? PREC.not : PREC.leaf);

/** Canonical text of a parse tree (a checked rule's is `rule.syntax`); parsing it gives the same tree, modulo ranges. */
export function printRule(e: Syntax): string {
  const wrap = (child: Syntax, min: number) => (prec(child) < min ? `(${printRule(child)})` : printRule(child));
  switch (e.kind) {
    case 'or': return `${wrap(e.left, PREC.or)} or ${wrap(e.right, PREC.and)}`;
    case 'and': return `${wrap(e.left, PREC.and)} and ${wrap(e.right, PREC.not)}`;
    case 'not': return `not ${wrap(e.operand, PREC.not)}`;
    case 'exists': return `exists(${e.field.name})`;
    case 'compare': return e.op.print(e.field.name, mapNonEmpty(e.values, printLiteral));
  }
}
