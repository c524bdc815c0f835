import { inChunks, insertSql, marks, type Sql } from '../db/sql.js';
import { foldAscii } from '../language/index.js';
import { randomUUID } from 'node:crypto';
import { sqlTime, isoTime } from '../db/time.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';

export interface EntryRow {
  id: string; listId: string; searchKey: string; values: string; reason: string; sourceVerdictId: string | null; status: string;
  addedBy: string; addedAt: string; expiresAt: string | null; approvedBy: string | null; approvedAt: string | null;
  revokedBy: string | null; revokedAt: string | null; revokeReason: string | null;
}

export function entryView(e: EntryRow, now = Date.now()) {
  const expired = e.expiresAt !== null && Date.parse(e.expiresAt) <= now;
  return {
    id: e.id, listId: e.listId, searchKey: e.searchKey, values: JSON.parse(e.values) as Record<string, string>, reason: e.reason,
    sourceVerdictId: e.sourceVerdictId,
    // Expiry is by the clock: an active entry past its time is shown as expired without a write.
    status: e.status === 'active' && expired ? 'expired' : e.status,
    addedBy: e.addedBy, addedAt: isoTime(e.addedAt), expiresAt: isoTime(e.expiresAt), approvedBy: e.approvedBy, approvedAt: isoTime(e.approvedAt),
    revokedBy: e.revokedBy, revokedAt: isoTime(e.revokedAt), revokeReason: e.revokeReason,
  };
}
export type EntryView = ReturnType<typeof entryView>;

export const findEntry = (sql: Sql, listId: string, id: string) =>
  sql.get<EntryRow>('SELECT * FROM "SuppressionEntry" WHERE "listId" = ? AND "id" = ?', [listId, id]);

/** Entries of one list by id, in one query per 500 ids; ids of other lists or of no entry are simply absent. */
export async function findEntriesByIds(sql: Sql, listId: string, ids: readonly string[]): Promise<Map<string, EntryRow>> {
  const rows = await inChunks(ids, (part) => sql.all<EntryRow>(`SELECT * FROM "SuppressionEntry" WHERE "listId" = ? AND "id" IN (${marks(part.length)})`,
    [listId, ...part]));
  return new Map(rows.map((r) => [r.id, r]));
}

const LIVE = `"status" IN ('active', 'pending') AND ("expiresAt" IS NULL OR "expiresAt" > ?)`;

/** A live (active or pending, unexpired) entry with this key, compared case-insensitively as Sentinel's `in~` does. */
export async function findLiveEntryByKey(sql: Sql, listId: string, searchKey: string, now: Date): Promise<EntryRow | undefined> {
  const rows = await sql.all<EntryRow>(`SELECT * FROM "SuppressionEntry" WHERE "listId" = ? AND ${LIVE}`, [listId, sqlTime(now)]);
  const k = foldAscii(searchKey);
  return rows.find((r) => foldAscii(r.searchKey) === k);
}

export async function insertEntry(sql: Sql, actor: Actor, e: {
  listId: string; searchKey: string; values: Record<string, string>; reason: string; sourceVerdictId: string | null;
  status: 'active' | 'pending'; expiresAt: Date | null;
}): Promise<EntryRow> {
  const now = sqlTime(new Date());
  const row: EntryRow = {
    id: randomUUID(), listId: e.listId, searchKey: e.searchKey, values: JSON.stringify(e.values), reason: e.reason,
    sourceVerdictId: e.sourceVerdictId, status: e.status, addedBy: actor.name, addedAt: now,
    expiresAt: e.expiresAt ? sqlTime(e.expiresAt) : null,
    approvedBy: e.status === 'active' ? actor.name : null, approvedAt: e.status === 'active' ? now : null,
    revokedBy: null, revokedAt: null, revokeReason: null,
  };
  const cols = Object.keys(row) as (keyof EntryRow)[];
  await sql.run(insertSql('SuppressionEntry', cols), cols.map((c) => row[c]));
  await recordAuditSql(sql, { actor, action: 'entry.create', entityType: 'suppression-entry', entityId: row.id, after: entryView(row) });
  return row;
}

export async function approveEntry(sql: Sql, actor: Actor, before: EntryRow): Promise<EntryRow> {
  const now = sqlTime(new Date());
  await sql.run(`UPDATE "SuppressionEntry" SET "status" = 'active', "approvedBy" = ?, "approvedAt" = ? WHERE "id" = ?`, [actor.name, now, before.id]);
  const after = { ...before, status: 'active', approvedBy: actor.name, approvedAt: now };
  await recordAuditSql(sql, { actor, action: 'entry.approve', entityType: 'suppression-entry', entityId: before.id,
    before: entryView(before), after: entryView(after) });
  return after;
}

export async function revokeEntry(sql: Sql, actor: Actor, before: EntryRow, reason: string): Promise<EntryRow> {
  const now = sqlTime(new Date());
  await sql.run(`UPDATE "SuppressionEntry" SET "status" = 'revoked', "revokedBy" = ?, "revokedAt" = ?, "revokeReason" = ? WHERE "id" = ?`,
    [actor.name, now, reason, before.id]);
  const after = { ...before, status: 'revoked', revokedBy: actor.name, revokedAt: now, revokeReason: reason };
  await recordAuditSql(sql, { actor, action: 'entry.revoke', entityType: 'suppression-entry', entityId: before.id,
    before: entryView(before), after: entryView(after) });
  return after;
}

const ACTIVE = `"status" = 'active' AND ("expiresAt" IS NULL OR "expiresAt" > ?)`;

/** Entries that suppress and export now: active and unexpired. */
export function activeEntries(sql: Sql, now: Date, listId?: string): Promise<EntryRow[]> {
  return listId
    ? sql.all<EntryRow>(`SELECT * FROM "SuppressionEntry" WHERE ${ACTIVE} AND "listId" = ? ORDER BY "addedAt", "id"`, [sqlTime(now), listId])
    : sql.all<EntryRow>(`SELECT * FROM "SuppressionEntry" WHERE ${ACTIVE} ORDER BY "addedAt", "id"`, [sqlTime(now)]);
}

/** The cells a watchlist export writes of one entry: searchKey, values (JSON), reason, addedBy, addedAt, expiresAt. */
export type ExportRow = [searchKey: string, values: string, reason: string, addedBy: string, addedAt: string, expiresAt: string | null];

/**
 * activeEntries' entries of one list with only the cells an export writes, as arrays (no object per row: a list can
 * have 100,000 entries). `searchKey` order comes free from the (listId, searchKey) index; `added` is the order of
 * activeEntries (and of every export before lists were cut into parts), which costs a sort. SearchKeys are ordered
 * by their bytes on either database (COLLATE "C" on PostgreSQL, whose default collation follows the locale), so a
 * list is cut into the same parts wherever it is stored.
 */
export function activeExportRows(sql: Sql, listId: string, now: Date, order: 'searchKey' | 'added'): Promise<ExportRow[]> {
  const byKey = sql.dialect === 'postgres' ? '"searchKey" COLLATE "C"' : '"searchKey"';
  return sql.cells<ExportRow>(`SELECT "searchKey", "values", "reason", "addedBy", "addedAt", "expiresAt" FROM "SuppressionEntry"
    WHERE "listId" = ? AND ${ACTIVE} ORDER BY ${order === 'searchKey' ? byKey : '"addedAt", "id"'}`, [listId, sqlTime(now)]);
}

export async function activeEntryCount(sql: Sql, listId: string, now: Date): Promise<number> {
  return Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "SuppressionEntry" WHERE "listId" = ? AND ${ACTIVE}`, [listId, sqlTime(now)]))!.n);
}

/** Active entries whose time has come: nothing was written when they expired, so the sweeper asks. */
export async function expiredActiveEntryIds(sql: Sql, now: Date): Promise<string[]> {
  return (await sql.all<{ id: string }>(`SELECT "id" FROM "SuppressionEntry" WHERE "status" = 'active' AND "expiresAt" IS NOT NULL AND "expiresAt" <= ?`,
    [sqlTime(now)])).map((r) => r.id);
}

/** Entry counts of a list by shown status (an active entry past its expiry counts as expired). */
export async function entryCounts(sql: Sql, listId: string, now: Date): Promise<Record<string, number>> {
  const rows = await sql.all<{ s: string; n: number }>(`SELECT CASE WHEN "status" = 'active' AND "expiresAt" IS NOT NULL AND "expiresAt" <= ? THEN 'expired'
    ELSE "status" END AS s, COUNT(*) AS n FROM "SuppressionEntry" WHERE "listId" = ? GROUP BY 1`, [sqlTime(now), listId]);
  const out: Record<string, number> = { active: 0, pending: 0, revoked: 0, expired: 0 };
  for (const r of rows) out[r.s] = Number(r.n);
  return out;
}

export const entriesOfList = (sql: Sql, listId: string) =>
  sql.all<EntryRow>('SELECT * FROM "SuppressionEntry" WHERE "listId" = ? ORDER BY "addedAt" DESC, "id" DESC', [listId]);

/** Active entries that expire after `now` and no later than `until`, soonest first. */
export function entriesExpiringBy(sql: Sql, now: Date, until: Date, limit: number): Promise<EntryRow[]> {
  return sql.all<EntryRow>(`SELECT * FROM "SuppressionEntry" WHERE "status" = 'active' AND "expiresAt" > ? AND "expiresAt" <= ?
    ORDER BY "expiresAt", "id" LIMIT ?`, [sqlTime(now), sqlTime(until), limit]);
}
