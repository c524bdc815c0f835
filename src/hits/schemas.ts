import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page, Time } from '../http/schema-kit.js';
import { SUPPORTED_MEDIA_TYPES } from './body/parse-hits-body.js';

/** Media types an ingest body may have; the body parser and the OpenAPI document both read this list. */
export const INGEST_MEDIA_TYPES = SUPPORTED_MEDIA_TYPES;

export const HitStatus = Type.Union([Type.Literal('open'), Type.Literal('flagged'), Type.Literal('suppressed')]);
export type HitStatus = Static<typeof HitStatus>;

/** The filter GET /hits, bulk verdicts and backtests select hits by. */
export const HitFilter = Type.Object({
  huntId: Type.Optional(Type.String()),
  status: Type.Optional(HitStatus),
  verdict: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('malicious'), Type.Literal('benign')])),
  ruleId: Type.Optional(Type.String({ description: 'hits a rule (or list entry) matched' })),
  device: Type.Optional(Type.String({ description: 'device name, case-insensitive; a trailing * matches a prefix' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'free text in the raw row, case-insensitive' })),
  queue: Type.Optional(Type.Boolean({ description: 'the open queue: open or flagged hits without a verdict' })),
}, { additionalProperties: false });
export type HitFilter = Static<typeof HitFilter>;

export const HitsQuery = Type.Object({
  ...HitFilter.properties,
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String()),
}, { additionalProperties: false });
export type HitsQuery = Static<typeof HitsQuery>;

export const IngestResult = Type.Object({
  received: Type.Integer(), inserted: Type.Integer(), merged: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), error: Type.String() })),
  suppressed: Type.Integer(), flagged: Type.Integer(), open: Type.Integer(),
});
export type IngestResult = Static<typeof IngestResult>;


export const VerdictView = Type.Object({
  id: Type.String(), verdict: Type.String(), classification: Type.String(), classificationReason: Nullable(Type.String()),
  comment: Type.String(), createdBy: Type.String(), createdAt: Time, hitVersion: Type.Integer(),
});

const Match = Type.Union([
  Type.Object({ ruleId: Type.String(), ruleVersion: Type.Integer(), action: Type.String(), explanation: Type.Optional(Type.Array(Type.String())),
    overridden: Type.Optional(Type.String()) }),
  Type.Object({ listId: Type.String(), entryId: Type.String(), searchKey: Type.String(), overridden: Type.Optional(Type.String()) }),
]);

export const HitSummary = Type.Object({
  id: Type.String(), huntId: Type.String(), status: HitStatus, verdict: Nullable(VerdictView),
  fields: Type.Record(Type.String(), Type.Unknown()),
  firstSeen: Time, lastSeen: Time, count: Type.Integer(), version: Type.Integer(),
  reportIds: Type.Array(Type.String()), key: Type.Array(Type.String()), matches: Type.Array(Match),
});

export const HitPage = Page(HitSummary);

export const HitDetail = Type.Intersect([HitSummary, Type.Object({
  raw: Type.Record(Type.String(), Type.Unknown()),
  table: Nullable(Type.String({ description: 'the table the row named itself (a streaming record), if it did' })),
  verdicts: Type.Array(Type.Intersect([VerdictView, Type.Object({ hitId: Type.String() })])),
})]);
