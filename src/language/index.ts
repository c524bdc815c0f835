// The exclusion-rule language (SPEC §4): parse → check → evaluate / lint / compile to KQL. Pure: no HTTP, no database.
import { FilterError, type Expr } from './ast.js';
import { parseExpression } from './parser.js';
import { checkExpression } from './check.js';
import { compileExpression, type CompiledExpression } from './evaluate.js';
import { lintExpression, type LintWarning } from './lint.js';
import { compileToKql, type KqlResult } from './kql.js';

export { FilterError, LIMITS, type Expr } from './ast.js';
export { parseExpression } from './parser.js';
export { printExpression } from './print.js';
export { checkExpression } from './check.js';
export { compileExpression, type CompiledExpression, type HitView, type Tri } from './evaluate.js';
export { lintExpression, type LintWarning } from './lint.js';
export { compileToKql, kqlString, type KqlResult } from './kql.js';
export { normaliseRow, urlHost, type NormaliseError } from './normalise.js';
export { CANONICAL_FIELDS, resolveField } from './catalog.js';

export interface ValidationResult {
  ok: boolean;
  errors: { code: string; message: string; offset: number; length: number }[];
  /** Field names as written, with what they resolve to. */
  fields: { name: string; resolved: string; kind: 'canonical' | 'raw'; type: string }[];
  warnings: LintWarning[];
  kql: Record<string, string | { notCompilable: string }>;
}

/** Parses and checks an expression: errors with positions, or the checked tree. */
export function parseChecked(text: string): { ast: Expr } | { errors: FilterError[] } {
  let ast: Expr;
  try { ast = parseExpression(text); } catch (e) {
    if (e instanceof FilterError) return { errors: [e] };
    throw e;
  }
  const { errors } = checkExpression(ast);
  return errors.length ? { errors } : { ast };
}

/** Everything POST /api/rules/validate answers, for the scope's tables. */
export function validateExpression(text: string, opts: { tables?: readonly string[] } = {}): ValidationResult {
  const tables = opts.tables ?? [];
  const parsed = parseChecked(text);
  if ('errors' in parsed) return { ok: false, errors: parsed.errors.map((e) => e.toJSON()), fields: [], warnings: [], kql: {} };
  const { fields } = checkExpression(parsed.ast);
  const kql: ValidationResult['kql'] = {};
  for (const t of tables) {
    const r: KqlResult = compileToKql(parsed.ast, t);
    kql[t] = 'kql' in r ? r.kql : { notCompilable: r.notCompilable };
  }
  return {
    ok: true, errors: [],
    fields: [...fields].map(([name, f]) => ({ name, resolved: f.name, kind: f.kind, type: f.type })),
    warnings: lintExpression(parsed.ast, tables),
    kql,
  };
}

/** Compiles text straight to a predicate; null when it does not parse or check. */
export function compileText(text: string): CompiledExpression | null {
  const parsed = parseChecked(text);
  return 'ast' in parsed ? compileExpression(parsed.ast) : null;
}

/**
 * A documented filter may end in prose: `… == "msiexec.exe" (if the tool is deployed via MSI)`. When the text does not
 * parse but does once a final parenthesised group is removed, and that group is not an expression, the group is a remark.
 */
export function splitTrailingRemark(text: string): { expression: string; remark?: string } {
  const trimmed = text.trim();
  if (!('errors' in parseChecked(trimmed)) || !trimmed.endsWith(')')) return { expression: trimmed };
  let depth = 0, quote: string | null = null, open = -1;
  for (let i = trimmed.length - 1; i >= 0; i--) {
    const c = trimmed[i]!;
    if (quote) { if (c === quote && trimmed[i - 1] !== '\\') quote = null; continue; }
    if (c === '"' || c === "'") { quote = c; continue; }
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) { open = i; break; }
  }
  if (open <= 0) return { expression: trimmed };
  const expression = trimmed.slice(0, open).trim();
  const remark = trimmed.slice(open + 1, -1).trim();
  try { parseExpression(remark); return { expression: trimmed }; } catch { /* prose, as expected */ }
  return 'ast' in parseChecked(expression) ? { expression, remark } : { expression: trimmed };
}
