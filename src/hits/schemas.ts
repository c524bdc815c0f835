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
  devicePrefix: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'start of the device name, case-insensitive' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'free text in the raw row, case-insensitive' })),
  queue: Type.Optional(Type.Boolean({ description: 'the open queue: open or flagged hits without a verdict' })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'hits seen at or after this time (lastSeen >= since)' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'hits seen at or before this time (firstSeen <= until)' })),
}, { additionalProperties: false });
export type HitFilter = Static<typeof HitFilter>;

/** The columns GET /hits sorts by; the name the API takes → the Hit column. */
export const SORT_COLUMNS = {
  lastSeen: 'lastSeen', firstSeen: 'firstSeen', count: 'count', status: 'status', device: 'deviceName', user: 'userName', verdict: 'verdict',
  process: 'processName', parent: 'parentName', destination: 'destination',
} as const;
export type HitSort = keyof typeof SORT_COLUMNS;
export type HitOrder = 'asc' | 'desc';

/** A filter with its sort: what GET /hits lists, and what a saved filter keeps. */
export const HitListQuery = Type.Object({
  ...HitFilter.properties,
  sort: Type.Optional(Type.Union((Object.keys(SORT_COLUMNS) as HitSort[]).map((k) => Type.Literal(k)), { default: 'lastSeen',
    description: 'lastSeen, firstSeen, count, status, device, user or verdict; hits without the value come last in either order' })),
  order: Type.Optional(Type.Union([Type.Literal('desc'), Type.Literal('asc')], { default: 'desc' })),
}, { additionalProperties: false });
export type HitListQuery = Static<typeof HitListQuery>;

export const HitsQuery = Type.Object({
  ...HitListQuery.properties,
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page, with the same sort and order' })),
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
  Type.Object({ ruleId: Type.String(), ruleName: Type.String(), ruleVersion: Type.Integer(), action: Type.String(),
    explanation: Type.Optional(Type.Array(Type.String())), overridden: Type.Optional(Type.String()) }),
  Type.Object({ listId: Type.String(), listAlias: Type.String(), entryId: Type.String(), searchKey: Type.String(),
    overridden: Type.Optional(Type.String()) }),
]);

export const HitSummary = Type.Object({
  id: Type.String(), huntId: Type.String(), status: HitStatus, verdict: Nullable(VerdictView),
  fields: Type.Record(Type.String(), Type.Unknown()),
  firstSeen: Time, lastSeen: Time, count: Type.Integer(), version: Type.Integer(),
  reportIds: Type.Array(Type.String()), key: Type.Array(Type.String()), matches: Type.Array(Match),
  ruleNames: Type.Array(Type.String(), { description: 'names of the rules in matches, in their order' }),
});

export const HitPage = Type.Intersect([Page(HitSummary), Type.Object({
  total: Type.Integer({ minimum: 0, description: 'hits matching the filter, whatever the cursor and limit' }),
  emptyReason: Nullable(Type.String({ description: 'why the filter can never match, when it contradicts itself' })),
})]);

/** A rule in the hit's scope that does not hold for it, with the clause-level reason. */
export const NearMiss = Type.Object({
  ruleId: Type.String(), ruleName: Type.String(), action: Type.String(),
  result: Type.Union([Type.Literal('false'), Type.Literal('unknown')], { description: 'unknown: a field the rule reads is missing' }),
  clauses: Type.Array(Type.String()),
});

export const HitDetail = Type.Intersect([HitSummary, Type.Object({
  raw: Type.Record(Type.String(), Type.Unknown()),
  table: Nullable(Type.String({ description: 'the table the row named itself (a streaming record), if it did' })),
  verdicts: Type.Array(Type.Intersect([VerdictView, Type.Object({ hitId: Type.String() })])),
  nearMisses: Type.Array(NearMiss, { description: 'enabled, unexpired rules in scope that do not hold, and which clause failed' }),
  observations: Type.Array(Type.Object({
    shown: Type.Boolean({ description: 'the row the hit shows (its newest)' }), raw: Type.Record(Type.String(), Type.Unknown()),
    firstSeen: Time, lastSeen: Time, count: Type.Integer(), reportIds: Type.Array(Type.String()),
  }), { description: 'every distinct row merged into the hit, the shown one first' }),
})]);
