import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { listMigrations } from './migrate.js';

// Prisma's bookkeeping table as Prisma creates it on PostgreSQL, so `prisma migrate deploy` agrees with us there too.
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export const POSTGRES_MIGRATIONS_DIR = new URL('../../prisma/migrations-postgres/', import.meta.url).pathname;

// Any constant both sides agree on; pg_advisory_lock takes a bigint.
const MIGRATION_LOCK = 7_301_203;

/**
 * Applies pending PostgreSQL migrations in name order, each in its own transaction, under a session advisory lock: of
 * several processes starting together, one migrates and the others wait, then find nothing left to do. Answers the
 * names applied. The same migration names exist for SQLite (prisma/migrations/), and a test compares the schemas.
 */
export async function applyPostgresMigrations(pool: Pool, dir = POSTGRES_MIGRATIONS_DIR): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(PRISMA_MIGRATIONS_TABLE);
      const rows = (await client.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL')).rows;
      const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      const done: string[] = [];
      for (const m of listMigrations(dir)) {
        const known = applied.get(m.name);
        if (known !== undefined) {
          if (known !== m.checksum) throw new Error(`migration ${m.name} was modified after it was applied (checksum differs)`);
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
            VALUES ($1, $2, now(), $3, now(), 1)`, [randomUUID(), m.checksum, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
        done.push(m.name);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
