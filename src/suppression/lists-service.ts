import type { Db, Sql } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { hasRole } from '../core/actor.js';
import { recordAudit } from '../audit/audit-store.js';
import { AppError, badRequest, conflict, notFound, type ProblemFieldError } from '../http/errors.js';
import type { Reevaluator } from '../evaluation/reevaluate.js';
import { findHuntCore } from '../hunts/hunts-store.js';
import { aliasTaken, allLists, findList, insertList, type ListRecord } from './lists-store.js';
import { checkKeyColumns, checkKeyValues, searchKeyFor, validateWatchlistName } from './export/index.js';
import * as entries from './entries-store.js';
import type { EntryBody, ListBody } from './schemas.js';

export function createListsService(db: Db, reevaluator: Reevaluator) {
  async function huntsOf(ids: string[]) {
    const out = [];
    for (const [i, id] of ids.entries()) {
      const h = await findHuntCore(db.sql, id);
      if (!h) throw badRequest(`unknown hunt ${id}`, [{ pointer: `/hunts/${i}`, message: `no hunt with id ${id}` }]);
      out.push(h);
    }
    return out;
  }

  async function listOrThrow(sql: Sql, id: string): Promise<ListRecord> {
    const l = await findList(sql, id);
    if (!l) throw notFound(`suppression list ${id}`);
    return l;
  }

  async function createList(actor: Actor, body: ListBody) {
    const errors: ProblemFieldError[] = [];
    const aliasError = validateWatchlistName('alias', body.alias);
    if (aliasError) errors.push({ pointer: '/alias', message: aliasError });
    const nameError = validateWatchlistName('displayName', body.displayName);
    if (nameError) errors.push({ pointer: '/displayName', message: nameError });
    if (errors.length) throw badRequest(errors.map((e) => e.message).join('; '), errors);
    const hunts = await huntsOf(body.hunts);
    let keyColumns = body.keyColumns;
    if (!keyColumns) {
      // Default key: the hunts' group keys, which must then be the same for every hunt the list serves.
      const keyless = hunts.find((h) => !h.groupKeys.length);
      if (keyless) {
        // A hunt without a final summarize returns raw events: there is no group to key the list on, so say what to do.
        throw badRequest(`the hunt "${keyless.name}" has no group keys (its query has no final summarize): name keyColumns, e.g. DeviceId, ReportId`,
          [{ pointer: '/keyColumns', message: 'required: the hunt has no group keys' }]);
      }
      const keys = hunts.map((h) => h.groupKeys.join('|'));
      if (new Set(keys).size > 1) {
        throw badRequest(`the hunts do not share group keys (${[...new Set(keys)].map((k) => k.replace(/\|/g, ', ')).join(' vs ')}); name the keyColumns`,
          [{ pointer: '/keyColumns', message: 'required for these hunts' }]);
      }
      keyColumns = hunts[0]!.groupKeys;
    }
    const columnProblems = checkKeyColumns(keyColumns);
    if (columnProblems.length) throw badRequest(columnProblems.map((p) => p.message).join('; '), columnProblems);
    return db.write(async (tx) => {
      if (await aliasTaken(tx, body.alias)) throw conflict(`a list with alias ${body.alias} already exists`);
      const view = await insertList(tx, { alias: body.alias, displayName: body.displayName, description: body.description ?? '',
        hunts: body.hunts, keyColumns, entryLifetimeDays: body.entryLifetimeDays ?? 90, requireApproval: body.requireApproval ?? false,
        createdBy: actor.name });
      await recordAudit(tx, { actor, action: 'list.create', entityType: 'suppression-list', entityId: view.id, after: view });
      return view;
    });
  }

  const counts = (listId: string) => entries.entryCounts(db.sql, listId, new Date());

  async function lists() {
    const out = [];
    for (const l of await allLists(db.sql)) out.push({ ...l, counts: await counts(l.id) });
    return out;
  }

  async function getList(id: string) {
    return { ...await listOrThrow(db.sql, id), counts: await counts(id) };
  }

  async function listEntries(listId: string, status?: string) {
    await listOrThrow(db.sql, listId);
    const now = Date.now();
    return (await entries.entriesOfList(db.sql, listId)).map((r) => entries.entryView(r, now)).filter((e) => !status || e.status === status);
  }

  /** Checks a proposed key and returns it with its SearchKey; a 400 naming each bad column. */
  function keyOf(list: ListRecord, values: Record<string, string>) {
    const problems = checkKeyValues(list.keyColumns, values);
    if (problems.length) throw badRequest(`the entry key is not acceptable: ${problems.map((p) => p.message).join('; ')}`, problems);
    const picked = Object.fromEntries(list.keyColumns.map((c) => [c, values[c]!]));
    return { values: picked, searchKey: searchKeyFor(list.keyColumns, picked) };
  }

  /** Adds (or finds) an entry inside a running bulk transaction; returns it and whether it is new. */
  async function addEntrySql(sql: Sql, actor: Actor, list: ListRecord, input: { values: Record<string, string>; reason: string;
    expiresAt?: string; sourceVerdictId?: string | null }) {
    const key = keyOf(list, input.values);
    const now = new Date();
    const existing = await entries.findLiveEntryByKey(sql, list.id, key.searchKey, now);
    if (existing) return { entry: existing, created: false };
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(now.getTime() + list.entryLifetimeDays * 86_400_000);
    if (expiresAt.getTime() <= now.getTime()) throw badRequest('expiresAt is in the past', [{ pointer: '/expiresAt', message: 'must be in the future' }]);
    const status = list.requireApproval && !hasRole(actor, 'admin') ? 'pending' : 'active';
    const entry = await entries.insertEntry(sql, actor, { listId: list.id, searchKey: key.searchKey, values: key.values, reason: input.reason,
      sourceVerdictId: input.sourceVerdictId ?? null, status, expiresAt });
    return { entry, created: true };
  }

  /** Hits an entry can suppress: the list's hunts, prefiltered on the key values. */
  const affectedBy = (list: ListRecord, e: entries.EntryRow) =>
    ({ huntIds: list.hunts, rawContains: Object.values(JSON.parse(e.values) as Record<string, string>) });

  async function addEntry(actor: Actor, listId: string, body: EntryBody) {
    const list = await listOrThrow(db.sql, listId);
    const { entry, created } = await db.bulk((sql) => addEntrySql(sql, actor, list, body));
    const reevaluation = created && entry.status === 'active' ? await reevaluator.reevaluate(affectedBy(list, entry)) : { examined: 0, changed: 0 };
    return { entry: entries.entryView(entry), created, reevaluation };
  }

  async function approve(actor: Actor, listId: string, entryId: string) {
    const list = await listOrThrow(db.sql, listId);
    const entry = await db.bulk(async (sql) => {
      const e = await entries.findEntry(sql, listId, entryId);
      if (!e) throw notFound(`entry ${entryId}`);
      if (e.status !== 'pending') throw conflict(`entry ${entryId} is ${e.status}, not pending`);
      return entries.approveEntry(sql, actor, e);
    });
    const reevaluation = await reevaluator.reevaluate(affectedBy(list, entry));
    return { entry: entries.entryView(entry), reevaluation };
  }

  /**
   * Approves several pending entries of one list, all or nothing: one id that is not a pending entry of this list is a
   * 409 naming it (every such id is in errors[]) and nothing is approved. Each approval is audited as a single one is.
   */
  async function approveMany(actor: Actor, listId: string, ids: readonly string[]) {
    const list = await listOrThrow(db.sql, listId);
    const approved = await db.bulk(async (sql) => {
      const found = await entries.findEntriesByIds(sql, listId, ids);
      const bad = ids.map((id, i) => ({ id, i, e: found.get(id) })).filter((x) => x.e?.status !== 'pending');
      if (bad.length) {
        const why = (x: (typeof bad)[number]) => (x.e ? `entry ${x.id} is ${x.e.status}, not pending` : `no entry ${x.id} in list ${list.alias}`);
        throw new AppError(409, `${why(bad[0]!)}${bad.length > 1 ? ` (and ${bad.length - 1} more id(s) that are not pending entries of this list)` : ''}; `
          + 'nothing was approved', { errors: bad.map((x) => ({ pointer: `/ids/${x.i}`, message: why(x) })) });
      }
      const out: entries.EntryRow[] = [];
      for (const id of ids) out.push(await entries.approveEntry(sql, actor, found.get(id)!));
      return out;
    });
    // A few entries: each re-evaluates only the hits its key can match. Many: one pass over the list's hunts costs less
    // than a prefiltered scan per entry.
    let changed = 0;
    if (approved.length <= 20) for (const e of approved) changed += (await reevaluator.reevaluate(affectedBy(list, e))).changed;
    else changed = (await reevaluator.reevaluate({ huntIds: list.hunts })).changed;
    const now = Date.now();
    return { approved: approved.length, entries: approved.map((e) => entries.entryView(e, now)), reevaluated: changed };
  }

  async function revoke(actor: Actor, listId: string, entryId: string, reason: string) {
    await listOrThrow(db.sql, listId);
    const entry = await db.bulk(async (sql) => {
      const e = await entries.findEntry(sql, listId, entryId);
      if (!e) throw notFound(`entry ${entryId}`);
      if (e.status === 'revoked') return e;
      return entries.revokeEntry(sql, actor, e, reason);
    });
    const reevaluation = await reevaluator.reevaluate({ mentioning: [entry.id] });
    return { entry: entries.entryView(entry), reevaluation };
  }

  /** Entries that suppress and export: active and unexpired. */
  const exportableEntries = (listId: string) => entries.activeEntries(db.sql, new Date(), listId);

  return { createList, lists, getList, listEntries, addEntry, addEntrySql, approve, approveMany, revoke, exportableEntries, keyOf, affectedBy, listOrThrow };
}

export type ListsService = ReturnType<typeof createListsService>;
