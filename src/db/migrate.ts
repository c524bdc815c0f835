import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

// Prisma's own bookkeeping table, column for column, so that `prisma migrate deploy` on a machine
// that has the schema engine sees these migrations as applied and agrees with us.
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export const MIGRATIONS_DIR = new URL('../../prisma/migrations/', import.meta.url).pathname;

export interface MigrationFile { name: string; sql: string; checksum: string }

export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      // Prisma's checksum is the SHA-256 of the migration file's bytes, hex-encoded.
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies pending migrations in name order, each in its own transaction; returns the names applied. */
export function applyMigrations(db: Database, dir = MIGRATIONS_DIR): string[] {
  db.exec(PRISMA_MIGRATIONS_TABLE);
  const applied = new Map(
    (db.prepare('SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL')
      .all() as { migration_name: string; checksum: string }[]).map((r) => [r.migration_name, r.checksum]),
  );
  const done: string[] = [];
  for (const m of listMigrations(dir)) {
    const known = applied.get(m.name);
    if (known !== undefined) {
      if (known !== m.checksum) {
        throw new Error(`migration ${m.name} was modified after it was applied (checksum differs)`);
      }
      continue;
    }
    const now = new Date().toISOString();
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
        VALUES (?, ?, ?, ?, NULL, ?, 1)`).run(randomUUID(), m.checksum, now, m.name, now);
    })();
    done.push(m.name);
  }
  return done;
}
