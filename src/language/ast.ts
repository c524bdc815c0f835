export interface Range { offset: number; length: number }

export interface FieldRef { name: string; range: Range }
export interface Literal { kind: 'string' | 'number'; value: string; range: Range }

export type CompareOp = '==' | '!=' | 'contains' | 'startswith' | 'endswith' | 'matches';

export type Expr =
  | { kind: 'or'; left: Expr; right: Expr; range: Range }
  | { kind: 'and'; left: Expr; right: Expr; range: Range }
  | { kind: 'not'; operand: Expr; range: Range }
  | { kind: 'compare'; op: CompareOp; field: FieldRef; value: Literal; range: Range }
  | { kind: 'in'; negated: boolean; field: FieldRef; values: Literal[]; range: Range }
  | { kind: 'exists'; field: FieldRef; range: Range };

/** Every error names where (offset, length) and why, with a stable code. */
export class FilterError extends Error {
  constructor(readonly code: string, message: string, readonly offset: number, readonly length: number) {
    super(message);
    this.name = 'FilterError';
  }
  toJSON() { return { code: this.code, message: this.message, offset: this.offset, length: this.length }; }
}

// maxLength leaves room for a 10,000-block CIDR list (~200 KB) while bounding what one rule can cost to parse.
export const LIMITS = { maxLength: 500_000, maxDepth: 32, maxListSize: 10_000 } as const;

export type LeafExpr = Extract<Expr, { field: FieldRef }>;

export function* leaves(e: Expr): Generator<LeafExpr> {
  if (e.kind === 'and' || e.kind === 'or') { yield* leaves(e.left); yield* leaves(e.right); }
  else if (e.kind === 'not') yield* leaves(e.operand);
  else yield e;
}
