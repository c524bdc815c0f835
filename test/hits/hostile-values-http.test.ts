import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, summaryRow } from '../support/rows.js';

// Values SQLite stores as they are and PostgreSQL does not (NUL in text, index entries over ~2.7 KB): Quell answers
// them the same way on either database, and never with a 5xx.
describe('values one database would refuse', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });
  const ingest = (rows: unknown[]) => request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send(rows);
  const hitOf = async (deviceId: string) => {
    const page = await request(t.app).get('/api/hits').query({ huntId: NETCONN, q: deviceId, limit: 10 }).set(t.auth('viewer'));
    return page.body.items as { id: string; key: string[]; fields: Record<string, unknown>; count: number }[];
  };

  it('when a group key value is 5,000 characters long, then the row is one hit, the same row again merges into it, and its key is a digest', async () => {
    const url = `https://rl.ammyy.com/${'a'.repeat(5_000)}`;
    const row = summaryRow({ DeviceId: 'long-key-1', RemoteUrl: url, Count: 2 });
    expect((await ingest([row])).body).toMatchObject({ inserted: 1, rejected: [] });
    expect((await ingest([{ ...row, Count: 5 }])).body).toMatchObject({ inserted: 0, merged: 1 });
    const hits = await hitOf('long-key-1');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.count).toBe(5);
    expect(hits[0]!.key).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    const full = (await request(t.app).get(`/api/hits/${hits[0]!.id}`).set(t.auth('viewer'))).body;
    expect(full.raw.RemoteUrl).toBe(url); // the row keeps the value as it came
  });

  it('when a row\'s device name holds a NUL character, then it is stored with the row as it came; a filter holding one is a 400', async () => {
    const res = await ingest([summaryRow({ DeviceId: 'nul-dev-1', DeviceName: 'ws-\u0000-1.corp.example' })]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ inserted: 1, rejected: [] });
    const [hit] = await hitOf('nul-dev-1');
    const full = (await request(t.app).get(`/api/hits/${hit!.id}`).set(t.auth('viewer'))).body;
    expect(full.raw.DeviceName).toBe('ws-\u0000-1.corp.example');
    const byDevice = await request(t.app).get('/api/hits').query({ huntId: NETCONN, device: 'ws-\u0000-1.corp.example' }).set(t.auth('viewer'));
    expect(byDevice.status).toBe(400);
    expect(byDevice.body.errors).toEqual([{ pointer: '/device', message: 'contains U+0000' }]);
  });

  it('when a JSON body other than hits holds a NUL character, then it is a 400 naming where, and nothing changes', async () => {
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/rules').set(t.auth('admin'))
      .send({ name: 'nul\u0000rule', expression: 'process.name == "x.exe"', scope: { allHunts: true }, action: 'flag' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ pointer: '/name', message: 'contains U+0000' }]);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when a list entry\'s key is over 2,048 bytes, then it is a 400 saying so, and nothing changes', async () => {
    const list = (await request(t.app).get('/api/suppression-lists').set(t.auth('viewer'))).body.items.find((l: { hunts: string[] }) => l.hunts.includes(NETCONN));
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post(`/api/suppression-lists/${list.id}/entries`).set(t.auth('admin'))
      .send({ values: { DeviceId: 'd', DeviceName: 'n', RemoteUrl: `u${'x'.repeat(2_100)}` }, reason: 'too long' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/2048 bytes|2,048 bytes/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when a hunt document or a group directory holds a NUL character, then it is a 400', async () => {
    const hunt = await request(t.app).post('/api/hunts').set(t.auth('admin')).set('Content-Type', 'application/json')
      .send(JSON.stringify({ id: 'c0ffee00-0000-4000-8000-00000000d00d', name: 'n', query: 'DeviceNetworkEvents\u0000' }));
    expect(hunt.status).toBe(400);
    const dir = await request(t.app).put('/api/directory/groups').set(t.auth('admin')).set('Content-Type', 'text/csv').send('user,group\nCORP\\a\u0000,Admins\n');
    expect(dir.status).toBe(400);
  });
});
