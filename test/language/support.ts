// Test helpers: the language with Quell's catalog, failing loudly where the tests expect valid rules.
import { checkRule, compileEvaluator, compileToKql, parseRule, type CheckedRule, type Evaluator, type KqlResult, type RuleError, type Syntax } from '../../src/language/index.js';
import { FIELD_CATALOG, kqlColumnFor } from '../../src/fields/index.js';

/** The checked rule; throws the first error when the text does not check. */
export function check(text: string): CheckedRule {
  const c = checkRule(text, FIELD_CATALOG);
  if (!c.ok) throw c.errors[0];
  return c.rule;
}

/** The evaluator of a rule, or null when it does not check. */
export function compileText(text: string): Evaluator | null {
  const c = checkRule(text, FIELD_CATALOG);
  return c.ok ? compileEvaluator(c.rule) : null;
}

/** The parse tree; throws the syntax error. */
export function parse(text: string): Syntax {
  const p = parseRule(text);
  if (!p.ok) throw p.errors[0];
  return p.syntax;
}

/** The first error of a text that must not check. */
export function errorOf(text: string): RuleError {
  const c = checkRule(text, FIELD_CATALOG);
  if (c.ok) throw new Error(`expected ${JSON.stringify(text)} to fail`);
  return c.errors[0];
}

export const kqlOf = (text: string, table: string): KqlResult => compileToKql(check(text), table, kqlColumnFor);
