import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';

const FILESIG = '7c20af02-4bce-4d6d-b609-3ddf5ca4fb59';
const UPSTREAM = readFileSync('test/fixtures/rmm-hunts/rmm_Ammyy_filesig.yaml', 'utf8');

describe('re-importing hunts: scenarios kept, another source is a conflict', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('when the upstream YAML of a seed hunt is imported, then it is a 409 naming both sources and nothing changes', async () => {
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/hunts').set(t.auth('admin')).set('Content-Type', 'application/yaml').send(UPSTREAM);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/imported from page.*; this document is sentinel-yaml/);
    expect(res.body).toMatchObject({ huntId: FILESIG, existingSource: { format: 'page' }, incomingSource: { format: 'sentinel-yaml', sourceUrl: null } });
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when it is imported with replace=true, then the hunt gets a new version and keeps its five documented scenarios', async () => {
    const res = await request(t.app).post('/api/hunts?replace=true').set(t.auth('admin')).set('Content-Type', 'application/yaml').send(UPSTREAM);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: FILESIG, version: 2, format: 'sentinel-yaml', changed: true });
    expect(res.body.scenarios).toHaveLength(5);
    const scenarios = await request(t.app).get('/api/scenarios').set(t.auth('viewer'));
    expect(scenarios.body.items.filter((s: { huntId: string; ruleId: string | null }) => s.huntId === FILESIG && s.ruleId)).toHaveLength(5);
  });

  it('when the same source is re-imported with a change, then it is a new version without a conflict', async () => {
    const doc = { id: 'b0000000-0000-4000-8000-000000000001', name: 'J', description: '', query: 'DeviceFileEvents | summarize count() by DeviceId' };
    expect((await request(t.app).post('/api/hunts').set(t.auth('admin')).send(doc)).status).toBe(201);
    const v2 = await request(t.app).post('/api/hunts').set(t.auth('admin')).send({ ...doc, query: `${doc.query}, FileName` });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, groupKeys: ['DeviceId', 'FileName'] });
    const yaml = `id: ${doc.id}\nname: J\nquery: |\n  DeviceFileEvents | summarize count() by DeviceId\n`;
    expect((await request(t.app).post('/api/hunts').set(t.auth('admin')).set('Content-Type', 'application/yaml').send(yaml)).status).toBe(409);
  });

  it('when a Sentinel placeholder is in the query, then the import is a 400 naming it', async () => {
    const yaml = 'id: b0000000-0000-4000-8000-000000000002\nname: P\nquery: |\n  let s = todatetime(\'{{StartTimeISO}}\');\n  SigninLogs | where TimeGenerated > s\n';
    const res = await request(t.app).post('/api/hunts').set(t.auth('admin')).set('Content-Type', 'application/yaml').send(yaml);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('{{StartTimeISO}}');
  });

  it('when a list is made for a hunt without summarize, then the message says to name keyColumns', async () => {
    const doc = { id: 'b0000000-0000-4000-8000-000000000003', name: 'Raw events', description: '', query: 'DeviceFileEvents | where FileName endswith ".exe"' };
    expect((await request(t.app).post('/api/hunts').set(t.auth('admin')).send(doc)).status).toBe(201);
    const res = await request(t.app).post('/api/suppression-lists').set(t.auth('admin'))
      .send({ alias: 'raw-events-fp', displayName: 'Raw events FP', hunts: [doc.id] });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/has no group keys.*name keyColumns, e\.g\. DeviceId, ReportId/);
    const named = await request(t.app).post('/api/suppression-lists').set(t.auth('admin'))
      .send({ alias: 'raw-events-fp', displayName: 'Raw events FP', hunts: [doc.id], keyColumns: ['DeviceId', 'ReportId'] });
    expect(named.status).toBe(201);
  });

  it('when a union hunt ingests rows, then each row gets the canonical fields of its own table and a rule on them holds', async () => {
    const doc = { id: 'b0000000-0000-4000-8000-000000000004', name: 'Union', description: '',
      query: 'let a = DeviceRegistryEvents | project Timestamp, DeviceName, RegistryKey, InitiatingProcessFileName;\n'
        + 'let b = DeviceFileEvents | project Timestamp, DeviceName, FileName, FolderPath, InitiatingProcessFileName;\na | union kind=outer b' };
    const hunt = await request(t.app).post('/api/hunts').set(t.auth('admin')).send(doc);
    expect(hunt.body).toMatchObject({ table: null, tables: ['DeviceRegistryEvents', 'DeviceFileEvents'], groupKeys: [] });
    const rows = [
      { Timestamp: '2026-07-18T10:00:00Z', DeviceName: 'ws1', RegistryKey: 'HKLM\\SOFTWARE\\X', InitiatingProcessFileName: 'reg.exe' },
      { Timestamp: '2026-07-18T10:01:00Z', DeviceName: 'ws1', FileName: 'a.exe', FolderPath: 'C:\\Temp\\a.exe', InitiatingProcessFileName: 'cmd.exe' },
    ];
    const ingest = await request(t.app).post(`/api/hunts/${doc.id}/hits`).set(t.auth('analyst')).send(rows);
    expect(ingest.body).toMatchObject({ inserted: 2, rejected: [] });
    const list = await request(t.app).get(`/api/hits?huntId=${doc.id}`).set(t.auth('viewer'));
    const full = await Promise.all(list.body.items.map((h: { id: string }) => request(t.app).get(`/api/hits/${h.id}`).set(t.auth('viewer'))));
    const byName = Object.fromEntries(full.map((r) => [r.body.fields['process.name'], r.body.fields]));
    expect(byName['reg.exe']).toMatchObject({ 'registry.key': 'HKLM\\SOFTWARE\\X', 'host.name': 'ws1' });
    expect(byName['cmd.exe']).toMatchObject({ 'file.name': 'a.exe', 'file.path': 'C:\\Temp\\a.exe' });
    const rule = await request(t.app).post('/api/rules').set(t.auth('admin'))
      .send({ name: 'Temp exe', expression: 'file.path startswith "C:\\\\Temp"', scope: { hunts: [doc.id] }, action: 'flag', enabled: true, justification: 'test' });
    expect(rule.status).toBe(201);
    const after = await request(t.app).get(`/api/hits?huntId=${doc.id}&status=flagged`).set(t.auth('viewer'));
    expect(after.body.items).toHaveLength(1);
  });
});
