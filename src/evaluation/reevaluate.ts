import type { Db } from '../db/database.js';
import { hitsToEvaluate, writeEvaluations, type Affected } from '../hits/hits-store.js';
import { evaluateHit, type EvalContext } from './evaluate.js';
import { fieldReader } from './hit-fields.js';
import { fieldsReadFor, type ContextLoader } from './evaluation-context.js';

export type { Affected } from '../hits/hits-store.js';
export interface ReevaluateResult { examined: number; changed: number }

/**
 * Re-evaluates the affected hits in batches of `batchSize`, each batch read and written in its own transaction,
 * yielding to the event loop between batches: a million hits never sit in memory at once and the API stays
 * responsive. Only hits whose status or matches change are written.
 */
export function createReevaluator(db: Db, contexts: ContextLoader) {
  async function reevaluate(affected: Affected, opts: { now?: Date; context?: EvalContext; batchSize?: number } = {}): Promise<ReevaluateResult> {
    const ctx = opts.context ?? await contexts.load(opts.now);
    let examined = 0, changed = 0;
    // Only the canonical fields the rules read are derived: the rest of normalisation is most of a hit's cost.
    const fields = await fieldReader(db.sql, (huntId) => fieldsReadFor(ctx, huntId));
    let after: number | string | null = null;
    for (;;) {
      const done = await db.bulk(async (sql) => {
        const page = await hitsToEvaluate(sql, affected, after, opts.batchSize ?? 5000);
        if (!page.length) return true;
        const outcomes: [number | string, string, string][] = [];
        for (const h of page) {
          examined++;
          const ev = evaluateHit(ctx, h.huntId, fields(h), h.verdict);
          const matches = ev.matches.length ? JSON.stringify(ev.matches) : '[]';
          if (ev.status !== h.status || matches !== h.matches) outcomes.push([h.at, ev.status, matches]);
        }
        await writeEvaluations(sql, outcomes);
        changed += outcomes.length;
        after = page[page.length - 1]!.at;
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
