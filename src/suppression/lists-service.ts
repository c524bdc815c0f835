import { randomUUID } from 'node:crypto';
import type { Db, Sqlite } from '../db/database.js';
import { fromJson, toJson } from '../db/json.js';
import { isoTime, sqlTime } from '../db/time.js';
import type { Actor } from '../accounts/actor.js';
import { hasRole } from '../accounts/actor.js';
import { recordAudit } from '../audit/audit-store.js';
import { badRequest, conflict, notFound, type ProblemFieldError } from '../http/errors.js';
import type { Reevaluator } from '../hits/reevaluate.js';
import { checkKeyColumns, checkKeyValues, searchKeyFor, validateWatchlistName } from './export/index.js';
import * as entries from './entries-store.js';
import type { EntryBody, ListBody } from './schemas.js';

export interface ListRecord {
  id: string; alias: string; displayName: string; description: string; hunts: string[]; keyColumns: string[];
  entryLifetimeDays: number; requireApproval: boolean; createdAt: string | null; createdBy: string; updatedAt: string | null;
}

type ListRow = { id: string; alias: string; displayName: string; description: string; hunts: string; keyColumns: string;
  entryLifetimeDays: number | bigint; requireApproval: number | bigint | boolean; createdAt: string | Date; createdBy: string; updatedAt: string | Date };

export const listRecord = (l: ListRow): ListRecord => ({
  id: l.id, alias: l.alias, displayName: l.displayName, description: l.description,
  hunts: fromJson<string[]>(l.hunts, []), keyColumns: fromJson<string[]>(l.keyColumns, []),
  entryLifetimeDays: Number(l.entryLifetimeDays), requireApproval: Boolean(Number(l.requireApproval)),
  createdAt: isoTime(l.createdAt), createdBy: l.createdBy, updatedAt: isoTime(l.updatedAt),
});

export function findList(sqlite: Sqlite, id: string): ListRecord {
  const row = sqlite.prepare('SELECT * FROM "SuppressionList" WHERE "id" = ?').get(id) as ListRow | undefined;
  if (!row) throw notFound(`suppression list ${id}`);
  return listRecord(row);
}

export function createListsService(db: Db, reevaluator: Reevaluator) {
  function huntsOf(ids: string[]) {
    return ids.map((id, i) => {
      const h = db.sqlite.prepare('SELECT "id", "groupKeys", "table" FROM "Hunt" WHERE "id" = ?').get(id) as
        { id: string; groupKeys: string; table: string | null } | undefined;
      if (!h) throw badRequest(`unknown hunt ${id}`, [{ pointer: `/hunts/${i}`, message: `no hunt with id ${id}` }]);
      return { id: h.id, groupKeys: fromJson<string[]>(h.groupKeys, []), table: h.table };
    });
  }

  async function createList(actor: Actor, body: ListBody) {
    const errors: ProblemFieldError[] = [];
    const aliasError = validateWatchlistName('alias', body.alias);
    if (aliasError) errors.push({ pointer: '/alias', message: aliasError });
    const nameError = validateWatchlistName('displayName', body.displayName);
    if (nameError) errors.push({ pointer: '/displayName', message: nameError });
    if (errors.length) throw badRequest(errors.map((e) => e.message).join('; '), errors);
    const hunts = huntsOf(body.hunts);
    let keyColumns = body.keyColumns;
    if (!keyColumns) {
      // Default key: the hunts' group keys, which must then be the same for every hunt the list serves.
      const keys = hunts.map((h) => h.groupKeys.join('|'));
      if (new Set(keys).size > 1 || !hunts[0]!.groupKeys.length) {
        throw badRequest('the hunts do not share group keys; name the keyColumns', [{ pointer: '/keyColumns', message: 'required for these hunts' }]);
      }
      keyColumns = hunts[0]!.groupKeys;
    }
    const columnProblems = checkKeyColumns(keyColumns);
    if (columnProblems.length) throw badRequest(columnProblems.map((p) => p.message).join('; '), columnProblems);
    return db.write(async (tx) => {
      if (await tx.suppressionList.findUnique({ where: { alias: body.alias } })) throw conflict(`a list with alias ${body.alias} already exists`);
      const now = new Date();
      const row = await tx.suppressionList.create({ data: {
        id: randomUUID(), alias: body.alias, displayName: body.displayName, description: body.description ?? '',
        hunts: toJson(body.hunts), keyColumns: toJson(keyColumns), entryLifetimeDays: body.entryLifetimeDays ?? 90,
        requireApproval: body.requireApproval ?? false, createdAt: now, createdBy: actor.name, updatedAt: now,
      } });
      const view = listRecord(row);
      await recordAudit(tx, { actor, action: 'list.create', entityType: 'suppression-list', entityId: row.id, after: view });
      return view;
    });
  }

  function counts(listId: string) {
    const now = sqlTime(new Date());
    const rows = db.sqlite.prepare(`SELECT CASE WHEN "status" = 'active' AND "expiresAt" IS NOT NULL AND "expiresAt" <= ? THEN 'expired' ELSE "status" END AS s,
      COUNT(*) AS n FROM "SuppressionEntry" WHERE "listId" = ? GROUP BY s`).all(now, listId) as { s: string; n: number | bigint }[];
    const out: Record<string, number> = { active: 0, pending: 0, revoked: 0, expired: 0 };
    for (const r of rows) out[r.s] = Number(r.n);
    return out;
  }

  function lists() {
    return (db.sqlite.prepare('SELECT * FROM "SuppressionList" ORDER BY "alias"').all() as ListRow[])
      .map((l) => ({ ...listRecord(l), counts: counts(l.id) }));
  }

  function getList(id: string) {
    return { ...findList(db.sqlite, id), counts: counts(id) };
  }

  function listEntries(listId: string, status?: string) {
    findList(db.sqlite, listId);
    const rows = db.sqlite.prepare('SELECT * FROM "SuppressionEntry" WHERE "listId" = ? ORDER BY "addedAt" DESC, "id" DESC').all(listId) as entries.EntryRow[];
    const now = Date.now();
    return rows.map((r) => entries.entryView(r, now)).filter((e) => !status || e.status === status);
  }

  /** Checks a proposed key and returns it with its SearchKey; a 400 naming each bad column. */
  function keyOf(list: ListRecord, values: Record<string, string>) {
    const problems = checkKeyValues(list.keyColumns, values);
    if (problems.length) throw badRequest(`the entry key is not acceptable: ${problems.map((p) => p.message).join('; ')}`, problems);
    const picked = Object.fromEntries(list.keyColumns.map((c) => [c, values[c]!]));
    return { values: picked, searchKey: searchKeyFor(list.keyColumns, picked) };
  }

  /** Adds (or finds) an entry inside a running bulk transaction; returns it and whether it is new. */
  function addEntrySql(sqlite: Sqlite, actor: Actor, list: ListRecord, input: { values: Record<string, string>; reason: string;
    expiresAt?: string; sourceVerdictId?: string | null }) {
    const key = keyOf(list, input.values);
    const now = new Date();
    const existing = entries.findLiveEntryByKey(sqlite, list.id, key.searchKey, now);
    if (existing) return { entry: existing, created: false };
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(now.getTime() + list.entryLifetimeDays * 86_400_000);
    if (expiresAt.getTime() <= now.getTime()) throw badRequest('expiresAt is in the past', [{ pointer: '/expiresAt', message: 'must be in the future' }]);
    const status = list.requireApproval && !hasRole(actor, 'admin') ? 'pending' : 'active';
    const entry = entries.insertEntry(sqlite, actor, { listId: list.id, searchKey: key.searchKey, values: key.values, reason: input.reason,
      sourceVerdictId: input.sourceVerdictId ?? null, status, expiresAt });
    return { entry, created: true };
  }

  /** Hits an entry can suppress: the list's hunts, prefiltered on the key values. */
  const affectedBy = (list: ListRecord, e: entries.EntryRow) =>
    ({ huntIds: list.hunts, rawContains: Object.values(JSON.parse(e.values) as Record<string, string>) });

  async function addEntry(actor: Actor, listId: string, body: EntryBody) {
    const list = findList(db.sqlite, listId);
    const { entry, created } = await db.bulk((sqlite) => addEntrySql(sqlite, actor, list, body));
    const reevaluation = created && entry.status === 'active' ? await reevaluator.reevaluate(affectedBy(list, entry)) : { examined: 0, changed: 0 };
    return { entry: entries.entryView(entry), created, reevaluation };
  }

  async function approve(actor: Actor, listId: string, entryId: string) {
    const list = findList(db.sqlite, listId);
    const entry = await db.bulk((sqlite) => {
      const e = entries.findEntry(sqlite, listId, entryId);
      if (!e) throw notFound(`entry ${entryId}`);
      if (e.status !== 'pending') throw conflict(`entry ${entryId} is ${e.status}, not pending`);
      return entries.approveEntry(sqlite, actor, e);
    });
    const reevaluation = await reevaluator.reevaluate(affectedBy(list, entry));
    return { entry: entries.entryView(entry), reevaluation };
  }

  async function revoke(actor: Actor, listId: string, entryId: string, reason: string) {
    findList(db.sqlite, listId);
    const entry = await db.bulk((sqlite) => {
      const e = entries.findEntry(sqlite, listId, entryId);
      if (!e) throw notFound(`entry ${entryId}`);
      if (e.status === 'revoked') return e;
      return entries.revokeEntry(sqlite, actor, e, reason);
    });
    const reevaluation = await reevaluator.reevaluate({ mentioning: [entry.id] });
    return { entry: entries.entryView(entry), reevaluation };
  }

  /** Entries that suppress and export: active and unexpired. */
  function exportableEntries(listId: string) {
    return (db.sqlite.prepare(`SELECT * FROM "SuppressionEntry" WHERE "listId" = ? AND "status" = 'active'
      AND ("expiresAt" IS NULL OR "expiresAt" > ?) ORDER BY "addedAt", "id"`).all(listId, sqlTime(new Date())) as entries.EntryRow[]);
  }

  return { createList, lists, getList, listEntries, addEntry, addEntrySql, approve, revoke, exportableEntries, keyOf, affectedBy };
}

export type ListsService = ReturnType<typeof createListsService>;
