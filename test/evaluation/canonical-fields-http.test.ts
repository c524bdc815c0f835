import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

// A hunt whose query has no single table: canonical fields of its rows come from the row itself. Issue: a hit
// suppressed at ingest came back `open` with `fields: {}` after any re-evaluation, because ingest, re-evaluation
// and listing each derived fields their own way. These tests walk every path a hit takes.
const UNION_HUNT = {
  id: 'c0ffee00-0000-4000-8000-00000000a001',
  name: 'Ammyy across network and process events',
  description: 'Union hunt for the canonical-fields regression test',
  query: 'union DeviceNetworkEvents, DeviceProcessEvents\n| where InitiatingProcessFileName =~ "ammyy.exe"\n'
    + '| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), RemoteIP=take_any(RemoteIP) by DeviceId, DeviceName',
};
const RAW_HUNT = {
  id: 'c0ffee00-0000-4000-8000-00000000a002',
  name: 'Ammyy process events in Sentinel',
  description: 'Raw rows without summarize, as Sentinel returns them (TimeGenerated)',
  query: 'DeviceProcessEvents\n| where FileName =~ "ammyy.exe"',
};

describe('canonical fields have one owner: ingest, re-evaluation and listing agree', () => {
  let t: TestApp;
  const ruleIds: string[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    for (const hunt of [UNION_HUNT, RAW_HUNT]) {
      const res = await request(t.app).post('/api/hunts').set(t.auth('admin')).set('Content-Type', 'application/json').send(JSON.stringify(hunt));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const union = (await request(t.app).get(`/api/hunts/${UNION_HUNT.id}`).set(t.auth('viewer'))).body;
    expect(union.table).toBeNull();
    expect(union.groupKeys).toEqual(['DeviceId', 'DeviceName']);
    for (const [name, expression] of [['RFC1918 destinations', 'destination.ip in ("10.0.0.0/8")'],
      ['Explorer-launched processes', 'process.parent.name == "explorer.exe"'],
      ['Ammyy process at a known time', '@timestamp == "2026-11-20T10:00:00Z" and process.name == "ammyy.exe"']]) {
      const res = await request(t.app).post('/api/rules').set(t.auth('admin'))
        .send({ name, expression, scope: { allHunts: true }, action: 'suppress' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ruleIds.push(res.body.id);
    }
  });
  afterAll(async () => { await t.close(); });

  const ingest = (huntId: string, body: unknown) =>
    request(t.app).post(`/api/hunts/${huntId}/hits`).set(t.auth('analyst')).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const hitsOf = async (huntId: string) =>
    (await request(t.app).get('/api/hits').query({ huntId, limit: 500 }).set(t.auth('viewer'))).body.items as
      { id: string; status: string; fields: Record<string, unknown>; key: string[] }[];
  /** Re-evaluates through two different triggers: a rule edit (all hunts) and a group-directory upload. */
  async function reevaluateEverything() {
    const rule = (await request(t.app).get(`/api/rules/${ruleIds[0]}`).set(t.auth('viewer'))).body;
    const put = await request(t.app).put(`/api/rules/${rule.id}`).set(t.auth('admin')).set('If-Match', String(rule.version))
      .send({ ...rule, description: `edited at ${Date.now()}` });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.reevaluation.examined).toBeGreaterThan(0);
    const dir = await request(t.app).put('/api/directory/groups').set(t.auth('admin')).set('Content-Type', 'text/csv')
      .send('user,group\nCORP\\alice,Domain Admins\n');
    expect(dir.status).toBe(200);
  }

  it('when a union hunt row is suppressed at ingest, then it stays suppressed, with its fields, after re-evaluation', async () => {
    const res = await ingest(UNION_HUNT.id, [
      { DeviceId: 'u-1', DeviceName: 'ws-u1', RemoteIP: '10.1.2.3', FirstSeen: '2026-11-20T10:00:00Z', LastSeen: '2026-11-20T11:00:00Z' },
      { DeviceId: 'u-2', DeviceName: 'ws-u2', RemoteIP: '203.0.113.9', FirstSeen: '2026-11-20T10:00:00Z', LastSeen: '2026-11-20T11:00:00Z' },
    ]);
    expect(res.body).toMatchObject({ received: 2, inserted: 2, suppressed: 1, open: 1, rejected: [] });
    const check = async () => {
      const byDevice = Object.fromEntries((await hitsOf(UNION_HUNT.id)).map((h) => [h.key[0], h]));
      expect(byDevice['u-1']).toMatchObject({ status: 'suppressed', fields: { 'destination.ip': '10.1.2.3', 'host.name': 'ws-u1' } });
      expect(byDevice['u-2']).toMatchObject({ status: 'open', fields: { 'destination.ip': '203.0.113.9' } });
    };
    await check();
    await reevaluateEverything();
    await check();
  });

  it('when a streaming record names its table, then that table decides its fields at ingest and after re-evaluation', async () => {
    // Nothing in these columns says "process events": only the record's category does, so it must be kept with the hit.
    const record = (device: string, parent: string) => ({ time: '2026-11-20T10:00:00Z', category: 'AdvancedHunting-DeviceProcessEvents',
      properties: { Timestamp: '2026-11-20T10:00:00Z', DeviceId: device, DeviceName: `ws-${device}`, InitiatingProcessFileName: parent } });
    const res = await ingest(UNION_HUNT.id, { records: [record('s-1', 'explorer.exe'), record('s-2', 'services.exe')] });
    expect(res.body).toMatchObject({ received: 2, inserted: 2, suppressed: 1, open: 1, rejected: [] });
    const check = async () => {
      const byDevice = Object.fromEntries((await hitsOf(UNION_HUNT.id)).map((h) => [h.key[0], h]));
      expect(byDevice['s-1']).toMatchObject({ status: 'suppressed', fields: { 'process.parent.name': 'explorer.exe' } });
      expect(byDevice['s-2']).toMatchObject({ status: 'open', fields: { 'process.parent.name': 'services.exe' } });
      const detail = (await request(t.app).get(`/api/hits/${byDevice['s-1']!.id}`).set(t.auth('viewer'))).body;
      expect(detail).toMatchObject({ table: 'DeviceProcessEvents', status: 'suppressed' });
      expect(detail.matches.map((m: { ruleId: string }) => m.ruleId)).toEqual([ruleIds[1]]);
    };
    await check();
    await reevaluateEverything();
    await check();
  });

  it('when Sentinel rows carry TimeGenerated instead of Timestamp, then @timestamp, identity and times come from it on every path', async () => {
    const row = (device: string, time: string) => ({ TimeGenerated: time, DeviceId: device, DeviceName: `ws-${device}`, ReportId: 7,
      FileName: 'ammyy.exe', FolderPath: 'C:\\Users\\bob\\ammyy.exe', ProcessCommandLine: 'ammyy.exe', AccountDomain: 'CORP', AccountName: 'bob' });
    const res = await ingest(RAW_HUNT.id, [row('t-1', '2026-11-20T10:00:00Z'), row('t-2', '2026-11-20T12:00:00Z')]);
    expect(res.body).toMatchObject({ received: 2, inserted: 2, suppressed: 1, open: 1, rejected: [] });
    const again = await ingest(RAW_HUNT.id, [row('t-1', '2026-11-20T10:00:00.000Z')]);
    expect(again.body).toMatchObject({ inserted: 0, merged: 1 });
    const check = async () => {
      const byDevice = Object.fromEntries((await hitsOf(RAW_HUNT.id)).map((h) => [h.key[0], h]));
      expect(byDevice['t-1']).toMatchObject({ status: 'suppressed', fields: { '@timestamp': '2026-11-20T10:00:00.000Z', 'user.name': 'CORP\\bob' },
        firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' });
      expect(byDevice['t-2']).toMatchObject({ status: 'open', fields: { '@timestamp': '2026-11-20T12:00:00.000Z' } });
    };
    await check();
    await reevaluateEverything();
    await check();
  });
});
