import { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../http/route.js';
import type { IngestService } from './ingest-service.js';
import { HitsQuery, type HitsQueryService } from './hits-query.js';

export const INGEST_MEDIA_TYPES = ['application/json', 'application/x-ndjson', 'text/csv'];

export const IngestResultSchema = Type.Object({
  received: Type.Integer(), inserted: Type.Integer(), merged: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), error: Type.String() })),
  suppressed: Type.Integer(), flagged: Type.Integer(), open: Type.Integer(),
});

export function hitsRouter(deps: { ingest: IngestService; hits: HitsQueryService }): Router {
  const r = Router();
  const tag = 'hits';

  defineRoute(r, { method: 'post', path: '/hunts/:id/hits', access: 'analyst', tag, parsers: [], bodyMediaTypes: INGEST_MEDIA_TYPES,
    summary: 'Ingest hunt results (JSON rows, Log Analytics tables, Defender Schema/Results, Graph schema/results, NDJSON, CSV, streaming records); idempotent',
    response: IngestResultSchema },
  // No body parser: NDJSON and CSV are parsed as they stream in (the format module decides how to read each type).
  async ({ actor, params, stream, contentType }) => ({ body: await deps.ingest.ingest(actor, params.id!, stream, contentType) }));

  defineRoute(r, { method: 'get', path: '/hits', access: 'viewer', tag, query: HitsQuery,
    summary: 'Hits by hunt, status, verdict, rule, device and free text, newest last-seen first; keyset pagination with cursor' },
  ({ query }) => ({ body: deps.hits.list(query) }));

  defineRoute(r, { method: 'get', path: '/hits/:id', access: 'viewer', tag,
    summary: 'A hit with canonical fields, raw row, matches with explanations and verdict history' },
  ({ params }) => ({ body: deps.hits.get(params.id!) }));
  return r;
}
