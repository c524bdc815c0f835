import { insertSql } from '../db/sql.js';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/database.js';
import { isoTime, sqlTime } from '../db/time.js';

// ---- ListTarget: the connections a list is synced to ----

export interface TargetRow { listId: string; connectionId: string; addedAt: string; addedBy: string }

export const targetsOf = (sqlite: Sqlite, listId: string) =>
  sqlite.prepare('SELECT * FROM "ListTarget" WHERE "listId" = ? ORDER BY "addedAt", "connectionId"').all(listId) as TargetRow[];

/** Replaces a list's targets with `connectionIds`, keeping the rows (and addedAt) of those that stay. */
export function replaceTargets(sqlite: Sqlite, listId: string, connectionIds: readonly string[], addedBy: string): void {
  const keep = new Set(connectionIds);
  for (const t of targetsOf(sqlite, listId)) {
    if (!keep.has(t.connectionId)) sqlite.prepare('DELETE FROM "ListTarget" WHERE "listId" = ? AND "connectionId" = ?').run(listId, t.connectionId);
  }
  const insert = sqlite.prepare('INSERT OR IGNORE INTO "ListTarget" ("listId", "connectionId", "addedAt", "addedBy") VALUES (?, ?, ?, ?)');
  const now = sqlTime(new Date());
  for (const id of connectionIds) insert.run(listId, id, now, addedBy);
}

/** The lists that sync to a connection (a connection they target cannot be deleted). */
export const listsTargeting = (sqlite: Sqlite, connectionId: string) =>
  sqlite.prepare(`SELECT t."listId" AS listId, l."alias" AS alias FROM "ListTarget" t JOIN "SuppressionList" l ON l."id" = t."listId"
    WHERE t."connectionId" = ? ORDER BY l."alias"`).all(connectionId) as { listId: string; alias: string }[];

// ---- SyncRun: every sync, its plan and what it applied ----

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'refused' | 'dry-run' | 'interrupted';
export type AppliedColumn = 'created' | 'updated' | 'deleted';

export interface RunRow {
  id: string; listId: string; connectionId: string; connectionName: string; workspaceId: string; watchlistAlias: string;
  dryRun: number | boolean; status: RunStatus; startedAt: string; finishedAt: string | null; startedBy: string;
  plannedCreate: number; plannedUpdate: number; plannedDelete: number; created: number; updated: number; deleted: number; error: string | null;
}

export function runView(r: RunRow) {
  return {
    id: r.id, listId: r.listId, connectionId: r.connectionId, connectionName: r.connectionName, workspaceId: r.workspaceId,
    watchlistAlias: r.watchlistAlias, dryRun: Boolean(Number(r.dryRun)), status: r.status, startedAt: isoTime(r.startedAt)!,
    finishedAt: isoTime(r.finishedAt), startedBy: r.startedBy,
    planned: { create: Number(r.plannedCreate), update: Number(r.plannedUpdate), delete: Number(r.plannedDelete) },
    applied: { created: Number(r.created), updated: Number(r.updated), deleted: Number(r.deleted) },
    error: r.error,
  };
}
export type RunView = ReturnType<typeof runView>;

export function insertRun(sqlite: Sqlite, r: RunRow): void {
  const cols = Object.keys(r) as (keyof RunRow)[];
  sqlite.prepare(insertSql('SyncRun', cols))
    .run(...cols.map((c) => (c === 'dryRun' ? Number(r.dryRun) : c === 'startedAt' || c === 'finishedAt' ? (r[c] ? sqlTime(r[c]!) : null) : r[c])));
}

export const findRun = (sqlite: Sqlite, id: string) => sqlite.prepare('SELECT * FROM "SyncRun" WHERE "id" = ?').get(id) as RunRow | undefined;

// countApplied runs once per item written (10,000 times for a big list): its statements are prepared once per connection.
const counters = new WeakMap<Sqlite, Record<AppliedColumn, Statement<[number, string]>>>();

/** One applied item change, written as it happens: a run killed half-way still shows (and is charged) what it did. */
export function countApplied(sqlite: Sqlite, runId: string, column: AppliedColumn, by = 1): void {
  let stmts = counters.get(sqlite);
  if (!stmts) {
    const make = (c: AppliedColumn) => sqlite.prepare<[number, string]>(`UPDATE "SyncRun" SET "${c}" = "${c}" + ? WHERE "id" = ?`);
    counters.set(sqlite, (stmts = { created: make('created'), updated: make('updated'), deleted: make('deleted') }));
  }
  stmts[column].run(by, runId);
}

export function finishRun(sqlite: Sqlite, runId: string, status: RunStatus, error: string | null): RunRow {
  sqlite.prepare('UPDATE "SyncRun" SET "status" = ?, "finishedAt" = ?, "error" = ? WHERE "id" = ?').run(status, sqlTime(new Date()), error, runId);
  return findRun(sqlite, runId)!;
}

/** Runs of this list and connection still marked running; the caller decides which of them no process holds. */
export const runningRuns = (sqlite: Sqlite, listId: string, connectionId: string) =>
  sqlite.prepare(`SELECT * FROM "SyncRun" WHERE "listId" = ? AND "connectionId" = ? AND "status" = 'running'`).all(listId, connectionId) as RunRow[];

/** Item changes applied to a workspace since `since` (dry runs apply none). */
export function changesSince(sqlite: Sqlite, workspaceId: string, since: Date): number {
  const row = sqlite.prepare(`SELECT COALESCE(SUM("created" + "updated" + "deleted"), 0) AS n FROM "SyncRun"
    WHERE "workspaceId" = ? AND "startedAt" >= ?`).get(workspaceId, sqlTime(since)) as { n: number | bigint };
  return Number(row.n);
}

/** A list's runs, newest first (ids are UUIDv7, so they sort by start), `limit + 1` so the caller knows if more follow. */
export function runsOf(sqlite: Sqlite, listId: string, before: string | undefined, limit: number): RunRow[] {
  return (before === undefined
    ? sqlite.prepare('SELECT * FROM "SyncRun" WHERE "listId" = ? ORDER BY "id" DESC LIMIT ?').all(listId, limit + 1)
    : sqlite.prepare('SELECT * FROM "SyncRun" WHERE "listId" = ? AND "id" < ? ORDER BY "id" DESC LIMIT ?').all(listId, before, limit + 1)) as RunRow[];
}
