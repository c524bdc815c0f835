import express, { Router } from 'express';
import { defineRoute } from '../http/route.js';
import { badRequest } from '../http/errors.js';
import type { HuntsService, ImportHint } from './hunts-service.js';
import { HuntImported, HuntPage, HuntVersionPage, HuntView, ImportQuery, ScenarioPage } from './schemas.js';

const IMPORT_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

function hintFor(contentType: string | undefined, format: ImportHint): ImportHint {
  if (format) return format;
  if (/json/i.test(contentType ?? '')) return 'json';
  if (/yaml/i.test(contentType ?? '')) return 'yaml';
  return undefined;
}

export function huntsRouter(hunts: HuntsService): Router {
  const r = Router();
  const tag = 'hunts';
  // The document is read as text so it is imported verbatim, whatever its format.
  const text = express.text({ type: IMPORT_TYPES, limit: '2mb' });

  defineRoute(r, { method: 'get', path: '/hunts', access: 'viewer', tag, response: HuntPage, summary: 'List hunts with scenarios and hit counts by status' },
    async () => ({ body: { items: await hunts.listHunts(), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/hunts', access: 'admin', tag, query: ImportQuery, response: HuntImported, parsers: [text], bodyMediaTypes: IMPORT_TYPES,
    summary: 'Import a hunt: Sentinel hunting-query YAML, JSON, or an enriched rule page; re-import of the same id from the same source makes a new version (scenarios are kept), from another source a 409 unless replace=true' },
  async ({ actor, rawBody, contentType, query }) => {
    if (typeof rawBody !== 'string' || rawBody.trim() === '') {
      throw badRequest(`send the hunt document as the request body with a content type of ${IMPORT_TYPES.join(', ')}`,
        [{ pointer: '/', message: 'the body is empty or of an unsupported content type' }]);
    }
    const result = await hunts.importHunt(actor, rawBody, hintFor(contentType, query.format), { replace: query.replace === true });
    return { status: result.created ? 201 : 200, body: { ...result.hunt, created: result.created, changed: result.changed } };
  });

  defineRoute(r, { method: 'get', path: '/hunts/:id', access: 'viewer', tag, response: HuntView, summary: 'One hunt with scenarios, query warnings and hit counts' },
    async ({ params }) => ({ body: await hunts.getHunt(params.id!) }));

  defineRoute(r, { method: 'get', path: '/hunts/:id/versions', access: 'viewer', tag, response: HuntVersionPage, summary: "A hunt's imported versions, newest first" },
    async ({ params }) => ({ body: { items: await hunts.listVersions(params.id!), nextCursor: null } }));
  defineRoute(r, { method: 'get', path: '/scenarios', access: 'viewer', tag: 'rules', response: ScenarioPage, summary: 'Documented exclusion scenarios with their rules' },
    async () => ({ body: { items: await hunts.listScenarios(), nextCursor: null } }));
  return r;
}
