// Which database the suite runs on. `QUELL_TEST_DB=postgres` (the vitest project "postgres") gives each test app a
// fresh database of its own in the private cluster that test/support/postgres-global-setup.ts starts for the run;
// otherwise each gets a SQLite file in a temp folder.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Dialect, Sql } from '../../src/db/sql.js';

export const TEST_DIALECT: Dialect = process.env.QUELL_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** `it.skipIf(SQLITE_ONLY)`: for the few tests about SQLite itself (its files, WAL, integrity_check). */
export const SQLITE_ONLY = TEST_DIALECT !== 'sqlite';

export interface TestDatabase { url: string; dir: string; drop(): Promise<void> }

/** A new, empty database for one test app (Quell migrates it when it opens it). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'quell-test-'));
  if (TEST_DIALECT === 'sqlite') {
    return { url: `file:${join(dir, 'quell.db')}`, dir, drop: async () => { rmSync(dir, { recursive: true, force: true }); } };
  }
  const server = inject('postgresUrl');
  if (!server) throw new Error('QUELL_TEST_DB=postgres but no cluster was started (run through the vitest project "postgres")');
  const name = `quell_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try { await admin.query(`CREATE DATABASE "${name}"`); } finally { await admin.end(); }
  const url = server.replace(/\/postgres(\?|$)/, `/${name}$1`);
  return {
    url, dir,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try { await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } finally { await c.end(); }
    },
  };
}

/** The application tables of a database, for snapshots (Prisma's bookkeeping table left out). */
export async function applicationTables(sql: Sql): Promise<string[]> {
  const rows = sql.dialect === 'sqlite'
    ? await sql.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    : await sql.all<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
  return rows.map((r) => r.name).filter((n) => n !== '_prisma_migrations');
}

/** Where the database's bytes stand now, for `storedBytesSince` (on PostgreSQL: the write-ahead log's position). */
export async function storageMark(sql: Sql): Promise<string | null> {
  return sql.dialect === 'sqlite' ? null : (await sql.get<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))!.lsn;
}

/**
 * Every byte the database holds on disk. SQLite: the file and its WAL and shared-memory companions in `dir`. PostgreSQL
 * (after a checkpoint): the database's own files, and the write-ahead log segments written since `mark` — a secret
 * written in between is in one of them if it is anywhere.
 */
export async function storedBytesSince(sql: Sql, dir: string, mark: string | null): Promise<Buffer> {
  if (sql.dialect === 'sqlite') return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('quell.db')).map((f) => readFileSync(join(dir, f))));
  const data = inject('postgresDataDir')!;
  await sql.run('CHECKPOINT');
  const db = (await sql.get<{ oid: string }>('SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()'))!.oid;
  const first = (await sql.get<{ f: string }>('SELECT pg_walfile_name(?::pg_lsn) AS f', [mark]))!.f;
  const last = (await sql.get<{ f: string }>('SELECT pg_walfile_name(pg_current_wal_lsn()) AS f'))!.f;
  const wal = readdirSync(join(data, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f) && f >= first && f <= last).map((f) => join(data, 'pg_wal', f));
  const files = readdirSync(join(data, 'base', db)).map((f) => join(data, 'base', db, f));
  return Buffer.concat([...wal, ...files].map((f) => readFileSync(f)));
}

declare module 'vitest' {
  export interface ProvidedContext { postgresUrl: string | undefined; postgresDataDir: string | undefined }
}
