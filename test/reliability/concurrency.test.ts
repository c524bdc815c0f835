import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, serveTestApp, type TestApp } from '../support/test-app.js';
import { FILESIG, NETCONN, netconnRow } from '../support/rows.js';

const SECONDS = Number(process.env.RELIABILITY_FULL ? 60 : 6);
const CLIENTS = 20;
const BENIGN = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'race' };

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

describe('many clients at once', () => {
  let t: TestApp;
  let served: { base: string; close(): Promise<void> };
  let base: string;
  beforeAll(async () => { t = await createTestApp(); served = await serveTestApp(t); base = served.base; });
  afterAll(async () => { await served?.close(); await t?.close(); });
  const auth = (role: 'viewer' | 'analyst' | 'admin') => ({ Authorization: `Bearer ${t.tokens[role]}` });
  const call = async (path: string, init: RequestInit = {}) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api${path}`, init);
    const body = await res.json() as Record<string, unknown>;
    return { status: res.status, body, ms: performance.now() - t0 };
  };

  it(`when ${CLIENTS} clients read the queue for ${SECONDS} s while batches are ingested and verdicts recorded, then nothing fails and every row and verdict is counted`, async () => {
    const until = Date.now() + SECONDS * 1000;
    const latencies: number[] = [];
    const failures: string[] = [];
    let rows = 0, verdicts = 0, batch = 0;
    const readers = Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const r = await call('/hits?queue=true&limit=100', { headers: auth('viewer') });
        latencies.push(r.ms);
        if (r.status !== 200) failures.push(`read ${r.status}`);
      }
    });
    const ingester = (async () => {
      while (Date.now() < until) {
        const n = batch++;
        const body = Array.from({ length: 500 }, (_, i) => netconnRow({ DeviceId: `conc-${n}-${i}`, DeviceName: `conc-${n}-${i}` }));
        const r = await call(`/hunts/${NETCONN}/hits`, { method: 'POST', headers: { ...auth('analyst'), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        if (r.status === 200 && r.body.inserted === 500) rows += 500; else failures.push(`ingest ${r.status}`);
      }
    })();
    const judge = (async () => {
      while (Date.now() < until) {
        const page = await call('/hits?queue=true&limit=20', { headers: auth('viewer') });
        for (const h of (page.body.items as { id: string; version: number }[] | undefined) ?? []) {
          const r = await call(`/hits/${h.id}/verdicts`, { method: 'POST', headers: { ...auth('analyst'), 'Content-Type': 'application/json' },
            body: JSON.stringify({ ...BENIGN, hitVersion: h.version }) });
          if (r.status === 201) verdicts++; else failures.push(`verdict ${r.status}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await Promise.all([...readers, ingester, judge]);
    latencies.sort((a, b) => a - b);
    console.log(`${latencies.length} queue reads by ${CLIENTS} clients in ${SECONDS} s: p50 ${pct(latencies, 50).toFixed(0)} ms, `
      + `p95 ${pct(latencies, 95).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms; ${rows} rows ingested, ${verdicts} verdicts; ${failures.length} errors`);
    expect(failures).toEqual([]);
    expect(rows).toBeGreaterThan(0);
    expect(verdicts).toBeGreaterThan(0);
    const stored = (await t.services.db.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Hit" WHERE "key" LIKE '["conc-%'`))!;
    const judged = (await t.services.db.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Verdict" WHERE "comment" = 'race'`))!;
    expect(stored.n).toBe(rows);
    expect(judged.n).toBe(verdicts);
  }, 180_000);

  it('when two verdicts race on one hit version 100 times, then exactly one wins each time and the other is a 409', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => netconnRow({ DeviceId: `race-${i}`, DeviceName: `race-${i}` }));
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(auth('analyst')).send(rows);
    const hits = (await request(t.app).get('/api/hits').query({ devicePrefix: 'race-', limit: 100 }).set(auth('viewer'))).body.items as { id: string; version: number }[];
    expect(hits).toHaveLength(100);
    for (const h of hits) {
      const send = () => call(`/hits/${h.id}/verdicts`, { method: 'POST', headers: { ...auth('analyst'), 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...BENIGN, hitVersion: h.version }) });
      const statuses = (await Promise.all([send(), send()])).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
    }
    const n = (await t.services.db.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Verdict" v JOIN "Hit" h ON h."id" = v."hitId" WHERE h."key" LIKE '["race-%'`))!;
    expect(n.n).toBe(100);
  }, 120_000);

  // Scoped to a hunt without hits, so each save's re-evaluation is instant and the race is about the version check alone.
  it('when two edits of one rule race with the same If-Match 100 times, then exactly one saves each time', async () => {
    const created = await request(t.app).post('/api/rules').set(auth('admin'))
      .send({ name: 'raced', expression: 'destination.port == 6100', scope: { hunts: [FILESIG] }, action: 'suppress' });
    let version = created.body.version as number;
    for (let i = 0; i < 100; i++) {
      const edit = (port: number) => call(`/rules/${created.body.id}`, { method: 'PUT', headers: { ...auth('admin'), 'Content-Type': 'application/json', 'If-Match': String(version) },
        body: JSON.stringify({ name: 'raced', expression: `destination.port == ${port}`, scope: { hunts: [FILESIG] }, action: 'suppress' }) });
      const res = await Promise.all([edit(7000 + i), edit(8000 + i)]);
      expect(res.map((r) => r.status).sort()).toEqual([200, 409]);
      version = res.find((r) => r.status === 200)!.body.version as number;
    }
    expect(version).toBe(101);
    const versions = await request(t.app).get(`/api/rules/${created.body.id}/versions`).set(auth('viewer'));
    expect(versions.body.items).toHaveLength(101);
  }, 120_000);
});
