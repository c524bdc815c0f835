import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page, Time } from '../http/schema-kit.js';

export const ListBody = Type.Object({
  alias: Type.String({ minLength: 3, maxLength: 64, description: 'the Sentinel watchlist alias' }),
  displayName: Type.String({ minLength: 3, maxLength: 64 }),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  hunts: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100, uniqueItems: true }),
  keyColumns: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 10, uniqueItems: true })),
  entryLifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 90 })),
  requireApproval: Type.Optional(Type.Boolean({ default: false })),
}, { additionalProperties: false });
export type ListBody = Static<typeof ListBody>;

export const EntryBody = Type.Object({
  values: Type.Record(Type.String(), Type.String({ maxLength: 4096 }), { description: 'one value per key column' }),
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });
export type EntryBody = Static<typeof EntryBody>;

export const EntriesQuery = Type.Object({
  status: Type.Optional(Type.Union(['active', 'pending', 'revoked', 'expired'].map((s) => Type.Literal(s)))),
}, { additionalProperties: false });

export const RevokeQuery = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });

export const ExportQuery = Type.Object({
  format: Type.Union(['csv', 'watchlist-json', 'arm', 'kql'].map((s) => Type.Literal(s))),
  part: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000,
    description: 'which numbered watchlist of a list too large for one (3.8 MB); see …/export/parts' })),
}, { additionalProperties: false });

/** The numbered watchlists a list is exported as (one for a list that fits one upload). */
export const ExportParts = Type.Object({
  listId: Type.String(), alias: Type.String(), entryCount: Type.Integer(),
  bytes: Type.Integer({ description: 'the size of the list as one CSV file' }),
  limitBytes: Type.Integer({ description: 'the most rawContent one watchlist takes' }),
  set: Type.String({ description: 'digest of every part, also sent as Quell-Watchlist-Set with each: parts with different ones are of different states' }),
  parts: Type.Array(Type.Object({
    part: Type.Integer({ minimum: 1 }), alias: Type.String(), displayName: Type.String(), entryCount: Type.Integer(),
    bytes: Type.Integer({ description: 'UTF-8 size of the part\'s CSV (its rawContent)' }),
    csv: Type.String(), watchlistJson: Type.String(), arm: Type.String(),
  })),
  notes: Type.Array(Type.String(), { description: 'e.g. an alias shortened to leave room for its part number' }),
});

export const ListRecordView = Type.Object({
  id: Type.String(), alias: Type.String(), displayName: Type.String(), description: Type.String(), hunts: Type.Array(Type.String()),
  keyColumns: Type.Array(Type.String()), entryLifetimeDays: Type.Integer(), requireApproval: Type.Boolean(),
  createdAt: Time, createdBy: Type.String(), updatedAt: Time,
});
const EntryStatus = Type.Union(['active', 'pending', 'revoked', 'expired'].map((s) => Type.Literal(s)));
export const ListView = Type.Intersect([ListRecordView, Type.Object({
  counts: Type.Object({ active: Type.Integer(), pending: Type.Integer(), revoked: Type.Integer(), expired: Type.Integer() }),
})]);
export const ListPage = Page(ListView);

export const EntryView = Type.Object({
  id: Type.String(), listId: Type.String(), searchKey: Type.String(), values: Type.Record(Type.String(), Type.String()), reason: Type.String(),
  sourceVerdictId: Nullable(Type.String()), status: EntryStatus, addedBy: Type.String(), addedAt: Time, expiresAt: Time,
  approvedBy: Nullable(Type.String()), approvedAt: Time, revokedBy: Nullable(Type.String()), revokedAt: Time, revokeReason: Nullable(Type.String()),
});
export const EntryPage = Page(EntryView);
/** An entry after a change, with how many hits changed status. */
export const EntryChanged = Type.Intersect([EntryView, Type.Object({ reevaluated: Type.Integer() })]);
export const ApproveManyBody = Type.Object({
  ids: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'pending entries of this list' }),
}, { additionalProperties: false });
export type ApproveManyBody = Static<typeof ApproveManyBody>;
export const ApprovedMany = Type.Object({
  approved: Type.Integer(), entries: Type.Array(EntryView), reevaluated: Type.Integer({ description: 'hits whose status changed as a result' }),
});
export const EntryAdded = Type.Intersect([EntryChanged, Type.Object({ created: Type.Boolean() })]);

/** The export body: a CSV, a JSON document or KQL text, by format (sent as a file). */
export const ExportBody = Type.String();

const Diagnostic = Type.Object({ code: Type.String(), severity: Type.String(), message: Type.String(), start: Type.Integer(),
  length: Type.Integer(), line: Type.Integer(), column: Type.Integer() });
export const TunedQuery = Type.Object({
  huntId: Type.String(), kql: Type.String(),
  rules: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), version: Type.Integer(), action: Type.String(),
    kql: Type.Optional(Type.String()), notCompilable: Type.Optional(Type.String()) })),
  lists: Type.Array(Type.Object({ alias: Type.String(), keyColumns: Type.Array(Type.String()), entryCount: Type.Integer(),
    partAliases: Type.Optional(Type.Array(Type.String(), { description: 'every numbered watchlist, when the list is too large for one' })) })),
  originalDiagnostics: Type.Array(Diagnostic),
  addedDiagnostics: Type.Array(Diagnostic, { description: 'diagnostics the tuning added; always empty unless Quell has a bug' }),
});
