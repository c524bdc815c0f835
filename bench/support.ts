import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { openSqliteConnection } from '../src/db/sqlite.js';
import { createServices } from '../src/services.js';
import { createLogger } from '../src/logger.js';
import { seed } from '../src/seed.js';
import { startPostgres, type TestCluster } from '../test/support/postgres.js';

export { NETCONN, netconnRows } from './rows.js';

/**
 * A seeded Quell on a fresh SQLite file in a temp folder, and a direct connection to the same file for set-up and
 * floors (rows loaded straight into tables are set-up, not what is measured).
 */
export async function benchServices() {
  const dir = mkdtempSync(join(tmpdir(), 'quell-bench-'));
  const path = join(dir, 'quell.db');
  const db = await openDatabase(`file:${path}`);
  const services = createServices(db, createLogger('silent'), { maxIngestRows: 2_000_000 });
  await seed(services);
  return { services, dir, sqlite: openSqliteConnection(path) };
}

/**
 * The same on PostgreSQL: a private cluster (Debian's binaries, a Unix socket in a temp folder, fsync on as a server
 * would run it) with a seeded database `quell`. `stop()` removes the cluster.
 */
export async function benchServicesOnPostgres(opts: { fsync?: boolean } = {}) {
  const cluster: TestCluster = await startPostgres({ maxConnections: 200, fsync: opts.fsync ?? true });
  await cluster.createDatabase('quell');
  const url = cluster.url('quell');
  const db = await openDatabase(url);
  const services = createServices(db, createLogger('silent'), { maxIngestRows: 2_000_000 });
  await seed(services);
  return { services, cluster, url };
}

export const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
