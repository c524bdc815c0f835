import type { Sql } from '../db/sql.js';
import { findMaliciousHits, type HitRow } from '../hits/hits-store.js';
import type { Directory } from '../directory/directory-service.js';
import { hitView, type HitInput } from './evaluate.js';
import { fieldReader } from './hit-fields.js';

/**
 * SPEC §5 rail: the hits with a malicious verdict, in the draft's scope (null: every hunt), for which the draft's
 * expression holds. Saving a suppress rule refuses on these unless forced; the backtest lists them. One definition.
 */
export async function maliciousHitsHeldBy(sql: Sql, directory: Directory, draft: { holds(hit: HitInput): boolean },
  huntIds: readonly string[] | null): Promise<HitRow[]> {
  const fields = await fieldReader(sql);
  return (await findMaliciousHits(sql, huntIds)).filter((h) => draft.holds(hitView(fields(h), directory)));
}
