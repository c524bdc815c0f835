import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, summaryRow } from '../support/rows.js';

const BENIGN = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'helpdesk' };
const MALICIOUS = { verdict: 'malicious', classification: 'TruePositive', classificationReason: 'SuspiciousActivity', comment: 'c2' };

describe('verdicts and their effect on suppression lists', () => {
  let t: TestApp;
  let listId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const lists = await request(t.app).get('/api/suppression-lists').set(t.auth('viewer'));
    listId = lists.body.items.find((l: { hunts: string[] }) => l.hunts.includes(NETCONN)).id;
  });
  afterAll(async () => { await t.close(); });

  async function newHit(over: Record<string, unknown> = {}) {
    const row = summaryRow(over);
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send([row]);
    return (await request(t.app).get('/api/hits').query({ device: String(row.DeviceName) }).set(t.auth('viewer'))).body.items[0];
  }
  const verdict = (hit: { id: string; version: number }, body: object) =>
    request(t.app).post(`/api/hits/${hit.id}/verdicts`).set(t.auth('analyst')).send({ hitVersion: hit.version, ...body });

  const pairs: [string, string, string | undefined, boolean][] = [
    ['malicious', 'TruePositive', 'SuspiciousActivity', true],
    ['benign', 'BenignPositive', 'SuspiciousButExpected', true],
    ['benign', 'FalsePositive', 'IncorrectAlertLogic', true],
    ['benign', 'FalsePositive', 'InaccurateData', true],
    ['benign', 'Undetermined', undefined, true],
    ['benign', 'TruePositive', 'SuspiciousActivity', false],
    ['malicious', 'BenignPositive', 'SuspiciousButExpected', false],
    ['benign', 'FalsePositive', 'SuspiciousActivity', false],
    ['benign', 'BenignPositive', undefined, false],
    ['benign', 'Undetermined', 'InaccurateData', false],
  ];
  for (const [v, c, r, ok] of pairs) {
    it(`when the verdict is ${v} with ${c}${r ? ` + ${r}` : ''}, then it is ${ok ? 'recorded' : 'refused with 400 and nothing changes'}`, async () => {
      const hit = await newHit();
      const before = await snapshotDatabase(t.services);
      const res = await verdict(hit, { verdict: v, classification: c, ...(r ? { classificationReason: r } : {}), comment: 'x' });
      if (ok) expect(res.status).toBe(201);
      else { expect(res.status).toBe(400); expect(await snapshotDatabase(t.services)).toEqual(before); }
    });
  }

  it('when two analysts answer the same hit version, then the second gets 409 and the history keeps only real verdicts', async () => {
    const hit = await newHit();
    expect((await verdict(hit, BENIGN)).status).toBe(201);
    const second = await verdict(hit, MALICIOUS);
    expect(second.status).toBe(409);
    const full = (await request(t.app).get(`/api/hits/${hit.id}`).set(t.auth('viewer'))).body;
    expect(full.verdicts).toHaveLength(1);
    expect(full.verdict.verdict).toBe('benign');
    expect(full.version).toBe(hit.version + 1);
    expect((await verdict(full, MALICIOUS)).status).toBe(201);
    const again = (await request(t.app).get(`/api/hits/${hit.id}`).set(t.auth('viewer'))).body;
    expect(again.verdicts.map((v: { verdict: string }) => v.verdict)).toEqual(['malicious', 'benign']);
    expect(again.verdict.verdict).toBe('malicious');
  });

  it('when a benign verdict adds the key to a list, then the hit is suppressed by that entry', async () => {
    const hit = await newHit();
    const res = await verdict(hit, { ...BENIGN, suppress: { listId } });
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({ status: 'active', listId });
    const after = (await request(t.app).get(`/api/hits/${hit.id}`).set(t.auth('viewer'))).body;
    expect(after.status).toBe('suppressed');
    expect(after.matches).toContainEqual(expect.objectContaining({ listId, entryId: res.body.entry.id }));
  });

  it('when a benign verdict says suppress: true, then the key goes to the one list serving the hunt', async () => {
    const hit = await newHit();
    const res = await verdict(hit, { ...BENIGN, suppress: true });
    expect(res.status).toBe(201);
    expect(res.body.entry.listId).toBe(listId);
    expect((await request(t.app).get(`/api/hits/${hit.id}`).set(t.auth('viewer'))).body.status).toBe('suppressed');
  });

  it('when a hit with the same key turns out malicious, then the entry is revoked and the other hits it suppressed re-open', async () => {
    const a = await newHit({ DeviceId: 'shared-dev', DeviceName: 'shared-a', RemoteUrl: 'x.ammyy.com' });
    const entry = (await verdict(a, { ...BENIGN, suppress: { listId } })).body.entry;
    // The same key, arriving in a different hunt run.
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst'))
      .send([summaryRow({ DeviceId: 'shared-dev', DeviceName: 'shared-a', RemoteUrl: 'x.ammyy.com', LastSeen: '2026-11-21T00:00:00Z' })]);
    const hitA = (await request(t.app).get(`/api/hits/${a.id}`).set(t.auth('viewer'))).body;
    expect(hitA.status).toBe('suppressed');
    const res = await verdict(hitA, MALICIOUS);
    expect(res.body.revokedEntries).toEqual([entry.id]);
    const entries = await request(t.app).get(`/api/suppression-lists/${listId}/entries`).set(t.auth('viewer'));
    expect(entries.body.items.find((e: { id: string }) => e.id === entry.id).status).toBe('revoked');
    expect((await request(t.app).get(`/api/hits/${a.id}`).set(t.auth('viewer'))).body.status).toBe('open');
    const audit = await request(t.app).get('/api/audit').query({ entityId: entry.id }).set(t.auth('admin'));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['entry.revoke', 'entry.create']);
  });

  it('when a bulk verdict includes an unknown hit, then nothing is recorded; with good ids all are', async () => {
    const h1 = await newHit(), h2 = await newHit();
    const before = await snapshotDatabase(t.services);
    const bad = await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ ids: [h1.id, 'nope'], ...BENIGN });
    expect(bad.status).toBe(400);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    const ok = await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ ids: [h1.id, h2.id], ...BENIGN });
    expect(ok.body.count).toBe(2);
  });

  it('when a bulk verdict uses a filter, then exactly the hits GET /hits returns for it get the verdict', async () => {
    await newHit({ DeviceName: 'bulkf-1' }); await newHit({ DeviceName: 'bulkf-2' });
    const filter = { device: 'bulkf-*', verdict: 'none' };
    const listed = await request(t.app).get('/api/hits').query(filter).set(t.auth('viewer'));
    expect(listed.body.items).toHaveLength(2);
    const res = await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ filter, ...BENIGN });
    expect(res.body.count).toBe(2);
    expect(res.body.ids.sort()).toEqual(listed.body.items.map((h: { id: string }) => h.id).sort());
    const after = await request(t.app).get('/api/hits').query({ device: 'bulkf-*' }).set(t.auth('viewer'));
    expect(after.body.items.map((h: { verdict: { verdict: string } | null }) => h.verdict?.verdict)).toEqual(['benign', 'benign']);
  });
});
