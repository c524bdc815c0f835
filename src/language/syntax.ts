import type { Operator } from './operators.js';

/** A stretch of the rule text: 0-based offset and length in UTF-16 units. */
export interface Range { offset: number; length: number }

/** A list with at least one element: `xs[0]` always exists. */
export type NonEmpty<T> = readonly [T, ...T[]];

export function mapNonEmpty<A, B>(xs: NonEmpty<A>, f: (x: A) => B): NonEmpty<B> {
  const [first, ...rest] = xs;
  return [f(first), ...rest.map(f)];
}

/** A field name as written. */
export interface FieldRef { name: string; range: Range }

/** A value as written: `text` is the string's content (escapes applied) or the number's digits. */
export interface Literal { written: 'string' | 'number'; text: string; range: Range }

/** The parse tree. `compare` covers every operator of the table; `values` has one element unless `op.arity` is `list`. */
export type Syntax =
  | { kind: 'or'; left: Syntax; right: Syntax; range: Range }
  | { kind: 'and'; left: Syntax; right: Syntax; range: Range }
  | { kind: 'not'; operand: Syntax; range: Range }
  | { kind: 'exists'; field: FieldRef; range: Range }
  | { kind: 'compare'; op: Operator; field: FieldRef; values: NonEmpty<Literal>; range: Range };

// maxLength leaves room for a 10,000-block CIDR list (~200 KB) while bounding what one rule can cost to parse.
export const LIMITS = { maxLength: 500_000, maxDepth: 32, maxListSize: 10_000 } as const;
