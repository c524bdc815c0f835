import { Type, type Static } from '@sinclair/typebox';
import { Time } from '../http/schema-kit.js';
import { RuleChanged } from '../rules/schemas.js';

export const SuggestionsQuery = Type.Object({
  huntId: Type.String({ minLength: 1 }),
  minSupport: Type.Optional(Type.Integer({ minimum: 2, maximum: 100_000, description: 'fewest hits a suggestion must explain (default: 1 % of the benign verdicts, at least 5)' })),
}, { additionalProperties: false });
export type SuggestionsQuery = Static<typeof SuggestionsQuery>;

export const Suggestion = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('benign-verdicts'), Type.Literal('unlabelled')], { description: 'what it was mined from' }),
  expression: Type.String(),
  benign: Type.Object({ count: Type.Integer(), share: Type.Number({ description: 'of the hunt\'s benign verdicts' }) }),
  unlabelled: Type.Integer({ description: 'hits without a verdict it would suppress: the risk' }),
  malicious: Type.Integer({ description: 'hits with a malicious verdict it holds for: always 0' }),
  examples: Type.Array(Type.String(), { description: 'hit ids' }),
  scope: Type.Object({ hunts: Type.Array(Type.String()) }),
  expiresAt: Time,
  reason: Type.String(),
});

export const SuggestionsPage = Type.Object({
  huntId: Type.String(),
  verdicts: Type.Object({ benign: Type.Integer(), malicious: Type.Integer() }),
  unlabelled: Type.Integer(),
  minSupport: Type.Integer(),
  computedMs: Type.Integer(),
  items: Type.Array(Suggestion),
  nextCursor: Type.Null(),
});

export const AcceptBody = Type.Object({
  huntId: Type.String({ minLength: 1 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  force: Type.Optional(Type.Boolean()),
  justification: Type.Optional(Type.String({ maxLength: 5000, description: 'added to the one naming the suggestion' })),
}, { additionalProperties: false });
export type AcceptBody = Static<typeof AcceptBody>;

export const DismissBody = Type.Object({ huntId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

export const Accepted = Type.Object({ suggestion: Suggestion, rule: RuleChanged });
export const Dismissed = Type.Object({ suggestion: Suggestion, dismissed: Type.Literal(true) });
