import { Type, type Static } from '@sinclair/typebox';
import { HitFilter } from '../hits/schemas.js';
import { Nullable } from '../http/schema-kit.js';
import { EntryView } from '../suppression/schemas.js';
import { CLASSIFICATIONS, CLASSIFICATION_REASONS } from './classification.js';

const Verdict = Type.Union([Type.Literal('malicious'), Type.Literal('benign')]);
// The pairs are checked by classificationError; the schema lists the same names, from the same table.
const Classification = Type.Union(Object.keys(CLASSIFICATIONS).map((c) => Type.Literal(c)));
const Reason = Type.Union(CLASSIFICATION_REASONS.map((c) => Type.Literal(c)));
const Suppress = Type.Object({
  listId: Type.String({ minLength: 1 }),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false, description: "add the hit's key to this suppression list (benign verdicts only)" });
// `true` picks the one list that serves the hit's hunt (issue #5 wording); the object form names the list (SPEC §12).
const SuppressChoice = Type.Union([Type.Literal(true), Suppress]);

export const VerdictBody = Type.Object({
  verdict: Verdict,
  classification: Classification,
  classificationReason: Type.Optional(Reason),
  comment: Type.String({ maxLength: 5000 }),
  hitVersion: Type.Integer({ minimum: 1, description: 'the hit version you looked at; a stale one is a 409' }),
  suppress: Type.Optional(SuppressChoice),
}, { additionalProperties: false });
export type VerdictBody = Static<typeof VerdictBody>;

export const BulkVerdictBody = Type.Object({
  ids: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 10_000, uniqueItems: true })),
  filter: Type.Optional(HitFilter),
  verdict: Verdict,
  classification: Classification,
  classificationReason: Type.Optional(Reason),
  comment: Type.String({ maxLength: 5000 }),
  suppress: Type.Optional(SuppressChoice),
}, { additionalProperties: false });
export type BulkVerdictBody = Static<typeof BulkVerdictBody>;

export const VerdictRecorded = Type.Object({
  verdictId: Type.String(),
  revokedEntries: Type.Array(Type.String(), { description: 'list entries with this key that a malicious verdict revoked' }),
  entry: Nullable(EntryView),
  reevaluated: Type.Integer({ description: 'hits whose status changed as a result' }),
});
export const BulkVerdictRecorded = Type.Object({
  count: Type.Integer(), ids: Type.Array(Type.String()), revokedEntries: Type.Array(Type.String()),
  entriesAdded: Type.Integer(), reevaluated: Type.Integer(),
});
