import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startFakeArm, type FakeArm } from '../support/fake-arm.js';
import { addEntries, connectList, hostNames, sentinelOverrides, syncList, TEST_SECRET_KEY, WORKSPACE_BASE } from '../support/sentinel.js';

describe('sync against a Sentinel that throttles, fails, is slow or drops connections', () => {
  let t: TestApp, fake: FakeArm, listId: string;
  const ALIAS = 'faulty-list';
  let batch = 0;
  const sync = () => request(t.app).post(`/api/suppression-lists/${listId}/sync`).set(t.auth('admin')).send({});
  const more = (n: number) => addEntries(t.services, listId, hostNames(n, `batch${++batch}`));
  const held = () => fake.items(WORKSPACE_BASE, ALIAS).length;

  beforeAll(async () => {
    fake = await startFakeArm({ pageSize: 10 });
    t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides() });
    listId = await syncList(t, ALIAS);
    await connectList(t, fake, listId);
  });
  afterAll(async () => { await t.close(); await fake.close(); });
  beforeEach(() => { fake.heal(); fake.resetCounts(); });

  it('when Sentinel answers 429 with Retry-After: 1, then the sync waits that long, retries and succeeds', async () => {
    await more(5);
    fake.fail(2, 429, { kinds: ['item.put'], retryAfter: '1' });
    const started = Date.now();
    const res = await sync();
    expect(res.body.results[0]).toMatchObject({ status: 'succeeded', applied: { created: 5 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.counts.status[429]).toBe(2);
    expect(held()).toBe(5);
  });

  it('when item writes fail with 500 and 503 a few times, then they are retried with backoff and the sync succeeds', async () => {
    await more(5);
    fake.fail(2, 500, { kinds: ['item.put'] });
    fake.fail(1, 503, { kinds: ['item.list'] });
    const res = await sync();
    expect(res.body.results[0]).toMatchObject({ status: 'succeeded', applied: { created: 5 } });
    expect(fake.counts.status[500]).toBe(2);
    expect(fake.counts.status[503]).toBe(1);
    expect(held()).toBe(10);
  });

  it('when Sentinel keeps failing, then the run is failed with what Sentinel said, and the answer says so', async () => {
    fake.fail(50, 500, { kinds: ['watchlist.get'] });
    const res = await sync();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', results: [{ status: 'failed', error: expect.stringMatching(/reading watchlist faulty-list .*Sentinel answered 500/) }] });
    expect(fake.counts['watchlist.get']).toBe(4);
  });

  it('when the app registration lacks the role (403), then the error says which role it needs, without retrying', async () => {
    fake.fail(1, 403, { kinds: ['watchlist.get'] });
    const res = await sync();
    expect(res.body.results[0].error).toMatch(/403 .*Microsoft Sentinel Contributor/);
    expect(fake.counts['watchlist.get']).toBe(1);
  });

  it('when every answer is slow, then the sync still converges, and a second sync started meanwhile is a 409', async () => {
    await more(3);
    fake.delayMs = 40;
    const first = sync().then((r) => r); // supertest sends on then()
    await new Promise((r) => setTimeout(r, 10));
    const second = await sync();
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/already running/);
    expect((await first).body.results[0]).toMatchObject({ status: 'succeeded', applied: { created: 3 } });
    expect(held()).toBe(13);
  });

  it('when the connection drops after 10 item writes, then the run fails having counted exactly those, and the next sync converges', async () => {
    await more(40);
    fake.dropAfterItemWrites(10);
    const res = await sync();
    expect(res.body.results[0]).toMatchObject({ status: 'failed', applied: { created: 10 } });
    expect(held()).toBe(23);
    fake.heal();
    const resumed = await sync();
    expect(resumed.body.results[0]).toMatchObject({ status: 'succeeded', counts: { create: 30, update: 0, delete: 0, unchanged: 23 }, applied: { created: 30 } });
    expect(held()).toBe(53);
    expect((await sync()).body.results[0].counts).toMatchObject({ create: 0, update: 0, delete: 0, unchanged: 53 });
  });
});
