import { insertSql, type Sql } from '../db/sql.js';
import { isoTime, sqlTime } from '../db/time.js';

// ---- ListTarget: the connections a list is synced to ----

export interface TargetRow { listId: string; connectionId: string; addedAt: string; addedBy: string }

export const targetsOf = (sql: Sql, listId: string) =>
  sql.all<TargetRow>('SELECT * FROM "ListTarget" WHERE "listId" = ? ORDER BY "addedAt", "connectionId"', [listId]);

/** Replaces a list's targets with `connectionIds`, keeping the rows (and addedAt) of those that stay. */
export async function replaceTargets(sql: Sql, listId: string, connectionIds: readonly string[], addedBy: string): Promise<void> {
  const keep = new Set(connectionIds);
  for (const t of await targetsOf(sql, listId)) {
    if (!keep.has(t.connectionId)) await sql.run('DELETE FROM "ListTarget" WHERE "listId" = ? AND "connectionId" = ?', [listId, t.connectionId]);
  }
  const now = sqlTime(new Date());
  await sql.insertMany('ListTarget', ['listId', 'connectionId', 'addedAt', 'addedBy'], connectionIds.map((id) => [listId, id, now, addedBy]),
    'ON CONFLICT DO NOTHING');
}

/** The lists that sync to a connection (a connection they target cannot be deleted). */
export const listsTargeting = (sql: Sql, connectionId: string) =>
  sql.all<{ listId: string; alias: string }>(`SELECT t."listId" AS "listId", l."alias" AS "alias" FROM "ListTarget" t JOIN "SuppressionList" l ON l."id" = t."listId"
    WHERE t."connectionId" = ? ORDER BY l."alias"`, [connectionId]);

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

export async function insertRun(sql: Sql, r: RunRow): Promise<void> {
  const cols = Object.keys(r) as (keyof RunRow)[];
  await sql.run(insertSql('SyncRun', cols),
    cols.map((c) => (c === 'dryRun' ? Number(r.dryRun) : c === 'startedAt' || c === 'finishedAt' ? (r[c] ? sqlTime(r[c]!) : null) : r[c])));
}

export const findRun = (sql: Sql, id: string) => sql.get<RunRow>('SELECT * FROM "SyncRun" WHERE "id" = ?', [id]);

/** One applied item change, written as it happens: a run killed half-way still shows (and is charged) what it did. */
export async function countApplied(sql: Sql, runId: string, column: AppliedColumn, by = 1): Promise<void> {
  await sql.run(`UPDATE "SyncRun" SET "${column}" = "${column}" + ? WHERE "id" = ?`, [by, runId]);
}

export async function finishRun(sql: Sql, runId: string, status: RunStatus, error: string | null): Promise<RunRow> {
  await sql.run('UPDATE "SyncRun" SET "status" = ?, "finishedAt" = ?, "error" = ? WHERE "id" = ?', [status, sqlTime(new Date()), error, runId]);
  return (await findRun(sql, runId))!;
}

/** Runs of this list and connection still marked running; the caller decides which of them no process holds. */
export const runningRuns = (sql: Sql, listId: string, connectionId: string) =>
  sql.all<RunRow>(`SELECT * FROM "SyncRun" WHERE "listId" = ? AND "connectionId" = ? AND "status" = 'running'`, [listId, connectionId]);

/** Item changes applied to a workspace since `since` (dry runs apply none). */
export async function changesSince(sql: Sql, workspaceId: string, since: Date): Promise<number> {
  const row = await sql.get<{ n: number }>(`SELECT COALESCE(SUM("created" + "updated" + "deleted"), 0) AS n FROM "SyncRun"
    WHERE "workspaceId" = ? AND "startedAt" >= ?`, [workspaceId, sqlTime(since)]);
  return Number(row!.n);
}

/** A list's runs, newest first (ids are UUIDv7, so they sort by start), `limit + 1` so the caller knows if more follow. */
export function runsOf(sql: Sql, listId: string, before: string | undefined, limit: number): Promise<RunRow[]> {
  return before === undefined
    ? sql.all<RunRow>('SELECT * FROM "SyncRun" WHERE "listId" = ? ORDER BY "id" DESC LIMIT ?', [listId, limit + 1])
    : sql.all<RunRow>('SELECT * FROM "SyncRun" WHERE "listId" = ? AND "id" < ? ORDER BY "id" DESC LIMIT ?', [listId, before, limit + 1]);
}
