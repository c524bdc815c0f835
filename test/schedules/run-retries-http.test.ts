import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import request from 'supertest';
import { CONNECTION, UNREACHABLE, netconnTable, putSchedule, runNow, startScheduleHarness, type ScheduleHarness } from '../support/schedule-harness.js';
import { FILESIG, NETCONN } from '../support/rows.js';

describe('scheduled runs: retries with backoff on 429 and 5xx, through an injectable sleep', () => {
  let h: ScheduleHarness;
  beforeAll(async () => {
    h = await startScheduleHarness();
    await putSchedule(h.t, NETCONN, { connectionId: CONNECTION, api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 60 });
    await putSchedule(h.t, FILESIG, { connectionId: CONNECTION, api: 'defender', intervalMinutes: 60, lookbackMinutes: 60 });
    h.graph.schema = [{ name: 'DeviceId', type: 'String' }, { name: 'DeviceName', type: 'String' }];
  });
  afterAll(async () => { await h.close(); });
  beforeEach(() => { h.waits.length = 0; });

  it('when Log Analytics answers 429 with Retry-After: 7 and then succeeds, then the run retried once after 7 s and records 2 attempts', async () => {
    h.la.table = netconnTable(2, 'r1');
    h.la.failNext({ status: 429, retryAfter: '7' });
    const sent = h.la.requests.length;
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ status: 'succeeded', attempts: 2, rows: 2, inserted: 2, error: null });
    expect(h.waits).toEqual([7000]);
    expect(h.la.requests.length - sent).toBe(2);
  });

  it('when Graph answers 429 with Retry-After: 3 and then succeeds, then the run waited 3 s and records 2 attempts', async () => {
    h.graph.results = [{ DeviceId: 'r2-dev', DeviceName: 'r2-host' }];
    h.graph.failNext({ status: 429, retryAfter: '3', body: { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded' } } });
    const res = await runNow(h.t, FILESIG);
    expect(res.body).toMatchObject({ status: 'succeeded', attempts: 2, rows: 1, inserted: 1 });
    expect(h.waits).toEqual([3000]);
  });

  it('when the workspace keeps answering 503, then the run backs off 2, 4, 8 s, gives up after 4 attempts and records the error', async () => {
    h.la.table = netconnTable(1, 'r3');
    h.la.failNext(...Array.from({ length: 4 }, () => ({ status: 503, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } })));
    const sent = h.la.requests.length;
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ status: 'failed', attempts: 4, rows: null, inserted: null, truncated: false });
    expect(res.body.error).toBe('gave up after 4 attempts: Log Analytics answered 503 ServiceUnavailable: try later');
    expect(h.waits).toEqual([2000, 4000, 8000]);
    expect(h.la.requests.length - sent).toBe(4);
    const hits = await request(h.t.app).get('/api/hits').query({ huntId: NETCONN, devicePrefix: 'ws-r3' }).set(h.t.auth('viewer'));
    expect(hits.body.total).toBe(0);
  });

  it('when Graph answers 502 twice and then succeeds, then the run succeeds on the third attempt', async () => {
    h.graph.results = [{ DeviceId: 'r4-dev', DeviceName: 'r4-host' }];
    h.graph.failNext({ status: 502 }, { status: 502 });
    const res = await runNow(h.t, FILESIG);
    expect(res.body).toMatchObject({ status: 'succeeded', attempts: 3, inserted: 1 });
    expect(h.waits).toEqual([2000, 4000]);
  });

  it('when nothing answers at the endpoint (connection refused), then both APIs retry with backoff and fail after the cap, naming why', async () => {
    await putSchedule(h.t, NETCONN, { connectionId: UNREACHABLE, api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 60 });
    await putSchedule(h.t, FILESIG, { connectionId: UNREACHABLE, api: 'defender', intervalMinutes: 60, lookbackMinutes: 60 });
    try {
      const la = (await runNow(h.t, NETCONN)).body;
      expect(la).toMatchObject({ status: 'failed', attempts: 4, connectionId: UNREACHABLE });
      expect(la.error).toMatch(/^gave up after 4 attempts: Log Analytics could not be reached: .*ECONNREFUSED/);
      const graph = (await runNow(h.t, FILESIG)).body;
      expect(graph).toMatchObject({ status: 'failed', attempts: 4, error: 'gave up after 4 attempts: Graph could not be reached: ECONNREFUSED' });
      expect(h.waits).toEqual([2000, 4000, 8000, 2000, 4000, 8000]);
    } finally {
      await putSchedule(h.t, NETCONN, { connectionId: CONNECTION, api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 60 });
      await putSchedule(h.t, FILESIG, { connectionId: CONNECTION, api: 'defender', intervalMinutes: 60, lookbackMinutes: 60 });
    }
  });

  it('when the query is refused (400), then it is not retried and the service\'s reason is the error', async () => {
    h.la.failNext({ status: 400, body: { error: { code: 'BadArgumentError', message: "Failed to resolve table expression named 'DeviceNetworkEvent'" } } });
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ status: 'failed', attempts: 1 });
    expect(res.body.error).toBe("Log Analytics answered 400 BadArgumentError: Failed to resolve table expression named 'DeviceNetworkEvent'");
    expect(h.waits).toEqual([]);
  });

  it('when Retry-After asks for longer than a run waits, then the run fails at once naming the wait, for the next run to retry', async () => {
    h.graph.failNext({ status: 429, retryAfter: '3600' });
    const res = await runNow(h.t, FILESIG);
    expect(res.body).toMatchObject({ status: 'failed', attempts: 1 });
    expect(res.body.error).toMatch(/answered 429: TooManyRequests: fake fault 429; the server asked to wait 3600 s, longer than a run waits \(120 s\)/);
    expect(h.waits).toEqual([]);
  });
});
