import { Type, type Static } from '@sinclair/typebox';

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
}, { additionalProperties: false });
