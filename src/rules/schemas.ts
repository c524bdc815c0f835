import { Type, type Static } from '@sinclair/typebox';

export const Scope = Type.Union([
  Type.Object({ allHunts: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ hunts: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 1000, uniqueItems: true }) },
    { additionalProperties: false }),
], { description: 'all hunts, or the listed hunt ids' });
export type Scope = Static<typeof Scope>;

export const RuleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  expression: Type.String({ minLength: 1, maxLength: 500_000 }),
  scope: Scope,
  action: Type.Union([Type.Literal('suppress'), Type.Literal('flag')]),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  owner: Type.Optional(Type.String({ maxLength: 200 })),
  justification: Type.Optional(Type.String({ maxLength: 5000 })),
  force: Type.Optional(Type.Boolean({ description: 'with a justification: save although the rule matches hits with a malicious verdict (audited)' })),
}, { additionalProperties: false });
export type RuleBody = Static<typeof RuleBody>;

export const ValidateBody = Type.Object({
  expression: Type.String({ maxLength: 500_000 }),
  scope: Type.Optional(Scope),
}, { additionalProperties: false });
export type ValidateBody = Static<typeof ValidateBody>;

export const BacktestBody = Type.Object({
  ruleId: Type.Optional(Type.String({ description: 'an existing rule the draft would replace' })),
  expression: Type.String({ minLength: 1, maxLength: 500_000 }),
  scope: Scope,
  action: Type.Union([Type.Literal('suppress'), Type.Literal('flag')], { default: 'suppress' }),
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
