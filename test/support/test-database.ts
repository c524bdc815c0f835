// Which database the suite runs on. `QUELL_TEST_DB=postgres` (the vitest project "postgres") gives each test app a
// fresh database of its own in the private cluster that test/support/postgres-global-setup.ts starts for the run;
// otherwise each gets a SQLite file in a temp folder.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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

declare module 'vitest' {
  export interface ProvidedContext { postgresUrl: string | undefined }
}
