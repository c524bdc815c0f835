import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import type { PrismaClient } from '../generated/prisma/client.js';

type Reader = Tx | PrismaClient;

export interface RuleData {
  name: string; description: string; expression: string; allHunts: boolean; hunts: string; action: string; enabled: boolean;
  expiresAt: Date | null; owner: string; justification: string; warnings: string; retired: boolean;
}

export const findRule = (db: Reader, id: string) => db.rule.findUnique({ where: { id } });
export const listRules = (db: Reader, includeRetired: boolean) =>
  db.rule.findMany({ where: includeRetired ? {} : { retired: false }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
export const listRuleVersions = (db: Reader, ruleId: string) =>
  db.ruleVersion.findMany({ where: { ruleId }, orderBy: { version: 'desc' } });

export async function insertRule(tx: Tx, data: RuleData, by: string, id: string = randomUUID()) {
  const now = new Date();
  const rule = await tx.rule.create({ data: { id, ...data, version: 1, createdAt: now, createdBy: by, updatedAt: now, updatedBy: by } });
  await insertVersion(tx, rule, by);
  return rule;
}

/** Compare-and-set on the version: a concurrent edit makes the update touch no row, reported as stale. */
export async function updateRule(tx: Tx, id: string, expectedVersion: number, data: RuleData, by: string) {
  const { count } = await tx.rule.updateMany({
    where: { id, version: expectedVersion },
    data: { ...data, version: expectedVersion + 1, updatedAt: new Date(), updatedBy: by },
  });
  if (count === 0) return null;
  const rule = (await tx.rule.findUnique({ where: { id } }))!;
  await insertVersion(tx, rule, by);
  return rule;
}

type RuleRow = NonNullable<Awaited<ReturnType<typeof findRule>>>;

function insertVersion(tx: Tx, rule: RuleRow, by: string) {
  return tx.ruleVersion.create({
    data: { id: randomUUID(), ruleId: rule.id, version: rule.version, snapshot: JSON.stringify(rule), createdAt: new Date(), createdBy: by },
  });
}
