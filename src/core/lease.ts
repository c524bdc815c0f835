import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { sqlTime } from '../db/time.js';

/** This process, as a lease holder: one id per start, so a restarted process does not inherit a dead one's lease. */
export const PROCESS_HOLDER = `${process.pid}-${randomUUID()}`;

/**
 * A named lease in the database: one holder at a time runs a background job (the expiry sweep, the run scheduler),
 * whichever of several Quell processes it is. A holder renews it each time it runs; a killed holder's lease lapses
 * after `ttlMs` and the next process to ask takes it over. Taking and renewing is one statement, so two processes
 * asking at once cannot both win.
 */
export function createLease(db: Db, name: string, ttlMs: number, holder = PROCESS_HOLDER) {
  return {
    async acquire(now = new Date()): Promise<boolean> {
      return (await db.sql.run(`INSERT INTO "Lease" ("name", "holder", "expiresAt") VALUES (?, ?, ?)
        ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "expiresAt" = excluded."expiresAt"
        WHERE "Lease"."holder" = excluded."holder" OR "Lease"."expiresAt" <= ?`,
      [name, holder, sqlTime(new Date(now.getTime() + ttlMs)), sqlTime(now)])) === 1;
    },
    /** Gives the lease up (a clean stop), so another process need not wait for it to lapse. */
    async release(): Promise<void> {
      await db.sql.run('DELETE FROM "Lease" WHERE "name" = ? AND "holder" = ?', [name, holder]);
    },
    holder,
  };
}

export type Lease = ReturnType<typeof createLease>;

/** A lease held for one piece of work: renewed every third of its lifetime until released. */
export interface HeldLease { release(): Promise<void> }

/**
 * Takes the named lease for one piece of work, or answers null when another holder (another process, or other work of
 * this one) has it. It is renewed while held, so work may outlast `ttlMs`; a killed process stops renewing and the
 * lease lapses `ttlMs` later.
 */
export async function holdLease(db: Db, name: string, ttlMs: number): Promise<HeldLease | null> {
  const lease = createLease(db, name, ttlMs, `${PROCESS_HOLDER}/${randomUUID()}`);
  if (!(await lease.acquire())) return null;
  const renew = setInterval(() => { lease.acquire().catch(() => undefined); }, ttlMs / 3);
  renew.unref();
  return { async release() { clearInterval(renew); await lease.release(); } };
}

/**
 * Runs fn while holding the named lease, waiting for it when another process holds it: for work that several
 * processes starting together must not do at once (seeding a fresh database).
 */
export async function exclusively<T>(db: Db, name: string, fn: () => Promise<T>, ttlMs = 60_000): Promise<T> {
  let held: HeldLease | null;
  while (!(held = await holdLease(db, name, ttlMs))) await new Promise((r) => setTimeout(r, 250));
  try {
    return await fn();
  } finally {
    await held.release();
  }
}
