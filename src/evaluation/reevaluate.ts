import type { Db, Sql } from '../db/database.js';
import { hitsToEvaluate, writeEvaluations, type Affected } from '../hits/hits-store.js';
import { evaluateHit, type EvalContext } from './evaluate.js';
import { fieldReader, type FieldReader } from './hit-fields.js';
import { fieldsReadFor, type ContextLoader } from './evaluation-context.js';

export type { Affected } from '../hits/hits-store.js';
export interface ReevaluateResult { examined: number; changed: number }

/** One page of the affected hits after `after`, evaluated and its changes written, in the caller's transaction. */
async function pageOnce(sql: Sql, ctx: EvalContext, fields: FieldReader, affected: Affected, after: number | string | null, size: number) {
  const page = await hitsToEvaluate(sql, affected, after, size);
  const outcomes: [number | string, string, string][] = [];
  for (const h of page) {
    const ev = evaluateHit(ctx, h.huntId, fields(h), h.verdict);
    const matches = ev.matches.length ? JSON.stringify(ev.matches) : '[]';
    if (ev.status !== h.status || matches !== h.matches) outcomes.push([h.at, ev.status, matches]);
  }
  await writeEvaluations(sql, outcomes);
  return { examined: page.length, changed: outcomes.length, last: page.length ? page[page.length - 1]!.at : null };
}

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
    for (let after: number | string | null = null; ;) {
      const r = await db.bulk((sql) => pageOnce(sql, ctx, fields, affected, after, opts.batchSize ?? 5000));
      examined += r.examined;
      changed += r.changed;
      if (r.last === null) break;
      after = r.last;
      await new Promise((r) => setImmediate(r));
    }
    return { examined, changed };
  }

  /**
   * The same for a few hits (by id) inside a transaction the caller holds, with what that transaction sees: a verdict
   * re-evaluates its own hit without waiting for the write lock a second time.
   */
  async function reevaluateWithin(sql: Sql, hitIds: readonly string[]): Promise<ReevaluateResult> {
    if (!hitIds.length) return { examined: 0, changed: 0 };
    const ctx = await contexts.load(new Date(), { sql });
    const fields = await fieldReader(sql, (huntId) => fieldsReadFor(ctx, huntId));
    let examined = 0, changed = 0;
    for (let i = 0; i < hitIds.length; i += 500) {
      const r = await pageOnce(sql, ctx, fields, { hitIds: hitIds.slice(i, i + 500) }, null, 500);
      examined += r.examined;
      changed += r.changed;
    }
    return { examined, changed };
  }

  return { reevaluate, reevaluateWithin };
}

export type Reevaluator = ReturnType<typeof createReevaluator>;
