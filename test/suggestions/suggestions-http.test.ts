import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { labelledCorpus, sample } from '../support/labelled-corpus.js';

const HUNT = { id: 'c0ffee00-0000-4000-8000-0000005e9901', name: 'Ammyy connections (mining test)', description: 'labelled corpus',
  query: 'DeviceNetworkEvents\n| where InitiatingProcessFileName =~ "AA_v3.exe"' };
const BENIGN = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'expected' };
const MALICIOUS = { verdict: 'malicious', classification: 'TruePositive', classificationReason: 'SuspiciousActivity', comment: 'intrusion' };

describe('suggested exclusions over HTTP, on a labelled corpus with 5 % verdicts', () => {
  let t: TestApp;
  const corpus = labelledCorpus(12_000, 3);
  const byDevice = new Map<string, string>();
  const population = new Map<string, boolean>(); // hit id → malicious
  const get = (q: Record<string, unknown>) => request(t.app).get('/api/suggestions').query({ huntId: HUNT.id, ...q }).set(t.auth('viewer'));

  beforeAll(async () => {
    t = await createTestApp();
    expect((await request(t.app).post('/api/hunts').set(t.auth('admin')).send(HUNT)).status).toBe(201);
    const res = await request(t.app).post(`/api/hunts/${HUNT.id}/hits`).set(t.auth('analyst')).send(corpus.map((r) => r.raw));
    expect(res.body).toMatchObject({ inserted: corpus.length, rejected: [] });
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { body: { items: { id: string; fields: Record<string, string> }[]; nextCursor: string | null } } = await request(t.app).get('/api/hits').query({ huntId: HUNT.id, limit: 500, ...(cursor ? { cursor } : {}) }).set(t.auth('viewer'));
      for (const h of page.body.items) byDevice.set(h.fields['host.id'], h.id);
      cursor = page.body.nextCursor;
    }
    corpus.forEach((r) => population.set(byDevice.get(String(r.raw.DeviceId))!, r.malicious));
    const judged = sample(corpus, 0.05, 5);
    for (const [verdict, rows] of [[BENIGN, judged.filter((r) => !r.malicious)], [MALICIOUS, judged.filter((r) => r.malicious)]] as const) {
      const ids = rows.map((r) => byDevice.get(String(r.raw.DeviceId))!);
      expect((await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ ids, ...verdict })).body.count).toBe(ids.length);
    }
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('when the top suggestions are accepted, then >= 85 % of all benign hits are suppressed and no malicious hit is', async () => {
    const page = (await get({})).body;
    expect(page.verdicts.benign).toBeGreaterThan(400);
    expect(page.verdicts.malicious).toBeGreaterThan(50);
    const fromVerdicts = page.items.filter((s: { source: string }) => s.source === 'benign-verdicts');
    expect(fromVerdicts.length).toBeGreaterThan(2);
    for (const s of fromVerdicts) {
      expect(s).toMatchObject({ malicious: 0, scope: { hunts: [HUNT.id] } });
      expect(s.reason).toMatch(/^\d+ benign verdicts? on /);
      const res = await request(t.app).post(`/api/suggestions/${s.id}/accept`).set(t.auth('admin')).send({ huntId: HUNT.id });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.rule).toMatchObject({ expression: s.expression, action: 'suppress', justification: expect.stringContaining(`Accepted suggestion ${s.id}`) });
    }
    const status = new Map<string, string>();
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const p: { body: { items: { id: string; status: string }[]; nextCursor: string | null } } = await request(t.app).get('/api/hits').query({ huntId: HUNT.id, limit: 500, ...(cursor ? { cursor } : {}) }).set(t.auth('viewer'));
      for (const h of p.body.items) status.set(h.id, h.status);
      cursor = p.body.nextCursor;
    }
    const benign = [...population].filter(([, m]) => !m), malicious = [...population].filter(([, m]) => m);
    const share = benign.filter(([id]) => status.get(id) === 'suppressed').length / benign.length;
    console.log(`accepted ${fromVerdicts.length} suggestions (mined in ${page.computedMs} ms): ${(share * 100).toFixed(1)} % of ${benign.length} benign hits suppressed, `
      + `${malicious.filter(([id]) => status.get(id) === 'suppressed').length} of ${malicious.length} malicious`);
    expect(share).toBeGreaterThanOrEqual(0.85);
    expect(malicious.filter(([id]) => status.get(id) === 'suppressed')).toEqual([]);
    const audit = await request(t.app).get('/api/audit').query({ action: 'suggestion.accept' }).set(t.auth('admin'));
    expect(audit.body.items).toHaveLength(fromVerdicts.length);
  });
});

describe('dismissing a suggestion', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    expect((await request(t.app).post('/api/hunts').set(t.auth('admin')).send(HUNT)).status).toBe(201);
    const corpus = labelledCorpus(2_000, 9);
    await request(t.app).post(`/api/hunts/${HUNT.id}/hits`).set(t.auth('analyst')).send(corpus.map((r) => r.raw));
    const ids = (await request(t.app).get('/api/hits').query({ huntId: HUNT.id, limit: 500 }).set(t.auth('viewer'))).body.items
      .filter((h: { fields: Record<string, string> }) => h.fields['host.name']?.startsWith('kiosk-')).map((h: { id: string }) => h.id);
    expect(ids.length).toBeGreaterThan(10);
    await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ ids, ...BENIGN });
  });
  afterAll(async () => { await t.close(); });
  const get = (q: Record<string, unknown>) => request(t.app).get('/api/suggestions').query({ huntId: HUNT.id, ...q }).set(t.auth('viewer'));

  it('when a suggestion is dismissed, then it is not suggested again, and accepting an unknown one is a 404', async () => {
    const before = (await get({ minSupport: 5 })).body.items;
    const target = before.find((s: { source: string }) => s.source === 'benign-verdicts');
    if (!target) throw new Error('expected a suggestion left to dismiss');
    const res = await request(t.app).post(`/api/suggestions/${target.id}/dismiss`).set(t.auth('analyst')).send({ huntId: HUNT.id });
    expect(res.status).toBe(200);
    const after = (await get({ minSupport: 5 })).body.items.map((s: { id: string }) => s.id);
    expect(after).not.toContain(target.id);
    expect((await request(t.app).post('/api/suggestions/nope/accept').set(t.auth('admin')).send({ huntId: HUNT.id })).status).toBe(404);
  });
});
