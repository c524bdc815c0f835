import { Type, type Static } from '@sinclair/typebox';
import { Time } from '../http/schema-kit.js';
import { RuleChanged } from '../rules/schemas.js';
import { EntryView } from '../suppression/schemas.js';

export const SuggestionsQuery = Type.Object({
  huntId: Type.String({ minLength: 1 }),
  minSupport: Type.Optional(Type.Integer({ minimum: 2, maximum: 100_000, description: 'fewest hits a suggestion must explain (default: 1 % of the benign verdicts, at least 5)' })),
}, { additionalProperties: false });
export type SuggestionsQuery = Static<typeof SuggestionsQuery>;

export const Suggestion = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('rule'), Type.Literal('entries')], { description: 'a suppress rule, or exact keys for a suppression list' }),
  source: Type.Union([Type.Literal('benign-verdicts'), Type.Literal('unlabelled')], { description: 'what it was mined from' }),
  expression: Type.Union([Type.String(), Type.Null()], { description: 'the rule (kind rule); null for entries' }),
  list: Type.Union([Type.Object({ id: Type.String(), alias: Type.String() }), Type.Null()], { description: 'the list the entries go to (kind entries)' }),
  entries: Type.Array(Type.Object({ searchKey: Type.String(), values: Type.Record(Type.String(), Type.String()) }),
    { description: 'the keys to add (kind entries; at most 1,000); empty for a rule' }),
  benign: Type.Object({ count: Type.Integer(), share: Type.Number({ description: 'of the hunt\'s benign verdicts' }) }),
  unlabelled: Type.Integer({ description: 'hits without a verdict it would suppress: the risk' }),
  malicious: Type.Integer({ description: 'hits with a malicious verdict it holds for: always 0' }),
  examples: Type.Array(Type.String(), { description: 'hit ids' }),
  scope: Type.Object({ hunts: Type.Array(Type.String()) }),
  expiresAt: Time,
  reason: Type.String(),
});
export type Suggestion = Static<typeof Suggestion>;

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
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the rule\'s name (rule suggestions)' })),
  expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  force: Type.Optional(Type.Boolean()),
  justification: Type.Optional(Type.String({ maxLength: 5000, description: 'added to the one naming the suggestion' })),
}, { additionalProperties: false });
export type AcceptBody = Static<typeof AcceptBody>;

export const DismissBody = Type.Object({ huntId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

export const Accepted = Type.Object({
  suggestion: Suggestion,
  rule: Type.Optional(RuleChanged),
  entries: Type.Optional(Type.Array(EntryView, { description: 'the entries added (kind entries); an existing live one is returned as is' })),
  reevaluated: Type.Optional(Type.Integer({ description: 'hits whose status the new entries changed' })),
});
export const Dismissed = Type.Object({ suggestion: Suggestion, dismissed: Type.Literal(true) });
