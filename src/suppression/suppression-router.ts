import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { ListsService } from './lists-service.js';
import type { ExportService } from './export-service.js';
import { ApprovedMany, ApproveManyBody, EntriesQuery, EntryAdded, EntryBody, EntryChanged, EntryPage, ExportBody, ExportParts, ExportQuery, ListBody, ListPage, ListRecordView, ListView,
  RevokeQuery, TunedQuery } from './schemas.js';

export function suppressionRouter(deps: { lists: ListsService; exports: ExportService }): Router {
  const { lists } = deps;
  const r = Router();
  const tag = 'suppression';
  defineRoute(r, { method: 'get', path: '/suppression-lists', access: 'viewer', tag, response: ListPage, summary: 'Suppression lists with entry counts' },
    async () => ({ body: { items: await lists.lists(), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/suppression-lists', access: 'admin', tag, body: ListBody, response: ListRecordView,
    summary: 'Create a suppression list (a Sentinel watchlist); key columns default to the hunts\' group keys' },
  async ({ actor, body }) => ({ status: 201, body: await lists.createList(actor, body) }));

  defineRoute(r, { method: 'get', path: '/suppression-lists/:id', access: 'viewer', tag, response: ListView, summary: 'One suppression list' },
    async ({ params }) => ({ body: await lists.getList(params.id!) }));

  defineRoute(r, { method: 'get', path: '/suppression-lists/:id/entries', access: 'viewer', tag, query: EntriesQuery, response: EntryPage, summary: 'Entries of a list' },
    async ({ params, query }) => ({ body: { items: await lists.listEntries(params.id!, query.status), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/suppression-lists/:id/entries', access: 'analyst', tag, body: EntryBody, response: EntryAdded,
    summary: 'Propose an entry (pending when the list needs approval and the caller is not an admin); keys starting = + - @ are refused' },
  async ({ actor, params, body }) => {
    const res = await lists.addEntry(actor, params.id!, body);
    return { status: res.created ? 201 : 200, body: { ...res.entry, created: res.created, reevaluated: res.reevaluation.changed } };
  });

  // Before the /:entryId routes, so "approve" is never read as an entry id.
  defineRoute(r, { method: 'post', path: '/suppression-lists/:id/entries/approve', access: 'admin', tag, body: ApproveManyBody, response: ApprovedMany,
    summary: 'Approve several pending entries at once, all or nothing: an id that is not a pending entry of this list is a 409 naming it' },
  async ({ actor, params, body }) => ({ body: await lists.approveMany(actor, params.id!, body.ids) }));

  defineRoute(r, { method: 'post', path: '/suppression-lists/:id/entries/:entryId/approve', access: 'admin', tag, response: EntryChanged, summary: 'Approve a pending entry' },
    async ({ actor, params }) => {
      const res = await lists.approve(actor, params.id!, params.entryId!);
      return { body: { ...res.entry, reevaluated: res.reevaluation.changed } };
    });

  defineRoute(r, { method: 'delete', path: '/suppression-lists/:id/entries/:entryId', access: 'admin', tag, query: RevokeQuery, response: EntryChanged,
    summary: 'Revoke an entry (kept for the record); the hits it suppressed return to the queue' },
  async ({ actor, params, query }) => {
    const res = await lists.revoke(actor, params.id!, params.entryId!, query.reason ?? 'revoked by an admin');
    return { body: { ...res.entry, reevaluated: res.reevaluation.changed } };
  });

  defineRoute(r, { method: 'get', path: '/suppression-lists/:id/export', access: 'viewer', tag, query: ExportQuery, response: ExportBody, responseMediaType: 'text/plain',
    summary: 'Sentinel export: csv (watchlist file), watchlist-json (REST PUT body), arm (template) or kql (tuned query); part=k for a list in numbered watchlists' },
  async ({ actor, params, query }) => {
    const out = await deps.exports.exportList(actor, params.id!, query.format as 'csv', query.part);
    return { body: out.body, contentType: out.contentType, headers: { ...out.headers, 'Content-Disposition': `attachment; filename="${out.filename}"` } };
  });

  defineRoute(r, { method: 'get', path: '/suppression-lists/:id/export/parts', access: 'viewer', tag, response: ExportParts,
    summary: 'The numbered watchlists a list is exported as (over 3.8 MB it is cut into parts): aliases, entry counts, sizes and export links' },
  async ({ params }) => ({ body: await deps.exports.exportParts(params.id!) }));

  defineRoute(r, { method: 'get', path: '/hunts/:id/tuned-query', access: 'viewer', tag, response: TunedQuery,
    summary: "The hunt's query with enabled rules and watchlist exclusions applied, and its Kusto diagnostics" },
  async ({ params }) => ({ body: await deps.exports.tunedQuery(params.id!) }));
  return r;
}
