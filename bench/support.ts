import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { createLogger } from '../src/logger.js';
import { seed } from '../src/seed.js';

export { NETCONN, netconnRows } from './rows.js';

/** A seeded Quell on a fresh SQLite file in a temp folder. */
export async function benchServices() {
  const dir = mkdtempSync(join(tmpdir(), 'quell-bench-'));
  const db = openDatabase(`file:${join(dir, 'quell.db')}`);
  const services = createServices(db, createLogger('silent'), { maxIngestRows: 2_000_000 });
  await seed(services);
  return { services, dir };
}

export const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
