import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createHitCache } from '../../src/suggestions/hit-cache.js';
import { listsServingHunt } from '../../src/suppression/lists-store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { FILESIG, NETCONN, summaryRow } from '../support/rows.js';

const BENIGN = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'helpdesk' };

// The cache keeps each hit's derived fields between calls; what it must never do is answer a hit's old state.
describe('the hits mining reads, kept between calls', () => {
  let t: TestApp;
  const rows = Array.from({ length: 6 }, (_, i) => summaryRow({ DeviceName: `cache-${i}` }));
  const ingest = (hunt: string, body: unknown[]) => request(t.app).post(`/api/hunts/${hunt}/hits`).set(t.auth('analyst')).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    expect((await ingest(NETCONN, rows)).body).toMatchObject({ inserted: 6 });
    expect((await ingest(FILESIG, [{ DeviceId: 'f-1', DeviceName: 'files-1', SHA1: 'a'.repeat(40), Signer: 'x', Issuer: 'y' }])).status).toBe(200);
  });
  afterAll(async () => { await t.close(); });

  const load = async (cache: ReturnType<typeof createHitCache>, hunt: string) => cache.load(hunt, await listsServingHunt(t.services.db.sql, hunt));
  const byName = (hits: Awaited<ReturnType<ReturnType<typeof createHitCache>['load']>>) => new Map(hits.map((h) => [String(h.fields['host.name']), h]));

  it('when a verdict is recorded between two calls, then the second answers it without deriving the hit again', async () => {
    const cache = createHitCache(t.services.db);
    const first = byName(await load(cache, NETCONN));
    expect(first.get('cache-0')).toMatchObject({ verdict: null, suppressed: false });
    const id = first.get('cache-0')!.id;
    const version = (await request(t.app).get(`/api/hits/${id}`).set(t.auth('viewer'))).body.version;
    expect((await request(t.app).post(`/api/hits/${id}/verdicts`).set(t.auth('analyst')).send({ ...BENIGN, hitVersion: version })).status).toBe(201);
    const second = byName(await load(cache, NETCONN));
    expect(second.get('cache-0')).toMatchObject({ id, verdict: 'benign' });
    expect(second.get('cache-1')).toBe(first.get('cache-1'));
  });

  it('when a hit is written again (a merged row), then only that hit is derived again, with its new fields', async () => {
    const cache = createHitCache(t.services.db);
    const first = byName(await load(cache, NETCONN));
    expect((await ingest(NETCONN, [{ ...rows[2], LastSeen: '2026-11-30T08:00:00Z', Count: 9 }])).body).toMatchObject({ merged: 1 });
    const second = byName(await load(cache, NETCONN));
    expect(second.get('cache-2')).not.toBe(first.get('cache-2'));
    expect(second.get('cache-2')!.id).toBe(first.get('cache-2')!.id);
    expect(second.get('cache-3')).toBe(first.get('cache-3'));
    expect(second.size).toBe(first.size);
  });

  it('when two hunts hold more hits than the cache keeps, then the one asked about last stays and the other is derived afresh', async () => {
    const netconnHits = (await load(createHitCache(t.services.db), NETCONN)).length;
    const cache = createHitCache(t.services.db, netconnHits); // room for the netconn hunt alone
    const a = await load(cache, NETCONN);
    await load(cache, FILESIG);
    const again = await load(cache, NETCONN);
    expect(again.map((h) => h.id).sort()).toEqual(a.map((h) => h.id).sort());
    expect(again.some((h, i) => h === a[i])).toBe(false); // dropped when the file hunt came in
    const kept = await load(cache, NETCONN);
    expect(kept.every((h, i) => h === again[i])).toBe(true);
  });
});
