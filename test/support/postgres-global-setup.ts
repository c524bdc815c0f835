// Vitest global setup of the "postgres" project: one private PostgreSQL cluster for the whole run (Debian's binaries,
// a temp folder, a Unix socket only), removed at the end. Test apps each create a database in it (test-database.ts).
import type { TestProject } from 'vitest/node';
import { startPostgres, type TestCluster } from './postgres.js';

let cluster: TestCluster | undefined;

export async function setup(project: TestProject) {
  cluster = await startPostgres({ maxConnections: 400 });
  project.provide('postgresUrl', cluster.url());
  project.provide('postgresDataDir', cluster.dataDir);
}

export function teardown() {
  cluster?.stop();
}
