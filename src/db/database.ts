import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-postgres/client.js';
import { applyMigrations } from './migrate.js';
import { applyPostgresMigrations } from './migrate-postgres.js';
import { openPostgresPool, postgresSql } from './postgres.js';
import type { Dialect, Sql } from './sql.js';
import { bind, openSqliteConnection, sqliteSql } from './sqlite.js';
import { WriteLock } from './write-lock.js';
import { openSqliteThread, threadSql, type SqliteThread } from './sqlite-thread.js';

export type Tx = Prisma.TransactionClient;
export type { Sql } from './sql.js';

/** Batches of one statement, each batch its own transaction, taken in turn with every other writer of the process. */
export interface BackgroundWriter {
  /** Runs `text` once per parameter list in one transaction; answers the positions of the lists that changed no row. */
  run(text: string, lists: readonly (readonly unknown[])[]): Promise<number[]>;
}

export interface Db {
  readonly dialect: Dialect;
  prisma: PrismaClient;
  /**
   * Statements outside a transaction: reads see what is committed; a write is its own transaction, serialised with
   * every other writer. Bulk paths (ingest, re-evaluation) write through `bulk` instead: Prisma row by row is ~40×
   * slower.
   */
  sql: Sql;
  /** Runs fn in one Prisma transaction, serialised with every other writer (of every process on the database). */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs fn in one transaction on a direct connection, serialised with every other writer; fn must use the Sql it is given. */
  bulk<T>(fn: (sql: Sql) => Promise<T> | T): Promise<T>;
  /**
   * The same as bulk, but on SQLite the transaction's statements run on a second thread with its own connection, in
   * the order given, while fn goes on: a bulk job's computing and writing overlap on two cores. PostgreSQL's
   * statements already run on its server, and this is bulk there.
   */
  bulkAside<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * A writer on another thread for a long job of many short transactions, or null where there is no use for one
   * (PostgreSQL writes on its server; an in-memory SQLite database has no file to share).
   */
  backgroundWriter(): BackgroundWriter | null;
  close(): Promise<void>;
}

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

export function sqlitePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) throw new Error(`DATABASE_URL must be a file: URL (SQLite) or a postgres:// URL, got ${databaseUrl}`);
  const path = databaseUrl.slice('file:'.length).split('?')[0]!;
  return path === ':memory:' ? path : resolve(path);
}

/** Opens (creating if needed) the database and brings its schema up to date: SQLite for a file: URL, else PostgreSQL. */
export async function openDatabase(databaseUrl: string, opts: { onIdleError?: (error: Error) => void } = {}): Promise<Db> {
  return isPostgresUrl(databaseUrl) ? openPostgres(databaseUrl, opts.onIdleError) : openSqlite(databaseUrl);
}

/**
 * Statements outside a transaction: reads on the connection(s) that see only what is committed; writes wait their
 * turn with every other writer, a single statement through `run` (atomic by itself), several through `bulk`. A
 * stream of inserts needs a transaction of its own.
 */
function autocommit(reads: Sql, bulk: Db['bulk'], run: Sql['run']): Sql {
  return {
    ...reads,
    run,
    runMany: (text, lists) => bulk((s) => s.runMany(text, lists)),
    insertMany: (table, columns, rows, tail) => bulk((s) => s.insertMany(table, columns, rows, tail)),
    insertStream: () => { throw new Error('insertStream needs a transaction: use db.bulk'); },
  };
}

// One writer at a time in this process (Prisma's transactions and the direct connection share one file); SQLite's
// busy timeout covers other processes. Reads go to a connection of their own: in WAL mode it sees only what is
// committed, so a read never sees a transaction of this process half-way, whatever that transaction awaits.
function openSqlite(databaseUrl: string): Db {
  const path = sqlitePath(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const writer = openSqliteConnection(path);
  applyMigrations(writer);
  const reader = path === ':memory:' ? writer : openSqliteConnection(path);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${path}`, timeout: 5000 }) });
  const lock = new WriteLock();
  const inTx = sqliteSql(writer), reads = sqliteSql(reader);
  let thread: SqliteThread | null = null;
  const aside = () => (thread ??= openSqliteThread(path));
  // One transaction under the write lock, on the main connection or on the SQLite thread's: begun, fn, committed, or
  // rolled back when anything fails.
  const transaction = <T>(on: { begin(): unknown; commit(): unknown; rollback(): unknown; sql: Sql }, fn: (sql: Sql) => Promise<T> | T) =>
    lock.run(async () => {
      await on.begin();
      try {
        const out = await fn(on.sql);
        await on.commit();
        return out;
      } catch (e) {
        await on.rollback();
        throw e;
      }
    });
  const main = {
    begin: () => writer.exec('BEGIN IMMEDIATE'), commit: () => writer.exec('COMMIT'), sql: inTx,
    rollback: () => { if (writer.inTransaction) writer.exec('ROLLBACK'); },
  };
  const onThread = () => {
    const t = aside();
    return { begin: () => t.call('begin'), commit: () => t.call('commit'), rollback: () => t.call('rollback').catch(() => undefined), sql: threadSql(t) };
  };
  const bulk: Db['bulk'] = (fn) => transaction(main, fn);
  return {
    dialect: 'sqlite',
    prisma,
    // One statement needs no BEGIN IMMEDIATE: holding none across an await, it never keeps another connection of this
    // process (a second Db on the file, as the two-process tests open) busy-waiting on the file lock.
    sql: autocommit(reads, bulk, (text, params) => lock.run(() => inTx.run(text, params))),
    write: (fn) => lock.run(() => prisma.$transaction((tx) => fn(tx), { timeout: 60_000, maxWait: 60_000 })),
    bulk,
    bulkAside: (fn) => (path === ':memory:' ? bulk(fn) : transaction(onThread(), fn)),
    backgroundWriter: () => (path === ':memory:' ? null : {
      run: (text, lists) => lock.run(() => aside().call<number[]>('batch', { text, lists: lists.map(bind) })),
    }),
    close: async () => {
      await thread?.close();
      await prisma.$disconnect();
      if (reader !== writer) reader.close();
      writer.close();
    },
  };
}

// Every writing transaction takes this transaction-scoped advisory lock first: writers of every process on the
// database run one at a time, as SQLite's do, so what Quell checks before it writes (a hit's version, a rule's
// If-Match, which keys exist) still holds when it writes. Readers never wait for it.
const WRITE_LOCK = 7_301_204;
const TAKE_WRITE_LOCK = `SELECT 1 AS "locked" FROM pg_advisory_xact_lock(${WRITE_LOCK})`;

async function openPostgres(databaseUrl: string, onIdleError?: (error: Error) => void): Promise<Db> {
  const pool = openPostgresPool(databaseUrl, { onIdleError });
  try {
    await applyPostgresMigrations(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  // The client generated for PostgreSQL (scripts/prisma-generate.mjs) from the same schema: the same models and methods.
  const prisma = new PostgresPrismaClient({ adapter: new PrismaPg(pool) }) as unknown as PrismaClient;
  const lock = new WriteLock(); // fewer connections held waiting for the advisory lock
  const reads = postgresSql(pool);
  const bulk: Db['bulk'] = (fn) => lock.run(async () => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(TAKE_WRITE_LOCK);
      const out = await fn(postgresSql(client));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw e;
    } finally {
      client.release(broken);
    }
  });
  return {
    dialect: 'postgres',
    prisma,
    // Even one statement takes the advisory lock, so a write never overtakes a transaction that checked before it.
    sql: autocommit(reads, bulk, (text, params) => bulk((s) => s.run(text, params))),
    write: (fn) => lock.run(() => prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(TAKE_WRITE_LOCK);
      return fn(tx);
    }, { timeout: 60_000, maxWait: 60_000 })),
    bulk,
    bulkAside: bulk,
    backgroundWriter: () => null,
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
