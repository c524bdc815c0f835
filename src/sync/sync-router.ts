import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { SyncService } from './sync-service.js';
import { RunsPage, RunsQuery, SyncBody, SyncResult, TargetsBody, TargetsView } from './schemas.js';

export function syncRouter(sync: SyncService): Router {
  const r = Router();
  const tag = 'sync';
  defineRoute(r, { method: 'get', path: '/suppression-lists/:id/targets', access: 'admin', tag, response: TargetsView,
    summary: 'The connections this list is synced to as a Sentinel watchlist' },
  async ({ params }) => ({ body: await sync.targets(params.id!) }));

  defineRoute(r, { method: 'put', path: '/suppression-lists/:id/targets', access: 'admin', tag, body: TargetsBody, response: TargetsView,
    summary: 'Set the connections this list is synced to' },
  async ({ actor, params, body }) => ({ body: await sync.setTargets(actor, params.id!, body.connectionIds) }));

  defineRoute(r, { method: 'post', path: '/suppression-lists/:id/sync', access: 'admin', tag, body: SyncBody, response: SyncResult,
    summary: "Sync the list's active entries to its target watchlists item by item (dryRun: only the diff); 409 when it would exceed the month's change budget" },
  async ({ actor, params, body }) => ({ body: await sync.sync(actor, params.id!, { connectionId: body.connectionId, dryRun: body.dryRun }) }));

  defineRoute(r, { method: 'get', path: '/suppression-lists/:id/syncs', access: 'viewer', tag, query: RunsQuery, response: RunsPage,
    summary: "The list's sync runs, newest first, and each target workspace's item changes this month" },
  async ({ params, query }) => ({ body: await sync.runs(params.id!, query) }));
  return r;
}
