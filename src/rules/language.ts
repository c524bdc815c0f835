// The rules feature's view of the filter language: check once with Quell's field catalog, then evaluate, lint and
// compile to KQL from the checked rule.
import {
  checkRule, compileEvaluator, compileToKql, lintRule, prepareHit, splitTrailingRemark,
  type CheckResult, type CheckedRule, type Evaluator, type HitView, type LintWarning, type PreparedHit, type RuleErrorJSON,
} from '../language/index.js';
import { FIELD_CATALOG, kqlColumnFor } from '../fields/index.js';

export interface RuleWarning extends Omit<LintWarning, 'code'> { code: LintWarning['code'] | 'expiry-in-past' }

/** Rules take a hit as it is, or the hit prepared once for all of them (prepareRuleHit); the result is the same. */
export interface CompiledRule {
  holds(hit: HitView | PreparedHit): boolean;
  /** The three-valued result (null: unknown, a field is missing) and the clause-level explanation. */
  explain(hit: HitView | PreparedHit): { result: boolean | null; clauses: string[] };
  readonly evaluator: Evaluator;
}

/**
 * The hit prepared for these rules: each field they read folded and parsed once, so that each rule then only compares.
 * Worth it when the same hit meets many rules or is evaluated more than once (before and after a draft, explained
 * after tested); for one pass of a few rules a hit as it is is as fast (BENCHMARKS.md, rule evaluation).
 */
export function prepareRuleHit(hit: HitView, rules: readonly CompiledRule[] = []): PreparedHit {
  return prepareHit(hit, rules.map((r) => r.evaluator));
}

export interface RuleValidation {
  ok: boolean;
  errors: RuleErrorJSON[];
  /** Field names as written, with what they resolve to. */
  fields: { name: string; resolved: string; kind: 'canonical' | 'raw'; type: string }[];
  warnings: RuleWarning[];
  /** Per scope table: the rule's KQL predicate, or why it cannot be compiled there. */
  kql: Record<string, string | { notCompilable: string }>;
}

/** The language's entry point with Quell's catalog: parse, resolve and type once. */
export function checkRuleText(expression: string): CheckResult {
  return checkRule(expression, FIELD_CATALOG);
}

function evaluatorOf(rule: CheckedRule): CompiledRule {
  const e = compileEvaluator(rule);
  return { holds: (h) => e.test(h) === true, explain: (h) => e.explain(h), evaluator: e };
}

export function compileRule(expression: string): CompiledRule | null {
  const c = checkRuleText(expression);
  return c.ok ? evaluatorOf(c.rule) : null;
}

function kqlFor(rule: CheckedRule, table: string): { kql: string } | { notCompilable: string } {
  return compileToKql(rule, table, kqlColumnFor);
}

/**
 * One check of the expression, and everything that follows from it: the validation answer (errors, or fields, lint
 * for the scope's tables and KQL per table) and, when it is valid, the compiled predicate. A past expiry is a warning.
 */
export function analyseRule(expression: string, tables: readonly string[], expiresAt: string | null):
  { validation: RuleValidation; compiled: CompiledRule | null } {
  const c = checkRuleText(expression);
  return { validation: validationOf(c, tables, expiresAt), compiled: c.ok ? evaluatorOf(c.rule) : null };
}

/** Validation plus lint for the scope's tables; a past expiry is a warning too (SPEC §5). */
export function validateRule(expression: string, tables: readonly string[], expiresAt: string | null): RuleValidation {
  return validationOf(checkRuleText(expression), tables, expiresAt);
}

function validationOf(c: CheckResult, tables: readonly string[], expiresAt: string | null): RuleValidation {
  const warnings: RuleWarning[] = [];
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    warnings.push({ code: 'expiry-in-past', message: `the expiry ${expiresAt} is in the past: the rule will never apply`, offset: 0, length: 0, line: 1, column: 1 });
  }
  if (!c.ok) return { ok: false, errors: c.errors.map((e) => e.toJSON()), fields: [], warnings, kql: {} };
  const { rule } = c;
  const kql: RuleValidation['kql'] = {};
  for (const t of tables) {
    const r = kqlFor(rule, t);
    kql[t] = 'kql' in r ? r.kql : { notCompilable: r.notCompilable };
  }
  return {
    ok: true, errors: [],
    fields: [...rule.fields].map(([name, f]) => ({ name, resolved: f.name, kind: f.kind, type: f.type })),
    warnings: [...lintRule(rule, tables, FIELD_CATALOG), ...warnings],
    kql,
  };
}

export function compileRuleToKql(expression: string, table: string): { kql: string } | { notCompilable: string } {
  const c = checkRuleText(expression);
  if (!c.ok) return { notCompilable: `the expression does not parse: ${c.errors[0].message}` };
  return kqlFor(c.rule, table);
}

export function expressionOfFilterText(text: string): { expression: string; remark?: string } {
  return splitTrailingRemark(text, FIELD_CATALOG);
}
