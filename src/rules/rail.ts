import type { Db } from '../db/database.js';
import type { ContextLoader } from '../hits/evaluation-context.js';
import { hitView } from '../hits/evaluate.js';
import type { CompiledRule } from './language.js';
import { fieldReader, storedHit } from '../hits/hit-fields.js';

/** Hits with a malicious verdict, in scope, for which the draft expression holds. */
export function maliciousHitsMatching(db: Db, contexts: ContextLoader, rule: CompiledRule, huntIds: readonly string[] | null) {
  const where = huntIds ? `AND "huntId" IN (${huntIds.map(() => '?').join(',')})` : '';
  const rows = db.sqlite.prepare(`SELECT "id", "huntId", "raw" FROM "Hit" WHERE "verdict" = 'malicious' ${where}`)
    .all(...(huntIds ?? [])) as { id: string; huntId: string; raw: string }[];
  const directory = contexts.load().directory;
  const fields = fieldReader(db.sqlite);
  return rows
    .filter((h) => rule.holds(hitView(storedHit(fields, h.huntId, h.raw), directory)))
    .map((h) => ({ id: h.id, huntId: h.huntId }));
}
