import { Type, type Static } from '@sinclair/typebox';
import { Page, Time } from '../http/schema-kit.js';
import { Reevaluation } from '../evaluation/schemas.js';

export const Scope = Type.Union([
  Type.Object({ allHunts: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ hunts: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 1000, uniqueItems: true }) },
    { additionalProperties: false }),
], { description: '{ "allHunts": true } or { "hunts": ["<hunt id>", …] }' });
export type Scope = Static<typeof Scope>;

const Action = Type.Union([Type.Literal('suppress'), Type.Literal('flag')]);

const RuleFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  expression: Type.String({ minLength: 1, maxLength: 500_000 }),
  scope: Scope,
  action: Action,
  enabled: Type.Optional(Type.Boolean({ default: true })),
  expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  owner: Type.Optional(Type.String({ maxLength: 200 })),
  justification: Type.Optional(Type.String({ maxLength: 5000 })),
  force: Type.Optional(Type.Boolean({ description: 'with a justification: save although the rule matches hits with a malicious verdict (audited)' })),
};

/**
 * Fields the server owns: a rule read with GET can be sent back with PUT as it is, so these are accepted and
 * ignored (unknown fields are still refused). An `id` that names another rule is refused by the service.
 */
const SERVER_OWNED = ['id', 'version', 'warnings', 'expired', 'retired', 'createdBy', 'createdAt', 'updatedBy', 'updatedAt', 'reevaluation'] as const;
const serverOwned = Object.fromEntries(SERVER_OWNED.map((k) => [k, Type.Optional(Type.Unknown({ description: 'server-owned; ignored' }))]));

export const RuleBody = Type.Object({ ...RuleFields, ...serverOwned }, { additionalProperties: false });
export type RuleBody = Static<typeof RuleBody>;
const RuleInput = Type.Object(RuleFields);
/** What the service stores: the rule fields without the server-owned ones. */
export type RuleInput = Static<typeof RuleInput>;

export const ValidateBody = Type.Object({
  expression: Type.String({ maxLength: 500_000 }),
  scope: Type.Optional(Scope),
}, { additionalProperties: false });
export type ValidateBody = Static<typeof ValidateBody>;

/**
 * A backtest takes the draft as POST /rules would (name, enabled, description… are accepted and ignored), plus the
 * rule it would replace. Scope is optional in the schema only so that its absence gets a sentence, not a pointer.
 */
export const BacktestBody = Type.Object({
  ...RuleFields, ...serverOwned,
  name: Type.Optional(RuleFields.name),
  scope: Type.Optional(Scope),
  action: Type.Optional(Type.Union([Type.Literal('suppress'), Type.Literal('flag')], { default: 'suppress' })),
  ruleId: Type.Optional(Type.String({ description: 'an existing rule the draft would replace' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
}, { additionalProperties: false });
export type BacktestBody = Static<typeof BacktestBody>;

export const RuleListQuery = Type.Object({
  huntId: Type.Optional(Type.String()),
  enabled: Type.Optional(Type.Boolean()),
  includeRetired: Type.Optional(Type.Boolean({ default: false })),
}, { additionalProperties: false });

export const DeleteRuleQuery = Type.Object({
  justification: Type.Optional(Type.String({ maxLength: 5000 })),
}, { additionalProperties: false });

/** An error in an expression: where (offset and length, line and column, 1-based) and why, with a stable code. */
const ExpressionError = Type.Object({ code: Type.String(), message: Type.String(), offset: Type.Integer(), length: Type.Integer(),
  line: Type.Optional(Type.Integer()), column: Type.Optional(Type.Integer()) });
const Warning = Type.Object({ code: Type.String(), message: Type.String(), offset: Type.Integer(), length: Type.Integer(),
  line: Type.Optional(Type.Integer()), column: Type.Optional(Type.Integer()) });

export const RuleView = Type.Object({
  id: Type.String(), name: Type.String(), description: Type.String(), expression: Type.String(), scope: Scope, action: Action,
  enabled: Type.Boolean(), expiresAt: Time, expired: Type.Boolean(), owner: Type.String(), justification: Type.String(),
  retired: Type.Boolean(), version: Type.Integer(), warnings: Type.Array(Warning),
  createdBy: Type.String(), createdAt: Time, updatedBy: Type.String(), updatedAt: Time,
});

/** A rule after a change, with what re-evaluating its scope did. */
export const RuleChanged = Type.Intersect([RuleView, Type.Object({ reevaluation: Reevaluation })]);
export const RulePage = Page(RuleView);

export const ValidationResult = Type.Object({
  ok: Type.Boolean(),
  tables: Type.Array(Type.String(), { description: 'the tables of the scope the expression was checked against' }),
  errors: Type.Array(ExpressionError),
  fields: Type.Array(Type.Object({ name: Type.String(), resolved: Type.String(), kind: Type.String(), type: Type.String() })),
  warnings: Type.Array(Warning),
  kql: Type.Record(Type.String(), Type.Union([Type.String(), Type.Object({ notCompilable: Type.String() })])),
});
