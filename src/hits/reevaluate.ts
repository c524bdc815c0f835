import type { Db } from '../db/database.js';
import { iterateHits, hitWriter } from './hits-store.js';
import { evaluateHit, type EvalContext } from './evaluate.js';
import { fieldReader, storedHit } from './hit-fields.js';
import type { ContextLoader } from './evaluation-context.js';

/** Which stored hits a change can affect; only those are re-evaluated. */
export type Affected =
  | { all: true }
  | { huntIds: readonly string[] }
  | { userNames: readonly string[] }
  | { hitIds: readonly string[] }
  /** Hits whose stored matches mention a rule, list or entry id (expiry, revocation). */
  | { mentioning: readonly string[] }
  /** Hits of these hunts whose raw row contains every one of these values (a new list entry's key). */
  | { huntIds: readonly string[]; rawContains: readonly string[] };

function whereFor(a: Affected): { sql: string; params: unknown[] } | null {
  const list = (xs: readonly unknown[]) => xs.map(() => '?').join(',');
  if ('all' in a) return { sql: '1 = 1', params: [] };
  if ('rawContains' in a) {
    if (!a.huntIds.length) return null;
    // A prefilter only: evaluation decides. JSON-escaped and lower-cased, as the value sits in the stored raw text.
    // SQL LOWER folds ASCII only, so non-ASCII values are left out of the prefilter rather than risk a miss.
    const values = a.rawContains.filter((v) => /^[\x20-\x7e]*$/.test(v));
    const likes = values.map(() => `LOWER("raw") LIKE ? ESCAPE '\\'`);
    return { sql: [`"huntId" IN (${list(a.huntIds)})`, ...likes].join(' AND '),
      params: [...a.huntIds, ...values.map((v) => `%${JSON.stringify(v).slice(1, -1).toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)] };
  }
  if ('huntIds' in a) return a.huntIds.length ? { sql: `"huntId" IN (${list(a.huntIds)})`, params: [...a.huntIds] } : null;
  if ('userNames' in a) return a.userNames.length ? { sql: `"userName" IN (${list(a.userNames)})`, params: [...a.userNames] } : null;
  if ('hitIds' in a) return a.hitIds.length ? { sql: `"id" IN (${list(a.hitIds)})`, params: [...a.hitIds] } : null;
  // Ids are UUIDs, so a substring match on the JSON text cannot hit anything else.
  return a.mentioning.length ? { sql: a.mentioning.map(() => '"matches" LIKE ?').join(' OR '), params: a.mentioning.map((id) => `%"${id}"%`) } : null;
}

export interface ReevaluateResult { examined: number; changed: number }

/**
 * Re-evaluates the affected hits in batches of `batchSize`, each batch its own transaction, yielding to the event
 * loop between batches: a million hits never sit in memory at once and the API stays responsive.
 */
export function createReevaluator(db: Db, contexts: ContextLoader) {
  async function reevaluate(affected: Affected, opts: { now?: Date; context?: EvalContext; batchSize?: number } = {}): Promise<ReevaluateResult> {
    const where = whereFor(affected);
    if (!where) return { examined: 0, changed: 0 };
    const ctx = opts.context ?? contexts.load(opts.now);
    let examined = 0, changed = 0;
    const fields = fieldReader(db.sqlite);
    const selective = 'hitIds' in affected || 'userNames' in affected;
    const batches = iterateHits(db.sqlite, where.sql, where.params, opts.batchSize ?? 5000, { selective });
    for (;;) {
      const done = await db.bulk((sqlite) => {
        const next = batches.next();
        if (next.done) return true;
        const writer = hitWriter(sqlite);
        for (const h of next.value) {
          examined++;
          const ev = evaluateHit(ctx, h.huntId, storedHit(fields, h.huntId, h.raw), h.verdict);
          const matches = JSON.stringify(ev.matches);
          if (ev.status !== h.status || matches !== h.matches) {
            writer.setEvaluation(h.id, ev.status, matches);
            changed++;
          }
        }
        return false;
      });
      if (done) break;
      await new Promise((r) => setImmediate(r));
    }
    return { examined, changed };
  }
  return { reevaluate };
}

export type Reevaluator = ReturnType<typeof createReevaluator>;
