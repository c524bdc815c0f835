import type { Sqlite } from '../db/database.js';
import { canonicalFields } from '../fields/row-table.js';
import { findHuntCore } from '../hunts/hunts-store.js';
import type { HitInput } from './evaluate.js';

/** A stored hit as far as its fields go: the row's own table (if it named one) and the raw row. */
export interface StoredRow { huntId: string; table: string | null; raw: string | Readonly<Record<string, unknown>> }

/**
 * Canonical fields are not stored: they follow from the raw row and its table (SPEC §3) through `canonicalFields`,
 * the one function ingest uses too. One reader per operation caches each hunt's table.
 */
export function fieldReader(sqlite: Sqlite) {
  const tables = new Map<string, { table: string | null; tables: string[] }>();
  function huntTables(huntId: string): { table: string | null; tables: string[] } {
    let t = tables.get(huntId);
    if (t === undefined) {
      const h = findHuntCore(sqlite, huntId);
      t = { table: h?.table ?? null, tables: h?.tables ?? [] };
      tables.set(huntId, t);
    }
    return t;
  }
  return (hit: StoredRow): HitInput => {
    const raw = typeof hit.raw === 'string' ? JSON.parse(hit.raw) as Record<string, unknown> : hit.raw;
    const h = huntTables(hit.huntId);
    return { fields: canonicalFields(h.table, hit.table, raw, h.tables).fields, raw };
  };
}

export type FieldReader = ReturnType<typeof fieldReader>;
