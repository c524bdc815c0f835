import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { netconnRow } from '../support/rows.js';

// A hunt without summarize: its hits are identified by DeviceId, Timestamp and ReportId, so a row may lack a device name
// and a user, which gives the NULLs that must sort last in both orders.
const HUNT = { id: 'b0000000-0000-4000-8000-00000000501d', name: 'Sort test hunt', description: 'raw events',
  query: 'DeviceNetworkEvents\n| where RemotePort in (443, 5931, 5932)' };

type Item = { id: string; status: string; firstSeen: string; lastSeen: string; count: number; verdict: { verdict: string } | null;
  fields: Record<string, unknown>; version: number };

const lowerOrNull = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : null);

// The sort value as the API documents it, read from the item itself: an independent expectation of the order.
const VALUE: Record<string, (h: Item) => string | number | null> = {
  lastSeen: (h) => h.lastSeen, firstSeen: (h) => h.firstSeen, count: (h) => h.count, status: (h) => h.status,
  device: (h) => (typeof h.fields['host.name'] === 'string' ? h.fields['host.name'].toLowerCase() : null),
  user: (h) => (typeof h.fields['user.name'] === 'string' ? h.fields['user.name'].toLowerCase() : null),
  verdict: (h) => h.verdict?.verdict ?? null,
  process: (h) => lowerOrNull(h.fields['process.name']),
  parent: (h) => lowerOrNull(h.fields['process.parent.name']),
  destination: (h) => lowerOrNull(h.fields['destination.domain'] ?? h.fields['destination.ip']),
};

function expectedOrder(items: Item[], sort: string, order: 'asc' | 'desc'): string[] {
  const dir = order === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...items].sort((a, b) => {
    const va = VALUE[sort]!(a), vb = VALUE[sort]!(b);
    if (va === null || vb === null) return va === vb ? dir * cmp(a.id, b.id) : va === null ? 1 : -1;
    return dir * cmp(va, vb) || dir * cmp(a.id, b.id);
  }).map((h) => h.id);
}

describe('GET /hits sorted by every column, both orders, with keyset pagination', () => {
  let t: TestApp;
  let all: Item[];
  const list = (query: Record<string, unknown>) => request(t.app).get('/api/hits').query({ huntId: HUNT.id, ...query }).set(t.auth('viewer'));

  beforeAll(async () => {
    t = await createTestApp();
    expect((await request(t.app).post('/api/hunts').set(t.auth('admin')).send(HUNT)).status).toBe(201);
    for (const [name, port, action] of [['sort-suppress', 5931, 'suppress'], ['sort-flag', 5932, 'flag']] as const) {
      const res = await request(t.app).post('/api/rules').set(t.auth('admin'))
        .send({ name, expression: `destination.port == ${port}`, scope: { hunts: [HUNT.id] }, action });
      expect(res.status).toBe(201);
    }
    // Ties on every column (two hits share each time, count, device and user) and NULLs for device, user and verdict.
    const spec: [string, number, string | undefined, string | undefined, number][] = [
      ['2026-11-01T10:00:00Z', 3, 'alpha', 'bob', 443], ['2026-11-01T10:00:00Z', 3, 'alpha', 'bob', 5931],
      ['2026-11-02T10:00:00Z', 1, 'bravo', undefined, 5932], ['2026-11-03T10:00:00Z', 7, undefined, 'carol', 443],
      ['2026-11-03T10:00:00Z', 1, 'charlie', 'carol', 5931], ['2026-11-04T10:00:00Z', 7, undefined, undefined, 5932],
      ['2026-11-05T10:00:00Z', 2, 'delta', 'dave', 443], ['2026-11-06T10:00:00Z', 3, 'echo', 'bob', 443],
    ];
    const rows = spec.map(([ts, count, device, user, port], i) => netconnRow({ Timestamp: ts, Count: count, DeviceName: device,
      InitiatingProcessAccountName: user, InitiatingProcessAccountDomain: user ? 'CORP' : undefined, RemotePort: port,
      InitiatingProcessFileName: ['a.exe', 'B.exe', 'c.exe'][i % 3], InitiatingProcessParentFileName: i % 4 === 0 ? undefined : `P${i % 2}.exe`,
      RemoteUrl: i % 3 === 0 ? undefined : `h${i % 2}.example` }));
    const ingest = await request(t.app).post(`/api/hunts/${HUNT.id}/hits`).set(t.auth('analyst')).send(rows);
    expect(ingest.body).toMatchObject({ inserted: 8, rejected: [] });
    const first = (await list({ limit: 500 })).body.items as Item[];
    const benign = { verdict: 'benign', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', comment: 'ok' };
    const malicious = { verdict: 'malicious', classification: 'TruePositive', classificationReason: 'SuspiciousActivity', comment: 'bad' };
    for (const [i, v] of [[0, benign], [2, malicious], [5, benign]] as const) {
      const hit = first[i]!;
      expect((await request(t.app).post(`/api/hits/${hit.id}/verdicts`).set(t.auth('analyst')).send({ ...v, hitVersion: hit.version })).status).toBe(201);
    }
    all = (await list({ limit: 500 })).body.items;
  });
  afterAll(async () => { await t.close(); });

  it('when the hunt is listed, then its hits carry NULLs and ties in every sortable column (so the sort tests can fail)', () => {
    expect(all).toHaveLength(8);
    for (const sort of ['device', 'user', 'verdict', 'parent']) expect(all.some((h) => VALUE[sort]!(h) === null), sort).toBe(true);
    for (const sort of Object.keys(VALUE)) expect(new Set(all.map(VALUE[sort]!)).size, sort).toBeLessThan(8);
    expect(new Set(all.map((h) => h.status))).toEqual(new Set(['open', 'flagged', 'suppressed']));
  });

  for (const sort of Object.keys(VALUE)) {
    for (const order of ['asc', 'desc'] as const) {
      it(`when hits are sorted by ${sort} ${order} three per page, then the pages give every hit once, in that order, NULLs last`, async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const res = await list({ sort, order, limit: 3, ...(cursor ? { cursor } : {}) });
          expect(res.status).toBe(200);
          expect(res.body.total).toBe(8);
          seen.push(...res.body.items.map((h: Item) => h.id));
          cursor = res.body.nextCursor ?? undefined;
          if (!cursor) break;
        }
        expect(seen).toEqual(expectedOrder(all, sort, order));
      });
    }
  }

  it('when no sort is given, then hits come newest last-seen first', async () => {
    const res = await list({ limit: 500 });
    expect(res.body.items.map((h: Item) => h.id)).toEqual(expectedOrder(all, 'lastSeen', 'desc'));
  });

  it('when a cursor from one sort is used with another sort or order, then it is a 400 saying which listing it belongs to', async () => {
    const page = await list({ sort: 'count', order: 'asc', limit: 2 });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    for (const other of [{ sort: 'device', order: 'asc' }, { sort: 'count', order: 'desc' }]) {
      const res = await list({ ...other, limit: 2, cursor: page.body.nextCursor });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].pointer).toBe('/cursor');
      expect(res.body.detail).toMatch(/sorted by count asc, not \w+ \w+/);
    }
    const garbage = await list({ cursor: 'not-a-cursor' });
    expect(garbage.status).toBe(400);
  });

  it('when sort or order is not one of the documented values, then it is a 400', async () => {
    expect((await list({ sort: 'raw' })).status).toBe(400);
    expect((await list({ order: 'up' })).status).toBe(400);
  });
});
