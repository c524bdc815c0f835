import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import type { PrismaClient } from '../generated/prisma/client.js';

type Reader = Tx | PrismaClient;

export interface HuntRecord {
  id: string; name: string; description: string; query: string; table: string | null; groupKeys: string;
  tactics: string; techniques: string; dataTypes: string; format: string; sourceUrl: string | null; diagnostics: string;
}

export const findHunt = (db: Reader, id: string) =>
  db.hunt.findUnique({ where: { id }, include: { scenarios: { orderBy: { position: 'asc' } } } });

export const listHunts = (db: Reader) =>
  db.hunt.findMany({ orderBy: { name: 'asc' }, include: { scenarios: { orderBy: { position: 'asc' } } } });

export async function countHitsByStatus(db: Reader, huntId?: string): Promise<Map<string, Record<string, number>>> {
  const rows = await db.hit.groupBy({ by: ['huntId', 'status'], where: huntId ? { huntId } : {}, _count: { _all: true } });
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const c = out.get(r.huntId) ?? { open: 0, flagged: 0, suppressed: 0 };
    c[r.status] = r._count._all;
    out.set(r.huntId, c);
  }
  return out;
}

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

export async function upsertScenario(tx: Tx, huntId: string, position: number,
  s: { title: string; filterText: string; description: string | null; source: string | null }) {
  const existing = await tx.scenario.findUnique({ where: { huntId_position: { huntId, position } } });
  if (existing) return tx.scenario.update({ where: { id: existing.id }, data: s });
  return tx.scenario.create({ data: { id: randomUUID(), huntId, position, ...s, createdAt: new Date() } });
}

export const deleteScenariosFrom = (tx: Tx, huntId: string, position: number) =>
  tx.scenario.deleteMany({ where: { huntId, position: { gte: position } } });

export const listScenarios = (db: Reader) =>
  db.scenario.findMany({ orderBy: [{ huntId: 'asc' }, { position: 'asc' }] });
