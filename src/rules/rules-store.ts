import { inChunks, marks, type Sql } from '../db/sql.js';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import { fromJson } from '../db/json.js';
import { sqlTime } from '../db/time.js';
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

/** A rule as evaluation and the tuned query need it. `hunts` null: every hunt. */
export interface ActiveRule { id: string; name: string; version: number; action: 'suppress' | 'flag'; expression: string; hunts: string[] | null }

/** Rules that apply now: enabled, not retired, not expired. Expiry is decided against `now`, not by a write. */
export async function activeRules(sql: Sql, now: Date): Promise<ActiveRule[]> {
  const rows = await sql.all<{ id: string; name: string; version: number; expression: string; action: string; allHunts: number; hunts: string }>(
    `SELECT "id", "name", "version", "expression", "action", "allHunts", "hunts" FROM "Rule"
    WHERE "enabled" = TRUE AND "retired" = FALSE AND ("expiresAt" IS NULL OR "expiresAt" > ?) ORDER BY "id"`, [sqlTime(now)]);
  return rows.map((r) => ({ id: r.id, name: r.name, version: Number(r.version), action: r.action === 'flag' ? 'flag' : 'suppress',
    expression: r.expression, hunts: Number(r.allHunts) ? null : fromJson<string[]>(r.hunts, []) }));
}

/** Enabled rules whose expiry has passed: nothing was written when they expired, so the sweeper asks. */
export async function expiredEnabledRuleIds(sql: Sql, now: Date): Promise<string[]> {
  return (await sql.all<{ id: string }>(`SELECT "id" FROM "Rule" WHERE "enabled" = TRUE AND "retired" = FALSE AND "expiresAt" IS NOT NULL AND "expiresAt" <= ?`,
    [sqlTime(now)])).map((r) => r.id);
}

/** Rule names by id, in one query (a page of hits names its rules with this, never per hit). Retired rules keep theirs. */
export async function ruleNamesByIds(sql: Sql, ids: Iterable<string>): Promise<Map<string, string>> {
  const rows = await inChunks([...new Set(ids)], (part) => sql.all<{ id: string; name: string }>(`SELECT "id", "name" FROM "Rule" WHERE "id" IN (${marks(part.length)})`, part));
  return new Map(rows.map((r) => [r.id, r.name]));
}
