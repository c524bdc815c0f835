// The exclusion-rule language (SPEC §4): text → checkRule (parse + resolve + type, once) → CheckedRule, which the
// evaluator, lint and the KQL backend take. Pure: no HTTP, no database, no knowledge of tables — fields come from a
// FieldCatalog and KQL columns from a KqlColumnMapper, both supplied by the caller (Quell's are in src/fields/).
export { ERROR_CODES, RuleError, positionOf, type ErrorCode, type Position, type RuleErrorJSON } from './errors.js';
export { LIMITS, type Syntax, type FieldRef, type Literal, type Range, type NonEmpty } from './syntax.js';
export type { FieldCatalog, FieldType, ResolvedField } from './catalog.js';
export type { TypedValue, TextValue, RegexValue, IpValue, IntValue, DateValue, EqualityOperand } from './values.js';
export {
  OPERATORS, OPERATOR_BY_NAME, kqlString,
  type Operator, type OperatorName, type EqualityOperator, type TextOperator, type RegexOperator, type Matcher, type KqlTarget,
} from './operators.js';
export { parseRule, type ParseResult } from './parser.js';
export { checkRule, checkSyntax, checkedLeaves, type CheckResult, type CheckedRule, type Checked, type CheckedLeaf, type CheckedField, type Comparison } from './check.js';
export { printRule, printLiteral, printString } from './print.js';
export { compileEvaluator, prepareHit, type Evaluator, type HitView, type Tri } from './evaluate.js';
export { PreparedHit } from './prepared.js';
export { lintRule, LINT_CODES, type LintCode, type LintWarning } from './lint.js';
export { compileToKql, type KqlResult, type KqlColumn, type KqlColumnMapper } from './kql.js';
export { splitTrailingRemark } from './remark.js';
export { foldAscii } from './fold.js';
export { parseIp, parseBlock, formatIp, IpSet, type Ip, type Block } from './ip.js';
