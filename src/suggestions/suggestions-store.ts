import { randomUUID } from 'node:crypto';
import type { Sqlite } from '../db/database.js';
import { sqlTime } from '../db/time.js';

export function dismissedExpressions(sqlite: Sqlite, huntId: string): Set<string> {
  return new Set((sqlite.prepare('SELECT "expression" FROM "SuggestionDismissal" WHERE "huntId" = ?').all(huntId) as { expression: string }[])
    .map((r) => r.expression));
}

export function insertDismissal(sqlite: Sqlite, d: { huntId: string; expression: string; by: string; at: Date }): void {
  sqlite.prepare(`INSERT OR IGNORE INTO "SuggestionDismissal" ("id", "huntId", "expression", "dismissedBy", "dismissedAt") VALUES (?, ?, ?, ?, ?)`)
    .run(randomUUID(), d.huntId, d.expression, d.by, sqlTime(d.at));
}
