import { marks, type Sql } from '../db/sql.js';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import { fromJson } from '../db/json.js';
import type { PrismaClient } from '../generated/prisma/client.js';

type Reader = Tx | PrismaClient;

export interface HuntRecord {
  id: string; name: string; description: string; query: string; table: string | null; tables: string; groupKeys: string;
  tactics: string; techniques: string; dataTypes: string; format: string; sourceUrl: string | null; diagnostics: string;
}

export const findHunt = (db: Reader, id: string) =>
  db.hunt.findUnique({ where: { id }, include: { scenarios: { orderBy: { position: 'asc' } } } });

export const listHunts = (db: Reader) =>
  db.hunt.findMany({ orderBy: { name: 'asc' }, include: { scenarios: { orderBy: { position: 'asc' } } } });

export function insertHunt(tx: Tx, h: HuntRecord, by: string) {
  const now = new Date();
  return tx.hunt.create({ data: { ...h, version: 1, createdAt: now, createdBy: by, updatedAt: now, updatedBy: by } });
}

export function updateHunt(tx: Tx, h: HuntRecord, version: number, by: string) {
  return tx.hunt.update({ where: { id: h.id }, data: { ...h, version, updatedAt: new Date(), updatedBy: by } });
}

export function insertHuntVersion(tx: Tx, huntId: string, version: number, document: unknown, by: string) {
  return tx.huntVersion.create({
    data: { id: randomUUID(), huntId, version, document: JSON.stringify(document), createdAt: new Date(), createdBy: by },
  });
}

export const listHuntVersions = (db: Reader, huntId: string) =>
  db.huntVersion.findMany({ where: { huntId }, orderBy: { version: 'desc' } });

/** A new scenario at the next free position; existing scenarios are never removed by an import. */
export async function appendScenario(tx: Tx, huntId: string,
  s: { title: string; filterText: string; description: string | null; source: string | null }) {
  const last = await tx.scenario.findFirst({ where: { huntId }, orderBy: { position: 'desc' } });
  return tx.scenario.create({ data: { id: randomUUID(), huntId, position: (last?.position ?? -1) + 1, ...s, createdAt: new Date() } });
}

export const updateScenario = (tx: Tx, id: string, s: { filterText: string; description: string | null; source: string | null }) =>
  tx.scenario.update({ where: { id }, data: s });

export const listScenarios = (db: Reader) =>
  db.scenario.findMany({ orderBy: [{ huntId: 'asc' }, { position: 'asc' }] });

export const scenariosWithoutRule = (db: Reader, huntIds: readonly string[]) =>
  db.scenario.findMany({ where: { ruleId: null, huntId: { in: [...huntIds] } }, orderBy: [{ huntId: 'asc' }, { position: 'asc' }] });

export const linkScenarioRule = (db: Reader, scenarioId: string, ruleId: string) =>
  db.scenario.update({ where: { id: scenarioId }, data: { ruleId } });

/** What ingest, evaluation and the tuned query need of a hunt, read on the direct connection. */
export interface HuntCore { id: string; name: string; query: string; table: string | null; tables: string[]; groupKeys: string[] }

type HuntCoreRow = { id: string; name: string; query: string; table: string | null; tables: string; groupKeys: string };
const huntCore = (h: HuntCoreRow): HuntCore => ({ ...h, tables: fromJson<string[]>(h.tables, []), groupKeys: fromJson<string[]>(h.groupKeys, []) });

export async function findHuntCore(sql: Sql, id: string): Promise<HuntCore | undefined> {
  const h = await sql.get<HuntCoreRow>('SELECT "id", "name", "query", "table", "tables", "groupKeys" FROM "Hunt" WHERE "id" = ?', [id]);
  return h && huntCore(h);
}

/** Every hunt's core by id: hunts are few, and an operation over many hits reads them once. */
export async function allHuntCores(sql: Sql): Promise<Map<string, HuntCore>> {
  const rows = await sql.all<HuntCoreRow>('SELECT "id", "name", "query", "table", "tables", "groupKeys" FROM "Hunt"');
  return new Map(rows.map((h) => [h.id, huntCore(h)]));
}

/** The ids among `ids` that name a hunt. */
export async function existingHuntIds(sql: Sql, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  return new Set((await sql.all<{ id: string }>(`SELECT "id" FROM "Hunt" WHERE "id" IN (${marks(ids.length)})`, ids)).map((r) => r.id));
}

/** The distinct source tables of these hunts (null: of every hunt), a union hunt's every table included, sorted. */
export async function huntTables(sql: Sql, ids: readonly string[] | null): Promise<string[]> {
  if (ids && !ids.length) return [];
  const rows = await sql.all<{ table: string | null; tables: string }>(ids
    ? `SELECT "table", "tables" FROM "Hunt" WHERE "id" IN (${marks(ids.length)})` : 'SELECT "table", "tables" FROM "Hunt"', ids ?? []);
  const all = new Set<string>();
  for (const r of rows) {
    if (r.table) all.add(r.table);
    for (const t of fromJson<string[]>(r.tables, [])) all.add(t);
  }
  return [...all].sort();
}
