import { insertSql, marks } from '../db/sql.js';
import { foldAscii } from '../language/index.js';
import { randomUUID } from 'node:crypto';
import type { Sqlite } from '../db/database.js';
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

export const findEntry = (sqlite: Sqlite, listId: string, id: string) =>
  sqlite.prepare('SELECT * FROM "SuppressionEntry" WHERE "listId" = ? AND "id" = ?').get(listId, id) as EntryRow | undefined;

/** Entries of one list by id, in one query per 500 ids; ids of other lists or of no entry are simply absent. */
export function findEntriesByIds(sqlite: Sqlite, listId: string, ids: readonly string[]): Map<string, EntryRow> {
  const out = new Map<string, EntryRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = sqlite.prepare(`SELECT * FROM "SuppressionEntry" WHERE "listId" = ? AND "id" IN (${marks(part.length)})`)
      .all(listId, ...part) as EntryRow[];
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** A live (active or pending, unexpired) entry with this key, compared case-insensitively as Sentinel's `in~` does. */
export function findLiveEntryByKey(sqlite: Sqlite, listId: string, searchKey: string, now: Date): EntryRow | undefined {
  const rows = sqlite.prepare(`SELECT * FROM "SuppressionEntry" WHERE "listId" = ? AND "status" IN ('active', 'pending')
    AND ("expiresAt" IS NULL OR "expiresAt" > ?)`).all(listId, sqlTime(now)) as EntryRow[];
  const k = foldAscii(searchKey);
  return rows.find((r) => foldAscii(r.searchKey) === k);
}

export function insertEntry(sqlite: Sqlite, actor: Actor, e: {
  listId: string; searchKey: string; values: Record<string, string>; reason: string; sourceVerdictId: string | null;
  status: 'active' | 'pending'; expiresAt: Date | null;
}): EntryRow {
  const now = sqlTime(new Date());
  const row: EntryRow = {
    id: randomUUID(), listId: e.listId, searchKey: e.searchKey, values: JSON.stringify(e.values), reason: e.reason,
    sourceVerdictId: e.sourceVerdictId, status: e.status, addedBy: actor.name, addedAt: now,
    expiresAt: e.expiresAt ? sqlTime(e.expiresAt) : null,
    approvedBy: e.status === 'active' ? actor.name : null, approvedAt: e.status === 'active' ? now : null,
    revokedBy: null, revokedAt: null, revokeReason: null,
  };
  const cols = Object.keys(row) as (keyof EntryRow)[];
  sqlite.prepare(insertSql('SuppressionEntry', cols))
    .run(...cols.map((c) => row[c]));
  recordAuditSql(sqlite, { actor, action: 'entry.create', entityType: 'suppression-entry', entityId: row.id, after: entryView(row) });
  return row;
}

export function approveEntry(sqlite: Sqlite, actor: Actor, before: EntryRow): EntryRow {
  const now = sqlTime(new Date());
  sqlite.prepare(`UPDATE "SuppressionEntry" SET "status" = 'active', "approvedBy" = ?, "approvedAt" = ? WHERE "id" = ?`).run(actor.name, now, before.id);
  const after = { ...before, status: 'active', approvedBy: actor.name, approvedAt: now };
  recordAuditSql(sqlite, { actor, action: 'entry.approve', entityType: 'suppression-entry', entityId: before.id,
    before: entryView(before), after: entryView(after) });
  return after;
}

export function revokeEntry(sqlite: Sqlite, actor: Actor, before: EntryRow, reason: string): EntryRow {
  const now = sqlTime(new Date());
  sqlite.prepare(`UPDATE "SuppressionEntry" SET "status" = 'revoked', "revokedBy" = ?, "revokedAt" = ?, "revokeReason" = ? WHERE "id" = ?`)
    .run(actor.name, now, reason, before.id);
  const after = { ...before, status: 'revoked', revokedBy: actor.name, revokedAt: now, revokeReason: reason };
  recordAuditSql(sqlite, { actor, action: 'entry.revoke', entityType: 'suppression-entry', entityId: before.id,
    before: entryView(before), after: entryView(after) });
  return after;
}

/** Entries that suppress and export now: active and unexpired. */
export function activeEntries(sqlite: Sqlite, now: Date, listId?: string): EntryRow[] {
  const base = `SELECT * FROM "SuppressionEntry" WHERE "status" = 'active' AND ("expiresAt" IS NULL OR "expiresAt" > ?)`;
  return (listId
    ? sqlite.prepare(`${base} AND "listId" = ? ORDER BY "addedAt", "id"`).all(sqlTime(now), listId)
    : sqlite.prepare(`${base} ORDER BY "addedAt", "id"`).all(sqlTime(now))) as EntryRow[];
}

/** The cells a watchlist export writes of one entry: searchKey, values (JSON), reason, addedBy, addedAt, expiresAt. */
export type ExportRow = [searchKey: string, values: string, reason: string, addedBy: string, addedAt: string, expiresAt: string | null];

/**
 * activeEntries' entries of one list with only the cells an export writes, as arrays (no object per row: a list can
 * have 100,000 entries). `searchKey` order comes free from the (listId, searchKey) index; `added` is the order of
 * activeEntries (and of every export before lists were cut into parts), which costs SQLite a sort.
 */
export function activeExportRows(sqlite: Sqlite, listId: string, now: Date, order: 'searchKey' | 'added'): ExportRow[] {
  return sqlite.prepare(`SELECT "searchKey", "values", "reason", "addedBy", "addedAt", "expiresAt" FROM "SuppressionEntry"
    WHERE "listId" = ? AND "status" = 'active' AND ("expiresAt" IS NULL OR "expiresAt" > ?)
    ORDER BY ${order === 'searchKey' ? '"searchKey"' : '"addedAt", "id"'}`).raw(true).all(listId, sqlTime(now)) as ExportRow[];
}

export function activeEntryCount(sqlite: Sqlite, listId: string, now: Date): number {
  return Number((sqlite.prepare(`SELECT COUNT(*) AS n FROM "SuppressionEntry" WHERE "listId" = ? AND "status" = 'active'
    AND ("expiresAt" IS NULL OR "expiresAt" > ?)`).get(listId, sqlTime(now)) as { n: number | bigint }).n);
}

/** Active entries whose time has come: nothing was written when they expired, so the sweeper asks. */
export function expiredActiveEntryIds(sqlite: Sqlite, now: Date): string[] {
  return (sqlite.prepare(`SELECT "id" FROM "SuppressionEntry" WHERE "status" = 'active' AND "expiresAt" IS NOT NULL AND "expiresAt" <= ?`)
    .all(sqlTime(now)) as { id: string }[]).map((r) => r.id);
}

/** Entry counts of a list by shown status (an active entry past its expiry counts as expired). */
export function entryCounts(sqlite: Sqlite, listId: string, now: Date): Record<string, number> {
  const rows = sqlite.prepare(`SELECT CASE WHEN "status" = 'active' AND "expiresAt" IS NOT NULL AND "expiresAt" <= ? THEN 'expired' ELSE "status" END AS s,
    COUNT(*) AS n FROM "SuppressionEntry" WHERE "listId" = ? GROUP BY s`).all(sqlTime(now), listId) as { s: string; n: number | bigint }[];
  const out: Record<string, number> = { active: 0, pending: 0, revoked: 0, expired: 0 };
  for (const r of rows) out[r.s] = Number(r.n);
  return out;
}

export const entriesOfList = (sqlite: Sqlite, listId: string) =>
  sqlite.prepare('SELECT * FROM "SuppressionEntry" WHERE "listId" = ? ORDER BY "addedAt" DESC, "id" DESC').all(listId) as EntryRow[];

/** Active entries that expire after `now` and no later than `until`, soonest first. */
export function entriesExpiringBy(sqlite: Sqlite, now: Date, until: Date, limit: number): EntryRow[] {
  return sqlite.prepare(`SELECT * FROM "SuppressionEntry" WHERE "status" = 'active' AND "expiresAt" > ? AND "expiresAt" <= ?
    ORDER BY "expiresAt", "id" LIMIT ?`).all(sqlTime(now), sqlTime(until), limit) as EntryRow[];
}
