import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { openDatabase } from '../../src/db/database.js';
import { createServices, type Services } from '../../src/services.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { seed } from '../../src/seed.js';
import { SYSTEM_ACTOR, type Role } from '../../src/core/actor.js';

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

/** A real app on a fresh SQLite file of its own: migrated, seeded, with a token for each role. */
export async function createTestApp(opts: { seed?: boolean; env?: Record<string, string>; services?: Parameters<typeof createServices>[3] } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'quell-test-'));
  const databaseUrl = `file:${join(dir, 'quell.db')}`;
  const config = { ...loadConfig({ ...process.env, ...opts.env }), databaseUrl };
  const db = openDatabase(databaseUrl);
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
    close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Every row of every application table, to prove a rejected request changed nothing. */
export function snapshotDatabase(services: Services): Record<string, unknown[]> {
  const tables = services.db.sqlite.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, services.db.sqlite.prepare(`SELECT * FROM "${name}"`).all()]));
}

/** The test app on a real socket at 127.0.0.1, for clients that must send exact bytes or run concurrently. */
export async function serveTestApp(t: TestApp): Promise<{ base: string; close(): void }> {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => { server.close(); } };
}
