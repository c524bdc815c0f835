import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { NETCONN, summaryRow } from '../support/rows.js';

const DAY = 86_400_000;
const now = new Date();
// Noon UTC of the day k days ago: never on a day boundary, whatever the hour the suite runs.
const noonDaysAgo = (k: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12) - k * DAY).toISOString();
const dayOf = (k: number) => noonDaysAgo(k).slice(0, 10);

describe('GET /overview: the SOC lead\'s figures on data built here', () => {
  let t: TestApp;
  const rules: Record<string, string> = {};
  const entries: Record<string, string> = {};
  let listAlias: string;

  const ingest = (DeviceName: string, daysAgo: number) => request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst'))
    .send([summaryRow({ DeviceName, FirstSeen: noonDaysAgo(daysAgo + 1), LastSeen: noonDaysAgo(daysAgo) })]);
  const hitOf = async (device: string) => (await request(t.app).get('/api/hits').query({ device }).set(t.auth('viewer'))).body.items[0];
  // The API stamps createdAt with the moment of ingest or verdict; these make a row look as if it came in days ago.
  const age = async (table: 'Hit' | 'Verdict', id: string, days: number) =>
    t.services.db.sql.run(`UPDATE "${table}" SET "createdAt" = ? WHERE "id" = ?`, [new Date(Date.now() - days * DAY).toISOString().replace('Z', '+00:00'), id]);
  async function verdict(device: string, role: 'analyst' | 'admin', v: 'benign' | 'malicious') {
    const hit = await hitOf(device);
    const body = v === 'benign' ? { verdict: v, classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected' }
      : { verdict: v, classification: 'TruePositive', classificationReason: 'SuspiciousActivity' };
    const res = await request(t.app).post(`/api/hits/${hit.id}/verdicts`).set(t.auth(role)).send({ ...body, comment: 'c', hitVersion: hit.version });
    expect(res.status).toBe(201);
    return res.body.verdictId as string;
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const [name, expression, action] of [['Rule A', 'host.name startswith "ov-a"', 'suppress'], ['Rule B', 'host.name == "ov-b1"', 'suppress'],
      ['Rule F', 'host.name == "ov-f1"', 'flag']]) {
      const res = await request(t.app).post('/api/rules').set(t.auth('admin')).send({ name, expression, action, scope: { hunts: [NETCONN] } });
      rules[name] = res.body.id;
    }
    for (const [device, daysAgo] of [['ov-a1', 0], ['ov-a2', 1], ['ov-a3', 1], ['ov-b1', 3], ['ov-f1', 0], ['ov-o1', 3], ['ov-o2', 2],
      ['ov-old', 20], ['ov-v1', 20], ['ov-v2', 20]] as const) expect((await ingest(device, daysAgo)).status).toBe(200);
    await verdict('ov-a3', 'analyst', 'malicious'); // rule A still holds but is overridden: it does not count as suppressing
    await verdict('ov-v1', 'admin', 'benign');
    await age('Verdict', await verdict('ov-v2', 'analyst', 'benign'), 20);
    await age('Hit', (await hitOf('ov-o1')).id, 2);
    await age('Hit', (await hitOf('ov-o2')).id, 5);
    await age('Hit', (await hitOf('ov-old')).id, 10);

    const list = (await request(t.app).get('/api/suppression-lists').set(t.auth('viewer'))).body.items.find((l: { hunts: string[] }) => l.hunts.includes(NETCONN));
    listAlias = list.alias;
    for (const [name, days] of [['soon', 2], ['later', 10], ['far', 20], ['revoked', 1]] as const) {
      const res = await request(t.app).post(`/api/suppression-lists/${list.id}/entries`).set(t.auth('analyst')).send({
        values: { DeviceId: `exp-${name}`, DeviceName: `exp-${name}`, RemoteUrl: 'x.example' }, reason: 'r', expiresAt: new Date(Date.now() + days * DAY).toISOString() });
      expect(res.status).toBe(201);
      entries[name] = res.body.id;
    }
    await request(t.app).delete(`/api/suppression-lists/${list.id}/entries/${entries.revoked}`).set(t.auth('admin'));
  });
  afterAll(async () => { await t.close(); });

  const overview = (query: object = {}) => request(t.app).get('/api/overview').query(query).set(t.auth('viewer'));

  it('when no days are given, then hitsByDay has 14 UTC days oldest first, each counted by status of its lastSeen day', async () => {
    const res = await overview();
    expect(res.status).toBe(200);
    expect(res.body.days).toBe(14);
    const days = res.body.hitsByDay as { day: string; open: number; flagged: number; suppressed: number }[];
    expect(days.map((d) => d.day)).toEqual(Array.from({ length: 14 }, (_, i) => dayOf(13 - i)));
    const at = (k: number) => days.find((d) => d.day === dayOf(k));
    expect(at(0)).toEqual({ day: dayOf(0), open: 0, flagged: 1, suppressed: 1 });
    expect(at(1)).toEqual({ day: dayOf(1), open: 1, flagged: 0, suppressed: 1 });
    expect(at(2)).toEqual({ day: dayOf(2), open: 1, flagged: 0, suppressed: 0 });
    expect(at(3)).toEqual({ day: dayOf(3), open: 1, flagged: 0, suppressed: 1 });
    expect(days.reduce((n, d) => n + d.open + d.flagged + d.suppressed, 0)).toBe(7);
  });

  it('when days is 30 or 1, then the range follows it; outside 1–90 it is a 400', async () => {
    const wide = (await overview({ days: 30 })).body;
    expect(wide.hitsByDay).toHaveLength(30);
    expect(wide.hitsByDay.find((d: { day: string }) => d.day === dayOf(20))).toMatchObject({ open: 3 });
    expect((await overview({ days: 1 })).body.hitsByDay.map((d: { day: string }) => d.day)).toEqual([dayOf(0)]);
    for (const days of [0, 91, 'x']) expect((await overview({ days })).status).toBe(400);
  });

  it('when rules suppress hits, then topRules counts the hits each suppresses now, most first, not counting a malicious override', async () => {
    const { topRules } = (await overview()).body;
    expect(topRules).toEqual([{ ruleId: rules['Rule A'], name: 'Rule A', suppressed: 2 }, { ruleId: rules['Rule B'], name: 'Rule B', suppressed: 1 }]);
  });

  it('when open-queue hits were stored at different times, then queueAge puts each in its bucket and leaves out hits with a verdict', async () => {
    expect((await overview()).body.queueAge).toEqual([
      { bucket: '<1d', count: 1 }, { bucket: '1-3d', count: 1 }, { bucket: '3-7d', count: 1 }, { bucket: '>7d', count: 1 }]);
  });

  it('when analysts recorded verdicts, then verdictsByAnalyst counts those recorded in the range', async () => {
    expect((await overview()).body.verdictsByAnalyst).toEqual([
      { analyst: 'admin2', benign: 1, malicious: 0 }, { analyst: 'analyst', benign: 0, malicious: 1 }]);
    expect((await overview({ days: 30 })).body.verdictsByAnalyst).toEqual([
      { analyst: 'analyst', benign: 1, malicious: 1 }, { analyst: 'admin2', benign: 1, malicious: 0 }]);
  });

  it('when list entries expire at different times, then expiringEntries lists the active ones due within 14 days, soonest first', async () => {
    const { expiringEntries } = (await overview({ days: 1 })).body;
    expect(expiringEntries.map((e: { entryId: string }) => e.entryId)).toEqual([entries.soon, entries.later]);
    expect(expiringEntries[0]).toMatchObject({ alias: listAlias, searchKey: 'exp-soon|exp-soon|x.example', expiresAt: expect.any(String) });
  });
});
