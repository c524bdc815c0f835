import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, netconnRow, summaryRow } from '../support/rows.js';

describe('hit ingest over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });
  const ingest = (body: string | object, type = 'application/json') =>
    request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).set('Content-Type', type)
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('when the same batch is ingested twice, then the second changes nothing and reports every row merged', async () => {
    const rows = [summaryRow(), summaryRow()];
    const first = await ingest(rows);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 2, inserted: 2, merged: 0, rejected: [] });
    const before = await snapshotDatabase(t.services);
    delete (before as Record<string, unknown>).AuditEvent;
    const second = await ingest(rows);
    expect(second.body).toMatchObject({ received: 2, inserted: 0, merged: 2, rejected: [] });
    const after = await snapshotDatabase(t.services);
    delete (after as Record<string, unknown>).AuditEvent;
    expect(after).toEqual(before);
  });

  it('when overlapping 5-day windows report the same hit, then firstSeen is the min, lastSeen the max, reports the union, count the max', async () => {
    const a = summaryRow({ FirstSeen: '2026-11-10T00:00:00Z', LastSeen: '2026-11-14T00:00:00Z', Report: ['1', '2'], Count: 5 });
    const b = { ...a, FirstSeen: '2026-11-12T00:00:00Z', LastSeen: '2026-11-16T00:00:00Z', Report: ['2', '3'], Count: 4 };
    await ingest([a]);
    const res = await ingest([b]);
    expect(res.body).toMatchObject({ inserted: 0, merged: 1 });
    const list = await request(t.app).get('/api/hits').query({ huntId: NETCONN, device: String(a.DeviceName) }).set(t.auth('viewer'));
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ firstSeen: '2026-11-10T00:00:00.000Z', lastSeen: '2026-11-16T00:00:00.000Z', count: 5,
      reportIds: ['1', '2', '3'] });
  });

  it('when some rows are bad, then each is rejected with its index and reason and the good rows land', async () => {
    const good = netconnRow();
    const res = await ingest([good, netconnRow({ RemoteIP: '300.1.1.1' }), { DeviceName: 'x', RemoteUrl: 'y' }, netconnRow({ Timestamp: 'yesterday' })]);
    expect(res.status).toBe(200);
    expect(res.body.received).toBe(4);
    expect(res.body.inserted).toBe(1);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(res.body.rejected[1].error).toMatch(/DeviceId/);
    expect(res.body.rejected[0].error).toMatch(/RemoteIP/);
  });

  it('when the body cannot be parsed at all, then it is a 400 and nothing is written', async () => {
    const before = await snapshotDatabase(t.services);
    for (const [body, type] of [['{"rows": [', 'application/json'], ['{"foo": 1}', 'application/json'], ['', 'text/csv']]) {
      const res = await ingest(body!, type);
      expect(res.status, body).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when rows come as CSV with a BOM, CRLF, quoted commas and a Report JSON array, then they land like JSON rows', async () => {
    const csv = '\uFEFFDeviceId,DeviceName,RemoteUrl,FirstSeen,LastSeen,Report,Count\r\n'
      + 'csv-dev-1,"ws,1",rl.ammyy.com,2026-11-18T08:00:00Z,2026-11-19T08:00:00Z,"[""7"",""8""]",2\r\n';
    const res = await ingest(csv, 'text/csv');
    expect(res.body).toMatchObject({ received: 1, inserted: 1, rejected: [] });
    const hit = (await request(t.app).get('/api/hits').query({ q: 'csv-dev-1' }).set(t.auth('viewer'))).body.items[0];
    expect(hit.reportIds).toEqual(['7', '8']);
    expect(hit.fields['host.name']).toBe('ws,1');
  });

  it('when rows come as NDJSON, Log Analytics tables, Defender Schema/Results and streaming records, then each lands', async () => {
    const r1 = netconnRow(), r2 = netconnRow(), r3 = netconnRow(), r4 = netconnRow();
    expect((await ingest(`${JSON.stringify(r1)}\n\n${JSON.stringify(r2)}\n`, 'application/x-ndjson')).body).toMatchObject({ inserted: 2 });
    const cols = Object.keys(r3);
    expect((await ingest({ tables: [{ name: 'PrimaryResult', columns: cols.map((name) => ({ name, type: 'string' })), rows: [cols.map((c) => r3[c])] }] })).body)
      .toMatchObject({ inserted: 1, rejected: [] });
    expect((await ingest({ schema: cols.map((Name) => ({ Name, Type: 'String' })), RESULTS: [r4] })).body).toMatchObject({ inserted: 1 });
    const { Timestamp, ...props } = netconnRow();
    expect((await ingest({ records: [{ time: Timestamp, category: 'AdvancedHunting-DeviceNetworkEvents', properties: { Timestamp, ...props } }] })).body)
      .toMatchObject({ inserted: 1, rejected: [] });
  });

  it('when a raw row uses Sentinel\'s TimeGenerated, then it is read as Timestamp', async () => {
    const { Timestamp: _ts, ...row } = netconnRow({ DeviceName: 'tg-host' });
    const res = await ingest([{ ...row, TimeGenerated: '2026-11-21T09:30:00Z' }]);
    expect(res.body).toMatchObject({ inserted: 1, rejected: [] });
    const hit = (await request(t.app).get('/api/hits').query({ device: 'tg-host' }).set(t.auth('viewer'))).body.items[0];
    expect(hit.lastSeen).toBe('2026-11-21T09:30:00.000Z');
    expect(hit.fields['@timestamp']).toBe('2026-11-21T09:30:00.000Z');
  });

  it('when hits are paged with a cursor, then every hit appears exactly once in last-seen order', async () => {
    await ingest(Array.from({ length: 7 }, (_, i) => summaryRow({ DeviceName: `page-${i}`, LastSeen: `2026-10-0${i + 1}T00:00:00Z`, FirstSeen: '2026-10-01T00:00:00Z' })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app).get('/api/hits').query({ device: 'page-*', limit: 3, ...(cursor ? { cursor } : {}) }).set(t.auth('viewer'));
      seen.push(...res.body.items.map((h: { fields: Record<string, string> }) => h.fields['host.name']));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
  });

  it('when a viewer tries to ingest, then it is a 403 and nothing changes', async () => {
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('viewer')).send([summaryRow()]);
    expect(res.status).toBe(403);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });
});
