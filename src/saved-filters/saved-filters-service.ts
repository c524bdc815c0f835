import type { Db } from '../db/database.js';
import { fromJson, toJson } from '../db/json.js';
import { isoTime } from '../db/time.js';
import type { Actor } from '../core/actor.js';
import { recordAudit } from '../audit/audit-store.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import type { HitListQuery } from '../hits/schemas.js';
import * as store from './saved-filters-store.js';
import type { SavedFilterBody } from './schemas.js';

type Row = Awaited<ReturnType<typeof store.insertSavedFilter>>;

const view = (r: Row) => ({ id: r.id, name: r.name, query: fromJson<HitListQuery>(r.query, {}), createdAt: isoTime(r.createdAt)! });

/** Saved filters belong to a user account; Quell's own system actor has none. */
function ownerOf(actor: Actor): string {
  if (!actor.id) throw forbidden('saved filters belong to a signed-in user');
  return actor.id;
}

export function createSavedFiltersService(db: Db) {
  async function list(actor: Actor) {
    return (await store.listSavedFilters(db.prisma, ownerOf(actor))).map(view);
  }

  async function create(actor: Actor, body: SavedFilterBody) {
    const userId = ownerOf(actor);
    return db.write(async (tx) => {
      if (await store.findSavedFilterByName(tx, userId, body.name)) throw conflict(`you already have a saved filter named "${body.name}"`);
      const row = await store.insertSavedFilter(tx, { userId, name: body.name, query: toJson(body.query) });
      await recordAudit(tx, { actor, action: 'saved-filter.create', entityType: 'saved-filter', entityId: row.id, after: view(row) });
      return view(row);
    });
  }

  async function remove(actor: Actor, id: string) {
    const userId = ownerOf(actor);
    return db.write(async (tx) => {
      const row = await store.findOwnSavedFilter(tx, userId, id);
      if (!row) throw notFound(`saved filter ${id}`);
      await store.deleteSavedFilter(tx, id);
      await recordAudit(tx, { actor, action: 'saved-filter.delete', entityType: 'saved-filter', entityId: id, before: view(row) });
      return view(row);
    });
  }

  return { list, create, remove };
}

export type SavedFiltersService = ReturnType<typeof createSavedFiltersService>;
