import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { SavedFiltersService } from './saved-filters-service.js';
import { SavedFilterBody, SavedFilterPage, SavedFilterView } from './schemas.js';

export function savedFiltersRouter(filters: SavedFiltersService): Router {
  const r = Router();
  const tag = 'saved-filters';
  defineRoute(r, { method: 'get', path: '/saved-filters', access: 'viewer', tag, response: SavedFilterPage,
    summary: "The caller's saved hit filters, by name" },
  async ({ actor }) => ({ body: { items: await filters.list(actor), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/saved-filters', access: 'viewer', tag, body: SavedFilterBody, response: SavedFilterView,
    summary: 'Save a GET /hits filter and sort under a name (unique per user: the same name again is a 409)' },
  async ({ actor, body }) => ({ status: 201, body: await filters.create(actor, body) }));

  defineRoute(r, { method: 'delete', path: '/saved-filters/:id', access: 'viewer', tag, response: SavedFilterView,
    summary: "Delete one of the caller's saved filters (another user's is a 404)" },
  async ({ actor, params }) => ({ body: await filters.remove(actor, params.id!) }));
  return r;
}
