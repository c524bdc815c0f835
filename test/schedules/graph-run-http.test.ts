import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp } from '../support/test-app.js';
import { CONNECTION, putSchedule, runNow, startScheduleHarness, type ScheduleHarness } from '../support/schedule-harness.js';
import { NETCONN } from '../support/rows.js';

const SCHEMA = [
  { name: 'DeviceId', type: 'String' }, { name: 'DeviceName', type: 'String' }, { name: 'RemoteUrl', type: 'String' },
  { name: 'FirstSeen', type: 'DateTime' }, { name: 'LastSeen', type: 'DateTime' }, { name: 'Report', type: 'Object' }, { name: 'Count', type: 'Int64' },
];

/** The seed netconn hunt's summarised rows as advanced hunting returns them: row objects, make_set() as an array. */
const results = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({
  DeviceId: `${prefix}-${i}`, DeviceName: `ws-${prefix}-${i}.corp.example`, RemoteUrl: 'rl.ammyy.com',
  FirstSeen: '2024-03-26T09:39:49.4353788Z', LastSeen: '2024-03-26T09:39:50.7688641Z', Report: [`${i + 1}`], Count: 1,
}));

describe('scheduled runs through Defender advanced hunting (Graph runHuntingQuery against a fake Graph)', () => {
  let h: ScheduleHarness;
  let huntQuery: string;
  beforeAll(async () => {
    // A small row limit stands in for advanced hunting's 100,000, so the limit is reached without 100,000 rows.
    h = await startScheduleHarness({ graph: { rowLimit: 5 } });
    expect((await putSchedule(h.t, NETCONN, { connectionId: CONNECTION, api: 'defender', intervalMinutes: 360, lookbackMinutes: 360 })).status).toBe(201);
    huntQuery = (await request(h.t.app).get(`/api/hunts/${NETCONN}`).set(h.t.auth('viewer'))).body.query;
    h.graph.schema = SCHEMA;
  });
  afterAll(async () => { await h.close(); });

  it('when the hunt runs, then Graph gets { Query, Timespan } with a Graph token and the results land as hits, counted on the run', async () => {
    h.graph.results = results(3, 'g1');
    const sent = h.graph.requests.length;
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ api: 'defender', status: 'succeeded', timespan: 'PT6H', attempts: 1, rows: 3, inserted: 3, merged: 0,
      rejected: 0, truncated: false });
    expect(h.graph.requests.slice(sent)).toEqual([{ method: 'POST', path: '/v1.0/security/runHuntingQuery', authorization: 'Bearer test',
      body: { Query: huntQuery, Timespan: 'PT6H' } }]);
    expect(h.scopes).toContain('https://graph.microsoft.com/.default');
    const list = await request(h.t.app).get('/api/hits').query({ huntId: NETCONN, devicePrefix: 'ws-g1' }).set(h.t.auth('viewer'));
    expect(list.body.items.map((x: { count: number; reportIds: string[] }) => [x.count, x.reportIds]).sort())
      .toEqual([[1, ['1']], [1, ['2']], [1, ['3']]]);
  });

  it('when the same results come again, then the run inserts nothing and merges every row', async () => {
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ status: 'succeeded', rows: 3, inserted: 0, merged: 3 });
  });

  it('when the document is posted to POST /hits of a fresh Quell as is, then the ingest result is the run\'s', async () => {
    // A row that is not an object: rejected by both paths, whatever the identity rules.
    h.graph.results = [...results(2, 'g2'), 'not a row' as unknown as Record<string, unknown>];
    const run = (await runNow(h.t, NETCONN)).body;
    const ref = await createTestApp();
    try {
      const doc = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults',
        schema: SCHEMA, results: h.graph.results };
      const posted = (await request(ref.app).post(`/api/hunts/${NETCONN}/hits`).set(ref.auth('analyst')).send(doc)).body;
      expect(posted.rejected).toHaveLength(1);
      expect(run).toMatchObject({ rows: posted.received, inserted: posted.inserted, merged: posted.merged, rejected: 1,
        suppressed: posted.suppressed, flagged: posted.flagged, open: posted.open });
    } finally {
      await ref.close();
    }
  });

  it('when Graph returns as many rows as advanced hunting\'s row limit, then the run is truncated with a note naming the limit', async () => {
    h.graph.results = results(5, 'g3');
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ status: 'succeeded', truncated: true, rows: 5, inserted: 5 });
    expect(res.body.truncationNote).toMatch(/^the result has 5 rows, Defender advanced hunting's limit of 5: rows beyond it were dropped/);
  });

  it('when Graph answers 200 without a results array, then the run fails saying so and is not retried', async () => {
    h.graph.failNext({ status: 200, body: { value: [] } });
    const res = await runNow(h.t, NETCONN);
    expect(res.body).toMatchObject({ status: 'failed', attempts: 1, rows: null, inserted: null,
      error: 'Graph runHuntingQuery answered 200 without a results array' });
  });
});
