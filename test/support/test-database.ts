// Which database the suite runs on. `QUELL_TEST_DB=postgres` (the vitest project "postgres") gives each test app a
// fresh database of its own in the private cluster that test/support/postgres-global-setup.ts starts for the run;
// otherwise each gets a SQLite file in a temp folder.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import type { Dialect, Sql } from '../../src/db/sql.js';
import { numberPlaceholders } from '../../src/db/postgres.js';

export const TEST_DIALECT: Dialect = process.env.QUELL_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

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

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

const nameOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** A copy of a database nobody has open (a seeded template): a file copy, or CREATE DATABASE … TEMPLATE. */
export async function cloneTestDatabase(source: TestDatabase): Promise<TestDatabase> {
  const copy = await createTestDatabase();
  if (TEST_DIALECT === 'sqlite') {
    copyFileSync(source.url.slice('file:'.length), copy.url.slice('file:'.length));
    return copy;
  }
  await withPg(inject('postgresUrl')!, async (c) => {
    await c.query(`DROP DATABASE "${nameOf(copy.url)}"`);
    await c.query(`CREATE DATABASE "${nameOf(copy.url)}" TEMPLATE "${nameOf(source.url)}"`);
  });
  return copy;
}

/** One number from a database that a separate Quell process serves (a short-lived connection of the test's own). */
export async function countIn(url: string, text: string, params: unknown[] = []): Promise<number> {
  if (TEST_DIALECT === 'sqlite') {
    const db = new BetterSqlite3(url.slice('file:'.length), { readonly: true });
    try { return Number((db.prepare(text).get(...params) as { n: number }).n); } finally { db.close(); }
  }
  return withPg(url, async (c) => Number((await c.query(numberPlaceholders(text), params)).rows[0].n));
}

/**
 * Whether the database's structures are intact after a crash: SQLite's integrity_check; on PostgreSQL, amcheck's
 * B-tree check of every index of Quell's tables (the heap is protected by the WAL, its indexes are what a bug in
 * crash recovery would leave inconsistent). 'ok' or what is wrong.
 */
export async function integrityOf(url: string): Promise<string> {
  if (TEST_DIALECT === 'sqlite') {
    const db = new BetterSqlite3(url.slice('file:'.length));
    try { return (db.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check; } finally { db.close(); }
  }
  return withPg(url, async (c) => {
    await c.query('CREATE EXTENSION IF NOT EXISTS amcheck');
    const idx = (await c.query(`SELECT i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am a ON a.oid = (SELECT relam FROM pg_class WHERE oid = i.indexrelid)
      WHERE n.nspname = 'public' AND a.amname = 'btree'`)).rows as { name: string }[];
    for (const { name } of idx) await c.query('SELECT bt_index_check($1::regclass, true)', [name]);
    return idx.length ? 'ok' : 'no indexes found';
  });
}

/** Bytes of log written so far: SQLite's WAL file size, PostgreSQL's WAL position. Grows while a transaction is written. */
export async function logPosition(url: string): Promise<number> {
  if (TEST_DIALECT === 'sqlite') {
    const wal = `${url.slice('file:'.length)}-wal`;
    return existsSync(wal) ? statSync(wal).size : 0;
  }
  return withPg(url, async (c) => Number((await c.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS n`)).rows[0].n));
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
