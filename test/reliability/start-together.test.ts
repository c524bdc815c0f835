import { describe, it, expect, afterAll } from 'vitest';
import { countIn, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startQuell, type QuellProcess } from './server-process.js';

// Several app processes deployed together start on one empty database at once: migrations run once (tested in
// test/db), and seeding too, or there would be two admins, duplicated scenario rules, or a process dead of a 409.
describe('three Quell processes starting together on an empty database', () => {
  let database: TestDatabase;
  const running: QuellProcess[] = [];
  afterAll(async () => {
    for (const q of running) if (q.child.exitCode === null) { q.child.kill('SIGTERM'); await q.exited; }
    await database?.drop();
  });

  it('when they start at once, then all three serve, and the database is seeded exactly once', async () => {
    database = await createTestDatabase();
    const started = await Promise.allSettled([0, 1, 2].map(() => startQuell(database.url)));
    for (const s of started) if (s.status === 'fulfilled') running.push(s.value); // stopped in afterAll, whatever else failed
    expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    for (const q of running) {
      const health = await fetch(`http://127.0.0.1:${q.port}/api/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok' });
    }
    const count = (sql: string) => countIn(database.url, sql);
    expect(await count(`SELECT COUNT(*) AS n FROM "User" WHERE "role" = 'admin'`)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM "Hunt"')).toBe(2);
    expect(await count('SELECT COUNT(*) AS n FROM "Scenario"')).toBe(5);
    expect(await count('SELECT COUNT(*) AS n FROM "Rule"')).toBe(5);
    expect(await count('SELECT COUNT(*) AS n FROM "SuppressionList"')).toBe(2);
    expect(await count(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'user.create'`)).toBe(1);
  }, 120_000);
});
