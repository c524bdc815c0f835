import type { BackgroundWriter, Db, Sql } from '../db/database.js';
import { WriteLock } from '../db/write-lock.js';
import { hitsToEvaluate, writeEvaluations, writeEvaluationsIfUnchanged, type Affected, type GuardedOutcome, type HitToEvaluate } from '../hits/hits-store.js';
import { evaluateHit, type EvalContext } from './evaluate.js';
import { fieldReader, type FieldReader } from './hit-fields.js';
import { fieldsReadFor, type ContextLoader } from './evaluation-context.js';

export type { Affected } from '../hits/hits-store.js';
export interface ReevaluateResult { examined: number; changed: number }

/** The outcomes of a page that differ from what is stored. */
function evaluatePage(ctx: EvalContext, fields: FieldReader, page: readonly HitToEvaluate[]): GuardedOutcome[] {
  const outcomes: GuardedOutcome[] = [];
  for (const h of page) {
    const ev = evaluateHit(ctx, h.huntId, fields(h), h.verdict);
    const matches = ev.matches.length ? JSON.stringify(ev.matches) : '[]';
    if (ev.status !== h.status || matches !== h.matches) outcomes.push([h.at, ev.status, matches, h]);
  }
  return outcomes;
}

/** One page of the affected hits after `after`, evaluated and its changes written, in the caller's transaction. */
async function pageOnce(sql: Sql, ctx: EvalContext, fields: FieldReader, affected: Affected, after: number | string | null, size: number) {
  const page = await hitsToEvaluate(sql, affected, after, size);
  const outcomes = evaluatePage(ctx, fields, page);
  await writeEvaluations(sql, outcomes);
  return { examined: page.length, changed: outcomes.length, last: page.length ? page[page.length - 1]!.at : null };
}

/**
 * The rest of a long re-evaluation, on two threads: this one reads committed pages and evaluates them while the
 * background writer stores the previous page's outcomes. A page's outcomes are written only where the hit is still
 * as it was read; a hit changed in between (a merge, a verdict, another re-evaluation) is evaluated again at the end,
 * read and written in one transaction as a short re-evaluation is.
 */
async function pagesAlongside(db: Db, writer: BackgroundWriter, ctx: EvalContext, fields: FieldReader, affected: Affected,
  after: number | string, size: number): Promise<ReevaluateResult & { changedSinceRead: (number | string)[] }> {
  let examined = 0, changed = 0;
  const changedSinceRead: (number | string)[] = [];
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let from = after; ;) {
      const page = await hitsToEvaluate(db.sql, affected, from, size);
      if (!page.length) break;
      const outcomes = evaluatePage(ctx, fields, page);
      examined += page.length;
      // One page in flight: memory stays at two pages, and the writer is never more than a page behind.
      await writing;
      writing = writeEvaluationsIfUnchanged(writer, outcomes).then((left) => { changed += outcomes.length - left.length; changedSinceRead.push(...left); });
      writing.catch(() => undefined); // awaited at the next page; a failure meanwhile is not an unhandled rejection
      from = page[page.length - 1]!.at;
      await new Promise((r) => setImmediate(r)); // requests are answered between pages
    }
  } finally {
    await writing.catch(() => undefined);
  }
  await writing;
  return { examined, changed, changedSinceRead };
}

/**
 * Re-evaluates the affected hits in batches of `batchSize`, each batch read and written in its own transaction,
 * yielding to the event loop between batches: a million hits never sit in memory at once and the API stays
 * responsive. Only hits whose status or matches change are written. Past a full first batch, SQLite's writes move to
 * its second thread (pagesAlongside).
 */
export function createReevaluator(db: Db, contexts: ContextLoader) {
  // One re-evaluation at a time, each loading its rules when its turn comes: two that overlapped could otherwise let
  // the older (its context loaded before a later change) write its outcomes after the newer one's, leaving hits
  // suppressed by a rule already narrowed or disabled until something re-evaluated them again.
  const oneAtATime = new WriteLock();
  function reevaluate(affected: Affected, opts: { now?: Date; context?: EvalContext; batchSize?: number } = {}): Promise<ReevaluateResult> {
    return oneAtATime.run(() => reevaluateNow(affected, opts));
  }

  async function reevaluateNow(affected: Affected, opts: { now?: Date; context?: EvalContext; batchSize?: number }): Promise<ReevaluateResult> {
    const ctx = opts.context ?? await contexts.load(opts.now);
    let examined = 0, changed = 0;
    // Only the canonical fields the rules read are derived: the rest of normalisation is most of a hit's cost.
    const fields = await fieldReader(db.sql, (huntId) => fieldsReadFor(ctx, huntId));
    // 10,000 a page: on SQLite each page past the first is one commit of the writer thread, and commits (with their
    // WAL checkpoints) are most of its time; 5,000 took 8.4–8.9 s for a million hits, 10,000 7.5–7.9 s.
    const size = opts.batchSize ?? 10_000;
    for (let after: number | string | null = null; ;) {
      const r = await db.bulk((sql) => pageOnce(sql, ctx, fields, affected, after, size));
      examined += r.examined;
      changed += r.changed;
      if (r.last === null) break;
      after = r.last;
      // A full first page means a long job: the rest goes two threads wide where the database offers a second writer.
      const writer = r.examined === size && db.backgroundWriter();
      if (writer) {
        const rest = await pagesAlongside(db, writer, ctx, fields, affected, after, size);
        const again = await reevaluateAt(ctx, fields, rest.changedSinceRead);
        return { examined: examined + rest.examined, changed: changed + rest.changed + again.changed };
      }
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
    return listed((page) => page(sql), ctx, fields, hitIds, (part) => ({ hitIds: part }));
  }

  /** Hits by scan key, each page read and written in one transaction. */
  const reevaluateAt = (ctx: EvalContext, fields: FieldReader, at: readonly (number | string)[]) =>
    listed((page) => db.bulk(page), ctx, fields, at, (part) => ({ at: part }));

  return { reevaluate, reevaluateWithin };
}

/** Hits named by id or scan key, 500 a page, each page read and written through `inTx`. */
async function listed<K>(inTx: (page: (sql: Sql) => ReturnType<typeof pageOnce>) => ReturnType<typeof pageOnce>, ctx: EvalContext,
  fields: FieldReader, keys: readonly K[], affected: (part: readonly K[]) => Affected): Promise<ReevaluateResult> {
  let examined = 0, changed = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const r = await inTx((sql) => pageOnce(sql, ctx, fields, affected(keys.slice(i, i + 500)), null, 500));
    examined += r.examined;
    changed += r.changed;
  }
  return { examined, changed };
}

export type Reevaluator = ReturnType<typeof createReevaluator>;
