import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { sqlTime } from '../db/time.js';

// Failed logins per (username, address): after MAX_FAILURES inside WINDOW_MS the pair is locked out until the window
// passes. Kept in the database, so the limit holds whichever of several Quell processes a browser reaches (issue #13).
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

export function createLoginLimiter(db: Db, now: () => number = Date.now) {
  const since = () => sqlTime(new Date(now() - WINDOW_MS));
  return {
    /** Seconds until another attempt is allowed, or 0 when allowed now. */
    async retryAfter(key: string): Promise<number> {
      const rows = await db.sql.all<{ at: string }>(`SELECT "at" FROM "LoginFailure" WHERE "key" = ? AND "at" > ? ORDER BY "at" LIMIT ${MAX_FAILURES}`,
        [key, since()]);
      if (rows.length < MAX_FAILURES) return 0;
      return Math.max(1, Math.ceil((Date.parse(rows[0]!.at) + WINDOW_MS - now()) / 1000));
    },
    /** Records a failure; failures older than the window are dropped on the way, so the table stays small. */
    async fail(key: string): Promise<void> {
      await db.bulk(async (sql) => {
        await sql.run('DELETE FROM "LoginFailure" WHERE "at" <= ?', [since()]);
        await sql.run('INSERT INTO "LoginFailure" ("id", "key", "at") VALUES (?, ?, ?)', [randomUUID(), key, sqlTime(new Date(now()))]);
      });
    },
    async succeed(key: string): Promise<void> {
      if (!await db.sql.get('SELECT 1 AS "one" FROM "LoginFailure" WHERE "key" = ? LIMIT 1', [key])) return; // the usual sign-in writes nothing
      await db.sql.run('DELETE FROM "LoginFailure" WHERE "key" = ?', [key]);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
