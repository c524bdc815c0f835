import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { CONNECTION, WORKSPACE, netconnTable, putSchedule, runNow, startScheduleHarness, type ScheduleHarness } from '../support/schedule-harness.js';
import { RESULT_TOO_LARGE } from '../support/fake-log-analytics.js';
import { NETCONN } from '../support/rows.js';

type Hit = { id: string; status: string; firstSeen: string; lastSeen: string; count: number; reportIds: string[]; raw: Record<string, unknown> };

/** The hits of one device prefix as a triager sees them, without ids and timestamps of their own. */
async function hitsOf(t: TestApp, prefix: string) {
  const list = await request(t.app).get('/api/hits').query({ huntId: NETCONN, devicePrefix: `ws-${prefix}` }).set(t.auth('viewer'));
  const out = [];
  for (const h of list.body.items as Hit[]) {
    const d = (await request(t.app).get(`/api/hits/${h.id}`).set(t.auth('viewer'))).body as Hit;
    out.push({ status: d.status, firstSeen: d.firstSeen, lastSeen: d.lastSeen, count: d.count, reportIds: d.reportIds, raw: d.raw });
  }
  return out.sort((a, b) => String(a.raw.DeviceId).localeCompare(String(b.raw.DeviceId)));
}

describe('scheduled runs through the Log Analytics query API (LogsQueryClient against a fake workspace)', () => {
  let h: ScheduleHarness;
  let huntQuery: string;
  beforeAll(async () => {
    h = await startScheduleHarness();
    expect((await putSchedule(h.t, NETCONN, { connectionId: CONNECTION, api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 1440 })).status).toBe(201);
    huntQuery = (await request(h.t.app).get(`/api/hunts/${NETCONN}`).set(h.t.auth('viewer'))).body.query;
  });
  afterAll(async () => { await h.close(); });

  it('when the hunt runs, then its query and lookback go to the workspace and its rows land as hits, counted on the run', async () => {
    h.la.table = netconnTable(3, 'la1');
    const sent = h.la.requests.length;
    const res = await runNow(h.t, NETCONN);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ huntId: NETCONN, connectionId: CONNECTION, api: 'log-analytics', status: 'succeeded', trigger: 'manual',
      triggeredBy: 'admin2', timespan: 'P1D', attempts: 1, rows: 3, inserted: 3, merged: 0, rejected: 0, truncated: false, truncationNote: null, error: null });
    expect(res.body.suppressed + res.body.flagged + res.body.open).toBe(3);
    expect(h.la.requests.slice(sent)).toEqual([{ method: 'POST', path: `/v1/workspaces/${WORKSPACE}/query`, authorization: 'Bearer test',
      body: { query: huntQuery, timespan: 'P1D' } }]);
    expect(h.scopes).toContain('https://api.loganalytics.io/.default');
    const hits = await hitsOf(h.t, 'la1');
    expect(hits).toHaveLength(3);
    // The raw row is the one the service sent: 100 ns digits and the make_set() text kept.
    expect(hits[0]!.raw).toMatchObject({ DeviceId: 'la1-0', FirstSeen: '2026-11-18T08:00:00.1234567Z', Report: '["1000","2000"]' });
    expect(hits[0]).toMatchObject({ firstSeen: '2026-11-18T08:00:00.123Z', count: 2, reportIds: ['1000', '2000'] });
    const listed = await request(h.t.app).get(`/api/hunts/${NETCONN}/runs`).set(h.t.auth('viewer'));
    expect(listed.body.items[0]).toEqual(res.body);
  });

  it('when a run finishes, then the start, the ingest (as the schedule) and the finish are audited', async () => {
    h.la.table = netconnTable(1, 'la2');
    const run = (await runNow(h.t, NETCONN)).body;
    const events = await h.t.services.db.prisma.auditEvent.findMany({ where: { OR: [{ entityId: run.id }, { action: 'hits.ingest' }] },
      orderBy: { id: 'asc' } });
    const mine = events.filter((e) => e.entityId === run.id);
    expect(mine.map((e) => [e.action, e.actorName])).toEqual([['hunt-run.start', 'admin2'], ['hunt-run.finish', `schedule:${NETCONN}`]]);
    expect(JSON.parse(mine[1]!.after!)).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(events.at(-2)).toMatchObject({ action: 'hits.ingest', actorName: `schedule:${NETCONN}`, entityId: NETCONN });
  });

  it('when the same result is run again, then nothing changes: inserted 0, every row merged, the hits as they were', async () => {
    h.la.table = netconnTable(4, 'la3');
    expect((await runNow(h.t, NETCONN)).body).toMatchObject({ status: 'succeeded', inserted: 4 });
    const before = await snapshotDatabase(h.t.services);
    const again = await runNow(h.t, NETCONN);
    expect(again.body).toMatchObject({ status: 'succeeded', rows: 4, inserted: 0, merged: 4, rejected: 0 });
    const after = await snapshotDatabase(h.t.services);
    expect(after.Hit).toEqual(before.Hit);
    expect(after.HitObservation).toEqual(before.HitObservation);
  });

  it('when the result is also posted to POST /hits of a fresh Quell, then the ingest result and the hits are the same', async () => {
    const table = netconnTable(3, 'la4');
    // A row with a cell missing: rejected by both paths, whatever the identity rules.
    table.rows.push(['la4-short', 'ws-la4-short', 'rl.ammyy.com']);
    h.la.table = table;
    const run = (await runNow(h.t, NETCONN)).body;
    const ref = await createTestApp();
    try {
      const posted = await request(ref.app).post(`/api/hunts/${NETCONN}/hits`).set(ref.auth('analyst')).set('Content-Type', 'application/json')
        .send(JSON.stringify({ tables: [{ name: 'PrimaryResult', ...table }] }));
      expect(posted.status).toBe(200);
      const { received, inserted, merged, rejected, suppressed, flagged, open } = posted.body;
      expect(rejected).toHaveLength(1);
      expect(run).toMatchObject({ rows: received, inserted, merged, rejected: rejected.length, suppressed, flagged, open });
      expect(await hitsOf(h.t, 'la4')).toEqual(await hitsOf(ref, 'la4'));
    } finally {
      await ref.close();
    }
  });

  it('when Log Analytics cuts the result at its row limit (a partial result), then the run is truncated, says which limit, and ingests what came', async () => {
    h.la.table = netconnTable(2, 'la5');
    h.la.partialError = RESULT_TOO_LARGE;
    try {
      const res = await runNow(h.t, NETCONN);
      expect(res.body).toMatchObject({ status: 'succeeded', truncated: true, rows: 2, inserted: 2, error: null });
      expect(res.body.truncationNote).toMatch(/500,000 rows or 64 MB \(E_QUERY_RESULT_SET_TOO_LARGE\): 2 rows came and were ingested/);
      expect(await hitsOf(h.t, 'la5')).toHaveLength(2);
    } finally {
      h.la.partialError = undefined;
    }
  });

  it('when Log Analytics reports another partial failure, then the run is truncated with the service\'s code and message', async () => {
    h.la.table = netconnTable(1, 'la6');
    h.la.partialError = { code: 'PartialError', message: 'Query timed out on one shard' };
    try {
      const res = await runNow(h.t, NETCONN);
      expect(res.body).toMatchObject({ status: 'succeeded', truncated: true, inserted: 1 });
      expect(res.body.truncationNote)
        .toBe('Log Analytics returned a partial result (PartialError: Query timed out on one shard): 1 rows came and were ingested');
    } finally {
      h.la.partialError = undefined;
    }
  });

  it('when the workspace returns no rows, then the run succeeds with zero counts and ingests nothing', async () => {
    h.la.table = netconnTable(0);
    const ingests = await h.t.services.db.prisma.auditEvent.count({ where: { action: 'hits.ingest' } });
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ status: 'succeeded', rows: 0, inserted: 0, merged: 0, rejected: 0, truncated: false });
    expect(await h.t.services.db.prisma.auditEvent.count({ where: { action: 'hits.ingest' } })).toBe(ingests);
  });
});
