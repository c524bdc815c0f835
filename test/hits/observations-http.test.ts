import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, summaryRow } from '../support/rows.js';

describe('a hit keeps every row merged into it', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });
  const ingest = (rows: unknown[]) => request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send(rows);
  const detailOf = async (device: string) => {
    const id = (await request(t.app).get('/api/hits').query({ device }).set(t.auth('viewer'))).body.items[0].id;
    return (await request(t.app).get(`/api/hits/${id}`).set(t.auth('viewer'))).body;
  };

  it('when a key is seen once, then the hit has one observation, the shown row, and nothing else is stored', async () => {
    const row = summaryRow();
    await ingest([row]);
    const hit = await detailOf(String(row.DeviceName));
    expect(hit.observations).toEqual([{ shown: true, raw: row, firstSeen: hit.firstSeen, lastSeen: hit.lastSeen, count: 2, reportIds: ['11', '12'] }]);
    expect(await t.services.db.sql.get('SELECT COUNT(*) AS n FROM "HitObservation"')).toEqual({ n: 0 });
  });

  it('when one key arrives as three different rows over two ingests, then all three are listed, newest shown first, and a re-ingest adds none', async () => {
    const a = summaryRow({ FirstSeen: '2026-11-01T00:00:00Z', LastSeen: '2026-11-02T00:00:00Z', Report: ['1'], Count: 1 });
    const b = { ...a, FirstSeen: '2026-11-03T00:00:00Z', LastSeen: '2026-11-04T00:00:00Z', Report: ['2'], Count: 3 };
    const c = { ...a, FirstSeen: '2026-11-05T00:00:00Z', LastSeen: '2026-11-06T00:00:00Z', Report: ['3'], Count: 2 };
    expect((await ingest([a, b])).body).toMatchObject({ inserted: 1, merged: 1 });
    expect((await ingest([c])).body).toMatchObject({ inserted: 0, merged: 1 });
    const hit = await detailOf(String(a.DeviceName));
    expect(hit).toMatchObject({ count: 3, reportIds: ['1', '2', '3'], raw: c });
    expect(hit.observations.map((o: { shown: boolean; raw: { LastSeen: string } }) => [o.shown, o.raw.LastSeen]))
      .toEqual([[true, c.LastSeen], [false, b.LastSeen], [false, a.LastSeen]]);
    const before = await snapshotDatabase(t.services);
    delete (before as Record<string, unknown>).AuditEvent;
    await ingest([a, b, c]);
    const after = await snapshotDatabase(t.services);
    delete (after as Record<string, unknown>).AuditEvent;
    expect(after).toEqual(before);
  });
});
