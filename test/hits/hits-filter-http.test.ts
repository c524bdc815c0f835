import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { NETCONN, netconnRow, summaryRow } from '../support/rows.js';

type Item = { id: string; verdict: unknown; matches: Record<string, unknown>[]; ruleNames: string[] };
const BENIGN = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'ok' };

describe('GET /hits time range, device prefix, total, emptyReason and names; bulk verdicts select the same hits', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const ingest = (rows: object[]) => request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send(rows);
  const list = (query: Record<string, unknown>) => request(t.app).get('/api/hits').query(query).set(t.auth('viewer'));
  const devices = (res: request.Response) => res.body.items.map((h: { fields: { 'host.name': string } }) => h.fields['host.name']).sort();

  it('when since and until are given, then a hit is listed exactly when its first..last seen overlaps the range', async () => {
    await ingest([
      summaryRow({ DeviceName: 'rng-a', FirstSeen: '2026-10-01T00:00:00Z', LastSeen: '2026-10-03T00:00:00Z' }),
      summaryRow({ DeviceName: 'rng-b', FirstSeen: '2026-10-05T00:00:00Z', LastSeen: '2026-10-06T00:00:00Z' }),
      summaryRow({ DeviceName: 'rng-c', FirstSeen: '2026-10-08T00:00:00Z', LastSeen: '2026-10-10T00:00:00Z' }),
    ]);
    const cases: [Record<string, string>, string[]][] = [
      [{ since: '2026-10-04T00:00:00Z', until: '2026-10-07T00:00:00Z' }, ['rng-b']],
      // The range's ends touch the hits' ends: an overlap of one instant still counts.
      [{ since: '2026-10-03T00:00:00Z', until: '2026-10-05T00:00:00Z' }, ['rng-a', 'rng-b']],
      [{ since: '2026-10-09T00:00:00Z' }, ['rng-c']],
      [{ until: '2026-10-02T00:00:00Z' }, ['rng-a']],
      [{ since: '2026-10-02T02:00:00+02:00', until: '2026-10-02T03:00:00+02:00' }, ['rng-a']],
    ];
    for (const [range, expected] of cases) {
      const res = await list({ devicePrefix: 'rng-', ...range });
      expect(res.status, JSON.stringify(range)).toBe(200);
      expect(devices(res), JSON.stringify(range)).toEqual(expected);
      expect(res.body.total).toBe(expected.length);
    }
    expect((await list({ since: 'yesterday' })).status).toBe(400);
  });

  it('when devicePrefix is given, then it matches the start of the device name in any case, and device keeps its exact and * forms', async () => {
    await ingest(['PFX-Web-1', 'pfx-web-2', 'pfx-db-1', 'other-pfx-web'].map((DeviceName) => summaryRow({ DeviceName })));
    expect(devices(await list({ devicePrefix: 'PFX-WEB' }))).toEqual(['PFX-Web-1', 'pfx-web-2']);
    expect(devices(await list({ devicePrefix: 'pfx-' }))).toEqual(['PFX-Web-1', 'pfx-db-1', 'pfx-web-2']);
    // LIKE wildcards in the prefix are literal characters.
    expect((await list({ devicePrefix: 'pfx_' })).body.total).toBe(0);
    expect(devices(await list({ device: 'PFX-DB-1' }))).toEqual(['pfx-db-1']);
    expect(devices(await list({ device: 'pfx-web*' }))).toEqual(['PFX-Web-1', 'pfx-web-2']);
  });

  it('when a page is limited, then total still counts every hit the filter matches', async () => {
    await ingest([1, 2, 3, 4, 5].map((i) => summaryRow({ DeviceName: `tot-${i}` })));
    const res = await list({ devicePrefix: 'tot-', limit: 2 });
    expect(res.body.items).toHaveLength(2);
    expect(res.body.total).toBe(5);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    const next = await list({ devicePrefix: 'tot-', limit: 2, cursor: res.body.nextCursor });
    expect(next.body.total).toBe(5);
    expect(res.body.emptyReason).toBeNull();
  });

  it('when the filter contradicts itself, then emptyReason says why, and the query still runs', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ queue: true, status: 'suppressed' }, /queue=true with status=suppressed/],
      [{ queue: true, verdict: 'benign' }, /without a verdict.*verdict=benign/],
      [{ queue: true, verdict: 'malicious' }, /verdict=malicious/],
      [{ since: '2026-10-09T00:00:00Z', until: '2026-10-01T00:00:00Z' }, /since .* is after until/],
    ];
    for (const [filter, reason] of cases) {
      const res = await list(filter);
      expect(res.status).toBe(200);
      expect(res.body.emptyReason, JSON.stringify(filter)).toMatch(reason);
      expect(res.body).toMatchObject({ items: [], total: 0, nextCursor: null });
    }
    for (const fine of [{ queue: true, status: 'flagged' }, { verdict: 'benign' }, { since: '2026-10-01T00:00:00Z', until: '2026-10-01T00:00:00Z' }]) {
      expect((await list(fine)).body.emptyReason, JSON.stringify(fine)).toBeNull();
    }
  });

  it('when a bulk verdict selects by since, until and devicePrefix, then it records exactly the hits GET /hits lists for that filter', async () => {
    await ingest([
      summaryRow({ DeviceName: 'blk-in-1', FirstSeen: '2026-09-01T00:00:00Z', LastSeen: '2026-09-02T00:00:00Z' }),
      summaryRow({ DeviceName: 'BLK-in-2', FirstSeen: '2026-09-02T00:00:00Z', LastSeen: '2026-09-03T00:00:00Z' }),
      summaryRow({ DeviceName: 'blk-late', FirstSeen: '2026-09-20T00:00:00Z', LastSeen: '2026-09-21T00:00:00Z' }),
      summaryRow({ DeviceName: 'nope-in', FirstSeen: '2026-09-01T00:00:00Z', LastSeen: '2026-09-02T00:00:00Z' }),
    ]);
    const filter = { huntId: NETCONN, devicePrefix: 'BLK', since: '2026-09-01T12:00:00Z', until: '2026-09-10T00:00:00Z' };
    const listed = (await list(filter)).body.items.map((h: Item) => h.id).sort();
    expect(listed).toHaveLength(2);
    const bulk = await request(t.app).post('/api/verdicts/bulk').set(t.auth('analyst')).send({ filter, ...BENIGN });
    expect(bulk.status).toBe(201);
    expect([...bulk.body.ids].sort()).toEqual(listed);
    const untouched = await list({ devicePrefix: 'blk-late' });
    expect(untouched.body.items[0].verdict).toBeNull();
    expect((await list({ device: 'nope-in' })).body.items[0].verdict).toBeNull();
  });

  it('when hits are listed, then each match names its rule or list and ruleNames lists the rule names in match order', async () => {
    const names = ['Helpdesk port 5931', 'Watch the Ammyy relay'];
    for (const [name, expression, action] of [[names[0], 'destination.port == 5931', 'suppress'], [names[1], 'destination.ip == "203.0.113.7"', 'flag']]) {
      const res = await request(t.app).post('/api/rules').set(t.auth('admin')).send({ name, expression, scope: { hunts: [NETCONN] }, action });
      expect(res.status).toBe(201);
    }
    await ingest([netconnRow({ DeviceName: 'nm-both', RemotePort: 5931 }), summaryRow({ DeviceName: 'nm-list' })]);
    const both = (await list({ device: 'nm-both' })).body.items[0] as Item;
    expect(new Set(both.ruleNames)).toEqual(new Set(names));
    expect(both.ruleNames).toEqual(both.matches.map((m) => m.ruleName));

    const lists = (await request(t.app).get('/api/suppression-lists').set(t.auth('viewer'))).body.items;
    const netconnList = lists.find((l: { hunts: string[] }) => l.hunts.includes(NETCONN));
    const hit = (await list({ device: 'nm-list' })).body.items[0];
    await request(t.app).post(`/api/hits/${hit.id}/verdicts`).set(t.auth('analyst')).send({ ...BENIGN, hitVersion: hit.version, suppress: true });
    const listed = (await list({ device: 'nm-list' })).body.items[0] as Item;
    expect(listed.matches).toEqual([expect.objectContaining({ listId: netconnList.id, listAlias: netconnList.alias })]);
    expect(listed.ruleNames).toEqual([]);
    const detail = (await request(t.app).get(`/api/hits/${both.id}`).set(t.auth('viewer'))).body;
    expect(detail.matches.map((m: { ruleName: string }) => m.ruleName).sort()).toEqual([...names].sort());
  });
});
