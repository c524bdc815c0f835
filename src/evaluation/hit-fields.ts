import type { Sql } from '../db/sql.js';
import { canonicalFields } from '../fields/row-table.js';
import { allHuntCores } from '../hunts/hunts-store.js';
import type { HitInput } from './evaluate.js';

/** A stored hit as far as its fields go: the row's own table (if it named one) and the raw row. */
export interface StoredRow { huntId: string; table: string | null; raw: string | Readonly<Record<string, unknown>> }

/** Which canonical fields a hunt's hits need (null: all of them). */
export type WantedFields = (huntId: string) => ReadonlySet<string> | null;

interface HuntFields { table: string | null; tables: string[]; only: ReadonlySet<string> | undefined }

/**
 * Canonical fields are not stored: they follow from the raw row and its table (SPEC §3) through `canonicalFields`,
 * the one function ingest uses too. A reader is made per operation, with every hunt's tables read once. With `wanted`,
 * only the fields a caller reads are derived (re-evaluation: those its rules name); the rest of the hit is left without
 * them.
 */
export async function fieldReader(sql: Sql, wanted?: WantedFields) {
  const cores = await allHuntCores(sql);
  const hunts = new Map<string, HuntFields>();
  function huntFields(huntId: string): HuntFields {
    let t = hunts.get(huntId);
    if (t === undefined) {
      const h = cores.get(huntId);
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

export type FieldReader = Awaited<ReturnType<typeof fieldReader>>;
