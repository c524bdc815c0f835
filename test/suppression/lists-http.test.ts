import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, FILESIG, summaryRow } from '../support/rows.js';
import { analyseKql } from '../../src/kusto/analyser.js';

describe('suppression lists, approval, expiry and Sentinel exports over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  async function newList(over: Record<string, unknown> = {}) {
    const res = await request(t.app).post('/api/suppression-lists').set(t.auth('admin')).send({
      alias: `list-${Math.random().toString(36).slice(2, 8)}`, displayName: 'Test list', hunts: [NETCONN], ...over });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('when the database is fresh, then each seed hunt has one list keyed on its group keys', async () => {
    const res = await request(t.app).get('/api/suppression-lists').set(t.auth('viewer'));
    const forNetconn = res.body.items.filter((l: { hunts: string[] }) => l.hunts.includes(NETCONN));
    const forFilesig = res.body.items.filter((l: { hunts: string[] }) => l.hunts.includes(FILESIG));
    expect(forNetconn).toHaveLength(1);
    expect(forFilesig).toHaveLength(1);
    expect(forNetconn[0]).toMatchObject({ keyColumns: ['DeviceId', 'DeviceName', 'RemoteUrl'], entryLifetimeDays: 90 });
    expect(forFilesig[0].keyColumns).toEqual(['DeviceId', 'DeviceName']);
  });

  it('when a list name breaks Sentinel\'s rules, then it is a 400 naming the field and nothing changes', async () => {
    const before = await snapshotDatabase(t.services);
    for (const bad of [{ alias: '-bad-' }, { alias: 'ab' }, { displayName: 'x'.repeat(65) }]) {
      const res = await request(t.app).post('/api/suppression-lists').set(t.auth('admin'))
        .send({ alias: 'good-alias', displayName: 'Good name', hunts: [NETCONN], ...bad });
      expect(res.status).toBe(400);
    }
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when a key begins with =, +, - or @, then the entry is refused and nothing changes', async () => {
    const list = await newList();
    const before = await snapshotDatabase(t.services);
    for (const v of ['=cmd', '+1', '-2', '@SUM(A1)']) {
      const res = await request(t.app).post(`/api/suppression-lists/${list.id}/entries`).set(t.auth('analyst'))
        .send({ values: { DeviceId: v, DeviceName: 'h', RemoteUrl: 'u' }, reason: 'r' });
      expect(res.status, v).toBe(400);
    }
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when a list needs approval, then an analyst entry is pending and suppresses nothing until an admin approves it', async () => {
    const list = await newList({ requireApproval: true });
    const row = summaryRow();
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send([row]);
    const values = { DeviceId: String(row.DeviceId), DeviceName: String(row.DeviceName), RemoteUrl: String(row.RemoteUrl) };
    const proposed = await request(t.app).post(`/api/suppression-lists/${list.id}/entries`).set(t.auth('analyst')).send({ values, reason: 'jump host' });
    expect(proposed.body.status).toBe('pending');
    const hitOf = async () => (await request(t.app).get('/api/hits').query({ device: String(row.DeviceName) }).set(t.auth('viewer'))).body.items[0];
    expect((await hitOf()).status).toBe('open');
    const csv1 = await request(t.app).get(`/api/suppression-lists/${list.id}/export`).query({ format: 'csv' }).set(t.auth('viewer'));
    expect(parse(csv1.text, { columns: true })).toEqual([]);
    const approved = await request(t.app).post(`/api/suppression-lists/${list.id}/entries/${proposed.body.id}/approve`).set(t.auth('admin'));
    expect(approved.body.status).toBe('active');
    expect((await hitOf()).status).toBe('suppressed');
    const revoked = await request(t.app).delete(`/api/suppression-lists/${list.id}/entries/${proposed.body.id}`).query({ reason: 'host repurposed' }).set(t.auth('admin'));
    expect(revoked.body.status).toBe('revoked');
    expect((await hitOf()).status).toBe('open');
  });

  it('when an entry expires, then it stops suppressing and is no longer exported', async () => {
    const list = await newList();
    const row = summaryRow();
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send([row]);
    const values = { DeviceId: String(row.DeviceId), DeviceName: String(row.DeviceName), RemoteUrl: String(row.RemoteUrl) };
    const e = await request(t.app).post(`/api/suppression-lists/${list.id}/entries`).set(t.auth('admin'))
      .send({ values, reason: 'temp', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(e.body.status).toBe('active');
    const hitNow = async () => (await request(t.app).get('/api/hits').query({ device: String(row.DeviceName) }).set(t.auth('viewer'))).body.items;
    const exported = async () => (await request(t.app).get(`/api/suppression-lists/${list.id}/export`).query({ format: 'csv' }).set(t.auth('viewer'))).text;
    // Before it expires, the entry suppresses the hit and is exported: otherwise "open" and "absent" below would prove nothing.
    expect(await hitNow()).toMatchObject([{ status: 'suppressed', matches: [{ entryId: e.body.id }] }]);
    expect(await exported()).toContain(String(row.DeviceId));
    await t.services.db.prisma.suppressionEntry.update({ where: { id: e.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await t.services.sweeper.sweep()).toMatchObject({ expired: 1, changed: 1 });
    expect(await hitNow()).toMatchObject([{ status: 'open', matches: [] }]);
    expect(await exported()).not.toContain(String(row.DeviceId));
  });

  it('when a list is exported in each format, then CSV parses back to the entries, JSON and ARM carry it, KQL analyses clean, and each export is audited', async () => {
    const list = await newList({ alias: 'export-check' });
    const values = { DeviceId: 'd1', DeviceName: 'Host,One', RemoteUrl: 'rl.ammyy.com' };
    await request(t.app).post(`/api/suppression-lists/${list.id}/entries`).set(t.auth('admin')).send({ values, reason: '=HYPERLINK("x") helpdesk' });
    const csv = await request(t.app).get(`/api/suppression-lists/${list.id}/export`).query({ format: 'csv' }).set(t.auth('viewer'));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ SearchKey: 'd1|Host,One|rl.ammyy.com', DeviceId: 'd1', DeviceName: 'Host,One', AddedBy: 'admin2' });
    expect(rows[0]!.Reason).toBe(`'=HYPERLINK("x") helpdesk`);
    expect(csv.text.split('\r\n')[0]!.startsWith('SearchKey,')).toBe(true);

    const json = await request(t.app).get(`/api/suppression-lists/${list.id}/export`).query({ format: 'watchlist-json' }).set(t.auth('viewer'));
    const body = JSON.parse(json.text);
    expect(body.properties).toMatchObject({ itemsSearchKey: 'SearchKey', contentType: 'text/csv', numberOfLinesToSkip: 0, displayName: 'Test list' });
    expect(body.properties.rawContent).toBe(csv.text);

    const arm = JSON.parse((await request(t.app).get(`/api/suppression-lists/${list.id}/export`).query({ format: 'arm' }).set(t.auth('viewer'))).text);
    const res = arm.resources[0];
    expect(res.type).toBe('Microsoft.OperationalInsights/workspaces/providers/Watchlists');
    expect(res.name).toBe("[concat(parameters('workspace'), '/Microsoft.SecurityInsights/export-check')]");
    expect(res.properties.rawContent).toContain('\r\n');

    const kql = await request(t.app).get(`/api/suppression-lists/${list.id}/export`).query({ format: 'kql' }).set(t.auth('viewer'));
    expect(kql.text).toContain("_GetWatchlist('export-check')");
    expect(analyseKql(kql.text)).toEqual([]);

    const audit = await request(t.app).get('/api/audit').query({ entityId: list.id, action: 'list.export' }).set(t.auth('admin'));
    expect(audit.body.items.map((e: { after: { format: string } }) => e.after.format).sort()).toEqual(['arm', 'csv', 'kql', 'watchlist-json']);
  });

  it('when the tuned query of each seed hunt is asked for, then it adds no Kusto diagnostic and names rules that could not compile', async () => {
    for (const id of [NETCONN, FILESIG]) {
      const res = await request(t.app).get(`/api/hunts/${id}/tuned-query`).set(t.auth('viewer'));
      expect(res.status).toBe(200);
      expect(res.body.addedDiagnostics).toEqual([]);
      expect(analyseKql(res.body.kql)).toEqual([]);
      expect(res.body.kql).toMatch(/_GetWatchlist\('quell-/);
    }
    const netconn = (await request(t.app).get(`/api/hunts/${NETCONN}/tuned-query`).set(t.auth('viewer'))).body;
    expect(netconn.kql).toMatch(/ipv4_is_in_range|ipv4_is_in_any_range/);
    expect(netconn.kql).toMatch(/user\.group/); // named in the comment as not compilable
  });

  it('when a list outgrows Sentinel\'s watchlist limits, then the export is a 422 naming the size and nothing is cut silently', async () => {
    const list = await newList({ alias: 'too-big' });
    const now = new Date().toISOString().replace('Z', '+00:00');
    // One row above 10 KB: entries made through the API cannot get there, a database edited by hand can.
    await t.services.db.sql.run(`INSERT INTO "SuppressionEntry" ("id","listId","searchKey","values","reason","status","addedBy","addedAt")
      VALUES (?, ?, ?, ?, ?, 'active', 'test', ?)`, ['big-row', list.id, 'a|b|c', JSON.stringify({ DeviceId: 'a', DeviceName: 'b', RemoteUrl: 'c' }), 'x'.repeat(12_000), now]);
    const res = await request(t.app).get(`/api/suppression-lists/${list.id}/export`).query({ format: 'csv' }).set(t.auth('viewer'));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(/10,?000|bytes/);
  });
});
