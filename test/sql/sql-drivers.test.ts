import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest';
import pg from 'pg';
import fc from 'fast-check';
import { openDatabase, type Db, type Sql } from '../../src/db/database.js';
import { numberPlaceholders } from '../../src/db/postgres.js';
import { sqlTime } from '../../src/db/time.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/test-database.js';

// The stores write their SQL once (src/db/sql.ts); these hold each driver to the contract that makes that possible:
// rows come back alike, whatever the database.
describe(`the Sql interface on ${TEST_DIALECT === 'postgres' ? 'PostgreSQL' : 'SQLite'}`, () => {
  let database: TestDatabase, db: Db;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(database.url);
  });
  afterAll(async () => { await db?.close(); await database?.drop(); });

  const user = (id: string, over: Record<string, unknown> = {}) =>
    [id, `user-${id}`, 'viewer', null, 0, '2026-11-20T10:00:00.123+00:00', 'test', ...Object.values(over)];
  const USER_COLUMNS = ['id', 'username', 'role', 'passwordHash', 'disabled', 'createdAt', 'createdBy'];

  it('when rows are read, then times written as sqlTime read back as that text, booleans as 0 or 1 and counts as numbers', async () => {
    await db.sql.insertMany('User', USER_COLUMNS, [user('a'), [...user('b').slice(0, 4), 1, sqlTime('2026-11-20T23:59:59Z'), 'test']]);
    expect(await db.sql.all('SELECT "id", "disabled", "createdAt" FROM "User" WHERE "id" IN (?, ?) ORDER BY "id"', ['a', 'b'])).toEqual([
      { id: 'a', disabled: 0, createdAt: '2026-11-20T10:00:00.123+00:00' },
      { id: 'b', disabled: 1, createdAt: '2026-11-20T23:59:59.000+00:00' },
    ]);
    expect(await db.sql.get('SELECT COUNT(*) AS n FROM "User" WHERE "disabled" = TRUE AND "id" IN (?, ?)', ['a', 'b'])).toEqual({ n: 1 });
    expect(await db.sql.cells('SELECT "id", "disabled" FROM "User" WHERE "id" = ?', ['a'])).toEqual([['a', 0]]);
    // A Date parameter is the instant it names, on a server in any zone.
    expect(await db.sql.get('SELECT COUNT(*) AS n FROM "User" WHERE "createdAt" = ?', [new Date('2026-11-20T10:00:00.123Z')])).toEqual({ n: 1 });
  });

  it('when a statement changes rows, then run answers how many; runMany runs it once per parameter list', async () => {
    await db.sql.insertMany('User', USER_COLUMNS, [user('c'), user('d'), user('e')]);
    expect(await db.sql.run('UPDATE "User" SET "role" = ? WHERE "id" IN (?, ?)', ['analyst', 'c', 'd'])).toBe(2);
    expect(await db.sql.runMany('UPDATE "User" SET "role" = ? WHERE "id" = ?', [['admin', 'c'], ['admin', 'e'], ['admin', 'nobody']])).toBe(2);
    expect((await db.sql.all<{ role: string }>('SELECT "role" FROM "User" WHERE "id" IN (?, ?, ?) ORDER BY "id"', ['c', 'd', 'e'])).map((r) => r.role))
      .toEqual(['admin', 'analyst', 'admin']);
  });

  it('when a transaction fails half-way, then nothing of it stays', async () => {
    await expect(db.bulk(async (sql) => {
      await sql.insertMany('User', USER_COLUMNS, [user('f')]);
      await sql.run('INSERT INTO "User" ("id") VALUES (?)', ['g']); // violates NOT NULL
    })).rejects.toThrow();
    expect(await db.sql.all('SELECT "id" FROM "User" WHERE "id" IN (?, ?)', ['f', 'g'])).toEqual([]);
  });

  it('when any text is written through insertMany, insertStream or run, then it reads back exactly (COPY escaping included)', async () => {
    // Any text PostgreSQL can hold: no U+0000 (refused before it reaches a store), lone surrogates replaced as JSON does.
    const special = fc.constantFrom('\\', '\t', '\n', '\r', '\\N', '\\t', '"', "'", '|', '\u00e9', '\u{1F600}', ' ');
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: special, maxLength: 12 })).map((s) => s.replace(/\0/g, ''));
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 8 }), async (names) => {
      const ids = names.map(() => `p${n++}`);
      const rows = ids.map((id, i) => [id, `u-${id}`, names[i]!, 'x', 0, '2026-11-20T10:00:00.000+00:00', 'test']);
      await db.bulk(async (sql) => {
        const stream = sql.insertStream('User', USER_COLUMNS);
        for (const r of rows.slice(0, Math.ceil(rows.length / 2))) await stream.write(r);
        expect(await stream.end()).toBe(Math.ceil(rows.length / 2));
        await sql.insertMany('User', USER_COLUMNS, rows.slice(Math.ceil(rows.length / 2)), 'ON CONFLICT DO NOTHING');
      });
      const back = await db.sql.all<{ id: string; role: string }>(`SELECT "id", "role" FROM "User" WHERE "id" IN (${ids.map(() => '?').join(', ')})`, ids);
      expect(new Map(back.map((r) => [r.id, r.role]))).toEqual(new Map(ids.map((id, i) => [id, names[i]])));
    }), { numRuns: 40 });
  });

  // On SQLite, bulkAside runs the transaction's statements on a second thread (src/db/sqlite-thread.ts); it must answer
  // exactly as bulk does.
  it('when a transaction runs aside, then every call answers as in bulk and reads see its own writes', async () => {
    const inBoth = async (fn: (sql: Sql) => Promise<unknown>) => [await db.bulkAside(fn), await db.bulk(fn)];
    const [aside, here] = await inBoth(async (sql) => {
      const tag = `${Math.random()}`.slice(2, 8);
      const ids = ['a', 'b', 'c'].map((x) => `${x}-${tag}`);
      const written = await sql.insertMany('User', USER_COLUMNS, ids.map((id) => user(id)));
      const changed = await sql.run('UPDATE "User" SET "disabled" = ? WHERE "id" = ?', [true, ids[0]]);
      const many = await sql.runMany('UPDATE "User" SET "role" = ? WHERE "id" = ?', [['admin', ids[1]], ['admin', 'nobody']]);
      const rows = await sql.all('SELECT "role", "disabled", "createdAt" FROM "User" WHERE "id" IN (?, ?, ?) ORDER BY "id"', ids);
      const one = await sql.get('SELECT COUNT(*) AS n FROM "User" WHERE "id" IN (?, ?, ?) AND "createdAt" = ?', [...ids, new Date('2026-11-20T10:00:00.123Z')]);
      const cells = await sql.cells('SELECT "disabled" FROM "User" WHERE "id" = ?', [ids[0]]);
      return { written, changed, many, rows, one, cells };
    });
    expect(aside).toEqual(here);
    expect(aside).toMatchObject({ written: 3, changed: 1, many: 1, one: { n: 3 }, cells: [[1]] });
  });

  it('when a row streamed aside fails, then the whole transaction fails with its error, nothing stays, and the next one works', async () => {
    const rows = Array.from({ length: 5_500 }, (_, i) => user(`s${i}`));
    rows[3_210] = ['s3210', 'user-s3210', null, null, 0, '2026-11-20T10:00:00.000+00:00', 'test']; // role is NOT NULL
    await expect(db.bulkAside(async (sql) => {
      const stream = sql.insertStream('User', USER_COLUMNS);
      for (const r of rows) await stream.write(r);
      await stream.end();
    })).rejects.toThrow(/null/i);
    expect(await db.sql.get('SELECT COUNT(*) AS n FROM "User" WHERE "id" LIKE ?', ['s%'])).toEqual({ n: 0 });
    rows[3_210] = user('s3210');
    const n = await db.bulkAside(async (sql) => {
      const stream = sql.insertStream('User', USER_COLUMNS);
      for (const r of rows) await stream.write(r);
      return stream.end();
    });
    expect(n).toBe(5_500);
    expect(await db.sql.get('SELECT COUNT(*) AS n FROM "User" WHERE "id" LIKE ?', ['s%'])).toEqual({ n: 5_500 });
  });

  it('when ? stands inside a quoted string or name, then it is not a placeholder', () => {
    expect(numberPlaceholders(`SELECT '?' AS "a?" FROM t WHERE x = ? AND y = '??' AND z = ?`))
      .toBe(`SELECT '?' AS "a?" FROM t WHERE x = $1 AND y = '??' AND z = $2`);
  });
});

describe.runIf(TEST_DIALECT === 'postgres')('an idle PostgreSQL connection that dies', () => {
  it('when the server ends a connection the pool holds idle, then the process goes on, the failure is reported and the next query works', async () => {
    const database = await createTestDatabase();
    const failures: Error[] = [];
    const db = await openDatabase(database.url, { onIdleError: (e) => failures.push(e) });
    try {
      const pid = (await db.sql.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid;
      const other = await openDatabase(database.url);
      try { await other.sql.get('SELECT pg_terminate_backend(?) AS done', [pid]); } finally { await other.close(); }
      await expect.poll(() => failures.length).toBe(1);
      expect(await db.sql.get('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally { await db.close(); await database.drop(); }
  });

  // pg's pool.end() resolves once it has asked every connection to end, not when they have: a database dropped at once
  // (as a test's clean-up does) terminates connections still closing, and each such failure is an 'error' of the pool.
  it('when the database is dropped the moment Quell has closed it, then no error escapes', async () => {
    const database = await createTestDatabase();
    const db = await openDatabase(database.url);
    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    try {
      await Promise.all(Array.from({ length: 10 }, () => db.sql.get('SELECT pg_sleep(0.05) AS slept')));
      await db.close();
      await admin.query(`DROP DATABASE "${new URL(database.url).pathname.slice(1)}" WITH (FORCE)`);
      await new Promise((r) => setTimeout(r, 100)); // for a late 'error' to arrive while the test still runs
    } finally { await admin.end(); await database.drop(); }
  });
});
