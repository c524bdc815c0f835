import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { IngestService } from './ingest-service.js';
import type { HitsQueryService } from './hits-query.js';
import { HitDetail, HitPage, HitsQuery, INGEST_MEDIA_TYPES, IngestResult } from './schemas.js';

export function hitsRouter(deps: { ingest: IngestService; hits: HitsQueryService }): Router {
  const r = Router();
  const tag = 'hits';

  defineRoute(r, { method: 'post', path: '/hunts/:id/hits', access: 'analyst', tag, parsers: [], bodyMediaTypes: INGEST_MEDIA_TYPES,
    summary: 'Ingest hunt results (JSON rows, Log Analytics tables, Defender Schema/Results, Graph schema/results, NDJSON, CSV, streaming records); idempotent',
    response: IngestResult },
  // No body parser: NDJSON and CSV are parsed as they stream in (the format module decides how to read each type).
  async ({ actor, params, stream, contentType }) => ({ body: await deps.ingest.ingest(actor, params.id!, stream, contentType) }));

  defineRoute(r, { method: 'get', path: '/hits', access: 'viewer', tag, query: HitsQuery, response: HitPage,
    summary: 'Hits by hunt, status, verdict, rule, device (exact or prefix), free text and time range, sorted by any column (newest last-seen '
      + 'first by default); keyset pagination with cursor, the total, and why a contradictory filter can never match' },
  async ({ query }) => ({ body: await deps.hits.list(query) }));

  defineRoute(r, { method: 'get', path: '/hits/:id', access: 'viewer', tag, response: HitDetail,
    summary: 'A hit with canonical fields, raw row, matches with explanations, near misses (rules in scope that do not hold) and verdict history' },
  async ({ params }) => ({ body: await deps.hits.get(params.id!) }));
  return r;
}
