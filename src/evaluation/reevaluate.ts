import type { Db } from '../db/database.js';
import { iterateHitsToEvaluate, evaluationWriter, type Affected } from '../hits/hits-store.js';
import { evaluateHit, type EvalContext } from './evaluate.js';
import { fieldReader } from './hit-fields.js';
import { fieldsReadFor, type ContextLoader } from './evaluation-context.js';

export type { Affected } from '../hits/hits-store.js';
export interface ReevaluateResult { examined: number; changed: number }

/**
 * Re-evaluates the affected hits in batches of `batchSize`, each batch its own transaction, yielding to the event
 * loop between batches: a million hits never sit in memory at once and the API stays responsive. Only hits whose
 * status or matches change are written.
 */
export function createReevaluator(db: Db, contexts: ContextLoader) {
  async function reevaluate(affected: Affected, opts: { now?: Date; context?: EvalContext; batchSize?: number } = {}): Promise<ReevaluateResult> {
    const ctx = opts.context ?? contexts.load(opts.now);
    let examined = 0, changed = 0;
    // Only the canonical fields the rules read are derived: the rest of normalisation is most of a hit's cost.
    const fields = fieldReader(db.sqlite, (huntId) => fieldsReadFor(ctx, huntId));
    const batches = iterateHitsToEvaluate(db.sqlite, affected, opts.batchSize ?? 5000);
    const write = evaluationWriter(db.sqlite);
    for (;;) {
      // bulk hands back db.sqlite inside its transaction, so the writer prepared on it above writes in that transaction.
      const done = await db.bulk(() => {
        const next = batches.next();
        if (next.done) return true;
        for (const h of next.value) {
          examined++;
          const ev = evaluateHit(ctx, h.huntId, fields(h), h.verdict);
          const matches = ev.matches.length ? JSON.stringify(ev.matches) : '[]';
          if (ev.status !== h.status || matches !== h.matches) {
            write(h.rowid, ev.status, matches);
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
