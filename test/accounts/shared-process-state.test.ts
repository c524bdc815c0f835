import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { createServices } from '../../src/services.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createLease } from '../../src/core/lease.js';

// Two Quell "processes" on one database file: a second connection and app, as a second process would open them.
describe('state two Quell processes on one database share', () => {
  let t: TestApp, otherDb: Db, other: Express;
  beforeAll(async () => {
    t = await createTestApp();
    otherDb = await openDatabase(t.databaseUrl);
    const config = { ...loadConfig(process.env), databaseUrl: t.databaseUrl };
    other = createApp(createServices(otherDb, createLogger('silent'), config), config, createLogger('silent'));
  });
  afterAll(async () => { await otherDb.close(); await t.close(); });

  it('when five logins fail across both processes, then either refuses the sixth with 429, and a success elsewhere clears it', async () => {
    await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'paula', role: 'viewer', password: 'a long enough password' });
    for (let i = 0; i < 5; i++) {
      const app = i % 2 ? other : t.app;
      expect((await request(app).post('/api/session').send({ username: 'paula', password: `wrong-${i}-xxxxxxxx` })).status).toBe(401);
    }
    for (const app of [t.app, other]) {
      const locked = await request(app).post('/api/session').send({ username: 'Paula', password: 'a long enough password' });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    }
    // Another name from the same address is not locked, and a success clears only its own count.
    await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'quinn', role: 'viewer', password: 'a long enough password' });
    expect((await request(other).post('/api/session').send({ username: 'quinn', password: 'wrong-password-xxxx' })).status).toBe(401);
    expect((await request(t.app).post('/api/session').send({ username: 'quinn', password: 'a long enough password' })).status).toBe(201);
    expect(await t.services.db.sql.all(`SELECT "key" FROM "LoginFailure" WHERE "key" LIKE 'quinn|%'`)).toEqual([]);
    expect(await t.services.db.sql.get(`SELECT COUNT(*) AS n FROM "LoginFailure" WHERE "key" LIKE 'paula|%'`)).toEqual({ n: 5 });
  });

  it('when two processes ask for one lease, then exactly one holds it until it lapses or is released, and then the other takes it', async () => {
    const a = createLease(t.services.db, 'test-job', 60_000, 'process-a'), b = createLease(otherDb, 'test-job', 60_000, 'process-b');
    const t0 = new Date('2026-12-03T10:00:00Z');
    const both = await Promise.all([a.acquire(t0), b.acquire(t0)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const [holder, waiter] = both[0] ? [a, b] : [b, a];
    expect(await holder.acquire(new Date(t0.getTime() + 30_000))).toBe(true); // renewed: now good until +90 s
    expect(await waiter.acquire(new Date(t0.getTime() + 80_000))).toBe(false);
    expect(await waiter.acquire(new Date(t0.getTime() + 90_001))).toBe(true); // the holder stopped renewing: it lapsed
    expect(await holder.acquire(new Date(t0.getTime() + 90_002))).toBe(false);
    await waiter.release();
    expect(await holder.acquire(new Date(t0.getTime() + 90_003))).toBe(true);
  });

  it('when both processes start their background jobs, then one of them holds each job\'s lease', async () => {
    const services = [t.services, (await import('../../src/services.js')).createServices(otherDb, createLogger('silent'))];
    for (const s of services) s.startBackground();
    await new Promise((r) => setTimeout(r, 300));
    const leases = await t.services.db.sql.all('SELECT "name", "holder" FROM "Lease" WHERE "name" IN (\'expiry-sweeper\', \'run-scheduler\') ORDER BY "name"');
    expect(leases.map((l) => (l as { name: string }).name)).toEqual(['expiry-sweeper', 'run-scheduler']);
    await Promise.all(services.map((s) => s.stopBackground()));
    expect(await t.services.db.sql.get('SELECT COUNT(*) AS n FROM "Lease" WHERE "name" IN (\'expiry-sweeper\', \'run-scheduler\')')).toEqual({ n: 0 });
  });
});
