// Two Quell processes (`npm start`'s entry point, twice) on one database (a SQLite file, or PostgreSQL in the postgres
// run), as several app processes would share it (issue #13): races across them keep the one-process guarantees, and killing one mid-ingest leaves the other
// serving with the batch all or nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { FILESIG, NETCONN, netconnRow } from '../support/rows.js';
import { countIn, createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { postBody, prepareDatabase, startQuell, type QuellProcess } from './server-process.js';

const RACES = process.env.RELIABILITY_FULL ? 100 : 20;
const BENIGN = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'two processes' };

describe('two Quell processes on one database', () => {
  let database: TestDatabase, a: QuellProcess, b: QuellProcess;
  let tokens: Record<string, string> = {};
  beforeAll(async () => {
    database = await createTestDatabase();
    tokens = await prepareDatabase(database.url, ['analyst', 'admin']);
    [a, b] = await Promise.all([startQuell(database.url), startQuell(database.url)]);
  }, 60_000);
  afterAll(async () => {
    for (const q of [a, b]) if (q && q.child.exitCode === null) { q.child.kill('SIGTERM'); await q.exited; }
    await database?.drop();
  });
  const call = async (q: QuellProcess, path: string, init: { method?: string; role?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`http://127.0.0.1:${q.port}/api${path}`, { method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${tokens[init.role ?? 'analyst']}`, 'Content-Type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  const count = (sql: string) => countIn(database.url, sql);

  it(`when the same rows are ingested through both processes at once ${5} times, then one copy of each is stored and both answer 200`, async () => {
    const rows = Array.from({ length: 500 }, (_, i) => netconnRow({ DeviceId: `twin-${i}`, DeviceName: `twin-${i}` }));
    let inserted = 0;
    for (let k = 0; k < 5; k++) {
      const res = await Promise.all([a, b].map((q) => call(q, `/hunts/${NETCONN}/hits`, { method: 'POST', body: rows })));
      expect(res.map((r) => r.status)).toEqual([200, 200]);
      inserted += res.reduce((n, r) => n + Number(r.body.inserted), 0);
    }
    expect(inserted).toBe(500);
    expect(await count(`SELECT COUNT(*) AS n FROM "Hit" WHERE "key" LIKE '["twin-%'`)).toBe(500);
  }, 120_000);

  it(`when two verdicts on one hit version race through the two processes ${RACES} times, then exactly one wins each time`, async () => {
    const rows = Array.from({ length: RACES }, (_, i) => netconnRow({ DeviceId: `duel-${i}`, DeviceName: `duel-${i}` }));
    await call(a, `/hunts/${NETCONN}/hits`, { method: 'POST', body: rows });
    const hits = (await call(b, `/hits?devicePrefix=duel-&limit=${RACES}`)).body.items as { id: string; version: number }[];
    expect(hits).toHaveLength(RACES);
    for (const h of hits) {
      const res = await Promise.all([a, b].map((q) => call(q, `/hits/${h.id}/verdicts`, { method: 'POST', body: { ...BENIGN, hitVersion: h.version } })));
      expect(res.map((r) => r.status).sort()).toEqual([201, 409]);
    }
    expect(await count(`SELECT COUNT(*) AS n FROM "Verdict" WHERE "comment" = 'two processes'`)).toBe(RACES);
  }, 120_000);

  it(`when two edits of one rule race through the two processes with one If-Match ${RACES} times, then exactly one saves each time, audited once`, async () => {
    const created = await call(a, '/rules', { method: 'POST', role: 'admin', body: { name: 'twice', expression: 'destination.port == 6200', scope: { hunts: [FILESIG] }, action: 'suppress' } });
    expect(created.status).toBe(201);
    let version = created.body.version as number;
    for (let i = 0; i < RACES; i++) {
      const res = await Promise.all([a, b].map((q, k) => call(q, `/rules/${created.body.id}`, { method: 'PUT', role: 'admin', headers: { 'If-Match': String(version) },
        body: { name: 'twice', expression: `destination.port == ${7000 + 10 * i + k}`, scope: { hunts: [FILESIG] }, action: 'suppress' } })));
      expect(res.map((r) => r.status).sort(), JSON.stringify(res.map((r) => r.body))).toEqual([200, 409]);
      version = res.find((r) => r.status === 200)!.body.version as number;
    }
    expect(version).toBe(RACES + 1);
    expect(await count(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "entityId" = '${created.body.id as string}' AND "action" = 'rule.update'`)).toBe(RACES);
  }, 120_000);

  it('when one process is killed mid-ingest, then the other keeps serving and the batch is stored whole or not at all', async () => {
    const N = 40_000;
    const body = Buffer.from(Array.from({ length: N }, (_, i) => JSON.stringify(netconnRow({ DeviceId: `cut-${i}`, DeviceName: `cut-${i}` }))).join('\n'));
    const sent = postBody(a.port, tokens.analyst!, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
    await new Promise((r) => setTimeout(r, 400));
    a.child.kill('SIGKILL');
    await a.exited;
    const answer = await sent;
    expect((await call(b, '/hits?queue=true&limit=5')).status).toBe(200);
    const stored = await count(`SELECT COUNT(*) AS n FROM "Hit" WHERE "key" LIKE '["cut-%'`);
    console.log(`killed mid-ingest (the client saw ${answer.status}): ${stored} of ${N} rows stored; the other process went on serving`);
    expect([0, N]).toContain(stored);
    const again = await call(b, `/hunts/${NETCONN}/hits`, { method: 'POST', body: [netconnRow({ DeviceId: 'after-kill', DeviceName: 'after-kill' })] });
    expect(again).toMatchObject({ status: 200, body: { inserted: 1 } });
  }, 120_000);
});
