import type { Sqlite } from '../db/database.js';
import { normaliseRow } from '../language/index.js';

/**
 * Canonical fields are not stored: they follow from the raw row and the hunt's table (SPEC §3), so they are
 * derived when needed. One reader per operation caches each hunt's table.
 */
export function fieldReader(sqlite: Sqlite) {
  const tables = new Map<string, string>();
  const stmt = sqlite.prepare('SELECT "table" FROM "Hunt" WHERE "id" = ?');
  return (huntId: string, raw: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    let table = tables.get(huntId);
    if (table === undefined) {
      table = (stmt.get(huntId) as { table: string | null } | undefined)?.table ?? '';
      tables.set(huntId, table);
    }
    return normaliseRow(table, raw).fields;
  };
}

/** A stored hit as evaluation sees it. */
export function storedHit(fields: ReturnType<typeof fieldReader>, huntId: string, rawText: string) {
  const raw = JSON.parse(rawText) as Record<string, unknown>;
  return { fields: fields(huntId, raw), raw };
}
