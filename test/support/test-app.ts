import type { Express } from 'express';
import { openDatabase } from '../../src/db/database.js';
import { createServices, type Services } from '../../src/services.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { seed } from '../../src/seed.js';
import { SYSTEM_ACTOR, type Role } from '../../src/core/actor.js';
import { applicationTables, createTestDatabase } from './test-database.js';

export interface TestApp {
  app: Express;
  services: Services;
  dir: string;
  databaseUrl: string;
  /** A bearer token per role, for a user of that name (`viewer`, `analyst`, `admin2`). */
  tokens: Record<Role, string>;
  auth(role: Role): { Authorization: string };
  adminPassword: string | null;
  close(): Promise<void>;
}

/**
 * A real app on a fresh database of its own (a SQLite file, or a PostgreSQL database when the run is for PostgreSQL):
 * migrated, seeded, with a token for each role.
 */
export async function createTestApp(opts: { seed?: boolean; env?: Record<string, string>; services?: Parameters<typeof createServices>[3] } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const { dir, url: databaseUrl } = database;
  const config = { ...loadConfig({ ...process.env, ...opts.env }), databaseUrl };
  const db = await openDatabase(databaseUrl);
  const logger = createLogger('silent');
  const services = createServices(db, logger, config, opts.services);
  const seeded = opts.seed === false ? { adminPassword: null } : await seed(services);
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    const user = await services.accounts.createUser(SYSTEM_ACTOR, { username: role === 'admin' ? 'admin2' : role, role });
    tokens[role] = (await services.accounts.createToken(SYSTEM_ACTOR, user.id, { name: 'test' })).token;
  }
  const app = createApp(services, config, logger);
  return {
    app, services, dir, databaseUrl, tokens, adminPassword: seeded.adminPassword,
    auth: (role) => ({ Authorization: `Bearer ${tokens[role]}` }),
    close: async () => { await db.close(); await database.drop(); },
  };
}

/**
 * Every row of every application table, to prove a rejected request changed nothing. Rows come in id order where a
 * table has an id (insertion order for the autoincrement and UUIDv7 ids, so the last is the newest), else by content:
 * the same on either database.
 */
export async function snapshotDatabase(services: Services): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const name of await applicationTables(services.db.sql)) {
    const rows = await services.db.sql.all(`SELECT * FROM "${name}"`);
    const key = (r: Record<string, unknown>) => ('id' in r ? r.id : JSON.stringify(r)) as string | number;
    out[name] = rows.sort((a, b) => { const x = key(a), y = key(b); return x < y ? -1 : x > y ? 1 : 0; });
  }
  return out;
}

/** The test app on a real socket at 127.0.0.1, for clients that must send exact bytes or run concurrently. */
export async function serveTestApp(t: TestApp): Promise<{ base: string; close(): Promise<void> }> {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    // Resolves once every connection is gone, so the database is closed under no request still being answered.
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
