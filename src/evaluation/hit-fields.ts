import type { Sqlite } from '../db/database.js';
import { canonicalFields } from '../fields/row-table.js';
import { findHuntCore } from '../hunts/hunts-store.js';
import type { HitInput } from './evaluate.js';

/** A stored hit as far as its fields go: the row's own table (if it named one) and the raw row. */
export interface StoredRow { huntId: string; table: string | null; raw: string | Readonly<Record<string, unknown>> }

/** Which canonical fields a hunt's hits need (null: all of them). */
export type WantedFields = (huntId: string) => ReadonlySet<string> | null;

interface HuntFields { table: string | null; tables: string[]; only: ReadonlySet<string> | undefined }

/**
 * Canonical fields are not stored: they follow from the raw row and its table (SPEC §3) through `canonicalFields`,
 * the one function ingest uses too. One reader per operation caches each hunt's table. With `wanted`, only the fields
 * a caller reads are derived (re-evaluation: those its rules name); the rest of the hit is left without them.
 */
export function fieldReader(sqlite: Sqlite, wanted?: WantedFields) {
  const hunts = new Map<string, HuntFields>();
  function huntFields(huntId: string): HuntFields {
    let t = hunts.get(huntId);
    if (t === undefined) {
      const h = findHuntCore(sqlite, huntId);
      t = { table: h?.table ?? null, tables: h?.tables ?? [], only: wanted?.(huntId) ?? undefined };
      hunts.set(huntId, t);
    }
    return t;
  }
  return (hit: StoredRow): HitInput => {
    const raw = typeof hit.raw === 'string' ? JSON.parse(hit.raw) as Record<string, unknown> : hit.raw;
    const h = huntFields(hit.huntId);
    return { fields: canonicalFields(h.table, hit.table, raw, h.tables, h.only).fields, raw };
  };
}

export type FieldReader = ReturnType<typeof fieldReader>;
