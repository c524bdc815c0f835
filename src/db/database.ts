import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import { applyMigrations } from './migrate.js';
import { WriteLock } from './write-lock.js';

export type Tx = Prisma.TransactionClient;
export type Sqlite = BetterSqlite3.Database;

export interface Db {
  prisma: PrismaClient;
  /** A direct connection for bulk paths (ingest, re-evaluation): Prisma row-by-row is ~40× slower. */
  sqlite: Sqlite;
  /** Runs fn in one Prisma transaction, serialised with every other writer. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs fn synchronously inside one transaction on the direct connection, serialised with other writers. */
  bulk<T>(fn: (sqlite: Sqlite) => T): Promise<T>;
  close(): Promise<void>;
}

export function sqlitePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) throw new Error(`DATABASE_URL must be a file: URL for SQLite, got ${databaseUrl}`);
  const path = databaseUrl.slice('file:'.length).split('?')[0]!;
  return path === ':memory:' ? path : resolve(path);
}

/** Opens (creating if needed) the database file and brings its schema up to date. */
export function openDatabase(databaseUrl: string): Db {
  const path = sqlitePath(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL cannot corrupt the database; a power cut may lose the last commits only.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MB; a 100,000-row ingest touches far more index pages than that.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('foreign_keys = ON');
  applyMigrations(sqlite);
  const adapter = new PrismaBetterSqlite3({ url: `file:${path}`, timeout: 5000 });
  const prisma = new PrismaClient({ adapter });
  const lock = new WriteLock();
  return {
    prisma,
    sqlite,
    write: (fn) => lock.run(() => prisma.$transaction((tx) => fn(tx), { timeout: 60_000, maxWait: 60_000 })),
    bulk: (fn) => lock.run(() => sqlite.transaction(() => fn(sqlite)).immediate()),
    close: async () => {
      await prisma.$disconnect();
      sqlite.close();
    },
  };
}
