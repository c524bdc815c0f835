// The rules feature's view of the filter language: compile, validate with lint, compile to KQL.
import { compileText, parseChecked, compileToKql, splitTrailingRemark, validateExpression, type LintWarning, type HitView } from '../language/index.js';

export type RuleWarning = LintWarning;

export interface CompiledRule {
  holds(hit: HitView): boolean;
  explain(hit: HitView): string[];
}

export function compileRule(expression: string): CompiledRule | null {
  const c = compileText(expression);
  if (!c) return null;
  return { holds: (h) => c.test(h) === true, explain: (h) => c.explain(h).clauses };
}

/** Validation plus lint for the scope's tables; a past expiry is a warning too (SPEC §5). */
export function validateRule(expression: string, tables: readonly string[], expiresAt: string | null) {
  const v = validateExpression(expression, { tables });
  const warnings = [...v.warnings];
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    warnings.push({ code: 'expiry-in-past', message: `the expiry ${expiresAt} is in the past: the rule will never apply`, offset: 0, length: 0 });
  }
  return { ...v, warnings };
}

export function compileRuleToKql(expression: string, table: string): { kql: string } | { notCompilable: string } {
  const parsed = parseChecked(expression);
  if ('errors' in parsed) return { notCompilable: `the expression does not parse: ${parsed.errors[0]!.message}` };
  return compileToKql(parsed.ast, table);
}

export function expressionOfFilterText(text: string): { expression: string; remark?: string } {
  return splitTrailingRemark(text);
}
