import type { Literal, Syntax } from './syntax.js';
import { mapNonEmpty } from './syntax.js';

/** A string as a literal of the language: double-quoted with `\` and `"` escaped (so a final backslash survives). */
export const printString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A literal as source text: numbers bare, strings as printString writes them. */
export const printLiteral = (l: Literal) => (l.written === 'number' ? l.text : printString(l.text));

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
