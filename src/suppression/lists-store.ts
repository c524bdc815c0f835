import { marks, type Sql } from '../db/sql.js';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import { fromJson, toJson } from '../db/json.js';
import { isoTime } from '../db/time.js';

export interface ListRecord {
  id: string; alias: string; displayName: string; description: string; hunts: string[]; keyColumns: string[];
  entryLifetimeDays: number; requireApproval: boolean; createdAt: string | null; createdBy: string; updatedAt: string | null;
}

type ListRow = { id: string; alias: string; displayName: string; description: string; hunts: string; keyColumns: string;
  entryLifetimeDays: number | bigint; requireApproval: number | bigint | boolean; createdAt: string | Date; createdBy: string; updatedAt: string | Date };

const listRecord = (l: ListRow): ListRecord => ({
  id: l.id, alias: l.alias, displayName: l.displayName, description: l.description,
  hunts: fromJson<string[]>(l.hunts, []), keyColumns: fromJson<string[]>(l.keyColumns, []),
  entryLifetimeDays: Number(l.entryLifetimeDays), requireApproval: Boolean(Number(l.requireApproval)),
  createdAt: isoTime(l.createdAt), createdBy: l.createdBy, updatedAt: isoTime(l.updatedAt),
});

export async function findList(sql: Sql, id: string): Promise<ListRecord | undefined> {
  const row = await sql.get<ListRow>('SELECT * FROM "SuppressionList" WHERE "id" = ?', [id]);
  return row && listRecord(row);
}

export async function allLists(sql: Sql): Promise<ListRecord[]> {
  return (await sql.all<ListRow>('SELECT * FROM "SuppressionList" ORDER BY "alias"')).map(listRecord);
}

/** The lists that serve a hunt: their entries can suppress its hits. */
export const listsServingHunt = async (sql: Sql, huntId: string) => (await allLists(sql)).filter((l) => l.hunts.includes(huntId));

export const aliasTaken = async (tx: Tx, alias: string) => (await tx.suppressionList.findUnique({ where: { alias } })) !== null;

export async function insertList(tx: Tx, l: { alias: string; displayName: string; description: string; hunts: string[]; keyColumns: string[];
  entryLifetimeDays: number; requireApproval: boolean; createdBy: string }): Promise<ListRecord> {
  const now = new Date();
  const row = await tx.suppressionList.create({ data: {
    id: randomUUID(), ...l, hunts: toJson(l.hunts), keyColumns: toJson(l.keyColumns), createdAt: now, updatedAt: now,
  } });
  return listRecord(row);
}

/** List aliases by id, in one query (a page of hits names its lists with this, never per hit). */
export async function listAliasesByIds(sql: Sql, ids: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(ids)];
  if (!list.length) return new Map();
  const rows = await sql.all<{ id: string; alias: string }>(`SELECT "id", "alias" FROM "SuppressionList" WHERE "id" IN (${marks(list.length)})`, list);
  return new Map(rows.map((r) => [r.id, r.alias]));
}
