import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/sql.js';
import { sqlTime } from '../db/time.js';

export async function dismissedExpressions(sql: Sql, huntId: string): Promise<Set<string>> {
  return new Set((await sql.all<{ expression: string }>('SELECT "expression" FROM "SuggestionDismissal" WHERE "huntId" = ?', [huntId])).map((r) => r.expression));
}

export async function insertDismissal(sql: Sql, d: { huntId: string; expression: string; by: string; at: Date }): Promise<void> {
  await sql.run(`INSERT INTO "SuggestionDismissal" ("id", "huntId", "expression", "dismissedBy", "dismissedAt") VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING`, [randomUUID(), d.huntId, d.expression, d.by, sqlTime(d.at)]);
}
