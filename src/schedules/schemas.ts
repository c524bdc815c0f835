import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page, Time } from '../http/schema-kit.js';

export const RUN_APIS = ['log-analytics', 'defender'] as const;
export type RunApi = (typeof RUN_APIS)[number];
export type RunTrigger = 'schedule' | 'manual';

export const ScheduleBody = Type.Object({
  connectionId: Type.String({ minLength: 1, maxLength: 200, description: 'A Sentinel connection id (GET /connections)' }),
  api: Type.Union(RUN_APIS.map((a) => Type.Literal(a)), {
    description: 'log-analytics: the Sentinel workspace query API; defender: Defender XDR advanced hunting (Graph runHuntingQuery)' }),
  intervalMinutes: Type.Integer({ minimum: 5, maximum: 10080, description: 'minutes between runs (5 minutes to 7 days)' }),
  lookbackMinutes: Type.Integer({ minimum: 5, maximum: 43200, description: 'the query timespan, in minutes back from the run (at most 30 days)' }),
  enabled: Type.Optional(Type.Boolean({ default: true, description: 'false keeps the schedule but the scheduler skips it; run now still works' })),
}, { additionalProperties: false });
export type ScheduleBody = Static<typeof ScheduleBody>;

export const RunView = Type.Object({
  id: Type.String(), huntId: Type.String(), connectionId: Type.String(),
  api: Type.Union(RUN_APIS.map((a) => Type.Literal(a))),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  triggeredBy: Type.String(), timespan: Type.String({ description: 'ISO 8601 duration sent as the query timespan' }),
  startedAt: Type.String({ format: 'date-time' }), finishedAt: Time,
  attempts: Type.Integer({ description: 'requests sent to the API, retries included' }),
  rows: Nullable(Type.Integer({ description: 'rows the API returned' })),
  inserted: Nullable(Type.Integer()), merged: Nullable(Type.Integer()), rejected: Nullable(Type.Integer()),
  suppressed: Nullable(Type.Integer()), flagged: Nullable(Type.Integer()), open: Nullable(Type.Integer()),
  truncated: Type.Boolean({ description: 'the API returned part of the result (a row or size limit, or a partial failure)' }),
  truncationNote: Nullable(Type.String()), error: Nullable(Type.String()),
});
export type RunView = Static<typeof RunView>;

export const ScheduleView = Type.Object({
  huntId: Type.String(), connectionId: Type.String(), api: Type.Union(RUN_APIS.map((a) => Type.Literal(a))),
  intervalMinutes: Type.Integer(), lookbackMinutes: Type.Integer(), enabled: Type.Boolean(),
  nextRunAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }), createdBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }), updatedBy: Type.String(),
  warnings: Type.Array(Type.String()),
  lastRun: Nullable(RunView),
});
export type ScheduleView = Static<typeof ScheduleView>;

export const RunPage = Page(RunView);

export const RunsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
}, { additionalProperties: false });

export const RunNowQuery = Type.Object({
  wait: Type.Boolean({ default: false, description: 'answer when the run has finished (200) instead of when it has started (202)' }),
}, { additionalProperties: false });
