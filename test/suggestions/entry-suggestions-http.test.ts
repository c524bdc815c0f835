import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, summaryRow } from '../support/rows.js';

const BENIGN = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'jump hosts of the helpdesk' };
const MALICIOUS = { verdict: 'malicious', classification: 'TruePositive', classificationReason: 'SuspiciousActivity', comment: 'intrusion' };

// The seed netconn hunt is summarised by DeviceId, DeviceName and RemoteUrl, and its seeded list is keyed on them: its
// rows carry little besides the key, so a benign verdict that no rule generalises is best kept as an exact entry.
describe('suggested list entries, for benign keys no rule generalises', () => {
  let t: TestApp;
  const ids = new Map<string, string>(); // DeviceName → hit id
  const get = () => request(t.app).get('/api/suggestions').query({ huntId: NETCONN }).set(t.auth('viewer'));
  const entriesItem = async () => (await get()).body.items.find((s: { kind: string }) => s.kind === 'entries');

  beforeAll(async () => {
    t = await createTestApp();
    const rows = Array.from({ length: 12 }, (_, i) => summaryRow({ DeviceName: `host-${i}` }));
    expect((await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send(rows)).body).toMatchObject({ inserted: 12 });
    const page = await request(t.app).get('/api/hits').query({ huntId: NETCONN, limit: 100 }).set(t.auth('viewer'));
    for (const h of page.body.items) ids.set(h.fields['host.name'], h.id);
    const benign = Array.from({ length: 8 }, (_, i) => ids.get(`host-${i}`)!);
    expect((await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ ids: benign, ...BENIGN })).body.count).toBe(8);
    // One malicious host-… makes `host.name startswith "host-"` unsafe: no rule can cover the benign ones.
    expect((await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ ids: [ids.get('host-8')], ...MALICIOUS })).body.count).toBe(1);
  });
  afterAll(async () => { await t.close(); });

  it('when benign keys share nothing safe, then one suggestion offers exactly their keys for the hunt\'s list, and no malicious key', async () => {
    const page = (await get()).body;
    expect(page.items.filter((s: { kind: string; source: string }) => s.kind === 'rule' && s.source === 'benign-verdicts')).toEqual([]);
    const s = await entriesItem();
    expect(s).toMatchObject({ kind: 'entries', source: 'benign-verdicts', expression: null, malicious: 0, benign: { count: 8, share: 1 }, unlabelled: 0,
      list: { alias: expect.any(String) }, scope: { hunts: [NETCONN] } });
    expect(s.entries.map((e: { values: Record<string, string> }) => e.values.DeviceName).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `host-${i}`).sort());
    expect(s.entries[0].searchKey.split('|')).toHaveLength(3);
    expect(s.reason).toMatch(/^8 benign verdicts on 8 keys no rule generalises: exact entries in watchlist /);
  });

  it('when a viewer or analyst accepts it, then it is refused and nothing changes; an entries suggestion takes no rule name', async () => {
    const s = await entriesItem();
    const before = await snapshotDatabase(t.services);
    expect((await request(t.app).post(`/api/suggestions/${s.id}/accept`).set(t.auth('analyst')).send({ huntId: NETCONN })).status).toBe(403);
    const named = await request(t.app).post(`/api/suggestions/${s.id}/accept`).set(t.auth('admin')).send({ huntId: NETCONN, name: 'x' });
    expect(named.status).toBe(400);
    expect(named.body.detail).toMatch(/rule suggestions/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when an admin accepts it, then the keys are active entries of the list, their hits are suppressed, and the audit names the suggestion', async () => {
    const s = await entriesItem();
    const res = await request(t.app).post(`/api/suggestions/${s.id}/accept`).set(t.auth('admin')).send({ huntId: NETCONN });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.entries).toHaveLength(8);
    expect(res.body.entries[0]).toMatchObject({ status: 'active', reason: expect.stringContaining(`Accepted suggestion ${s.id}`) });
    expect(res.body.reevaluated).toBe(8);
    for (let i = 0; i < 12; i++) {
      const hit = (await request(t.app).get(`/api/hits/${ids.get(`host-${i}`)}`).set(t.auth('viewer'))).body;
      expect(hit.status, `host-${i}`).toBe(i < 8 ? 'suppressed' : 'open');
    }
    const audit = await request(t.app).get('/api/audit').query({ action: 'suggestion.accept' }).set(t.auth('admin'));
    expect(audit.body.items[0]).toMatchObject({ entityId: s.id });
    expect(await entriesItem()).toBeUndefined();
  });

  it('when a further benign key is suggested and dismissed, then it is not suggested again', async () => {
    await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ ids: [ids.get('host-9')], ...BENIGN });
    const s = await entriesItem();
    expect(s.entries.map((e: { values: Record<string, string> }) => e.values.DeviceName)).toEqual(['host-9']);
    expect((await request(t.app).post(`/api/suggestions/${s.id}/dismiss`).set(t.auth('analyst')).send({ huntId: NETCONN })).status).toBe(200);
    expect(await entriesItem()).toBeUndefined();
  });
});
