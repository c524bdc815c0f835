import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import request from 'supertest';
import { createTestApp, serveTestApp, type TestApp } from '../support/test-app.js';
import { NETCONN, netconnRow } from '../support/rows.js';

const RUNS = Number(process.env.RELIABILITY_FULL ? 400 : 60);
const HANG_MS = 5_000;

// Whatever arrives, Quell answers with a 4xx or a 2xx, never a 5xx, never slowly, and never half-writes a batch.
describe('fuzzed ingest bodies and rule expressions', () => {
  let t: TestApp;
  let served: { base: string; close(): Promise<void> };
  let base: string;
  beforeAll(async () => { t = await createTestApp(); served = await serveTestApp(t); base = served.base; });
  afterAll(async () => { await served?.close(); await t?.close(); });
  const counts = async () => (await t.services.db.sql.get<{ hits: number; batches: number }>(`SELECT (SELECT COUNT(*) FROM "Hit") AS hits,
    (SELECT COUNT(*) FROM "AuditEvent" WHERE "action" = 'hits.ingest') AS batches`))!;

  async function ingest(body: Buffer, type: string) {
    const before = await counts();
    const t0 = performance.now();
    // The bytes exactly as made (supertest would serialise a Buffer sent as JSON into {"type":"Buffer",…}).
    const http = await fetch(`${base}/api/hunts/${NETCONN}/hits`, { method: 'POST', body: new Uint8Array(body), signal: AbortSignal.timeout(HANG_MS),
      headers: { Authorization: `Bearer ${t.tokens.analyst}`, 'Content-Type': type } });
    const text = await http.text();
    const res = { status: http.status, text, body: (() => { try { return JSON.parse(text) as unknown; } catch { return null; } })() };
    const ms = performance.now() - t0;
    const after = await counts();
    expect(res.status, res.text).toBeLessThan(500);
    expect(ms).toBeLessThan(HANG_MS);
    if (res.status >= 400) expect(after).toEqual(before);
    else {
      const r = res.body as { received: number; inserted: number; merged: number; rejected: unknown[] };
      expect(r.inserted + r.merged + r.rejected.length).toBe(r.received);
      expect(after.hits - before.hits).toBe(r.inserted);
      expect(after.batches - before.batches).toBe(1);
    }
    return res;
  }

  const row = fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'DeviceId', 'DeviceName', 'RemoteUrl', 'RemoteIP', 'Timestamp', 'Report', 'Count'),
    fc.string({ maxLength: 12 })), fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.constant(''), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.constant('\u0000'), fc.constant('300.1.1.1'), fc.constant('2026-13-45')), { maxKeys: 8 });
  const mangle = fc.tuple(fc.nat(), fc.constantFrom('cut', 'nul', 'bad-utf8', 'none'));
  const apply = (text: string, [at, how]: [number, string]) => {
    const b = Buffer.from(text);
    const i = b.length ? at % b.length : 0;
    if (how === 'cut') return b.subarray(0, i);
    if (how === 'nul') return Buffer.concat([b.subarray(0, i), Buffer.from([0]), b.subarray(i)]);
    if (how === 'bad-utf8') return Buffer.concat([b.subarray(0, i), Buffer.from([0xc3, 0x28, 0xff]), b.subarray(i)]);
    return b;
  };

  it('when JSON, NDJSON and CSV bodies are malformed, mangled or hostile, then every answer is a clean 2xx or 4xx and a 4xx writes nothing', async () => {
    await fc.assert(fc.asyncProperty(fc.array(row, { maxLength: 6 }), mangle, fc.constantFrom('json', 'ndjson', 'csv'), async (rows, m, kind) => {
      const text = kind === 'json' ? JSON.stringify(rows) : kind === 'ndjson' ? rows.map((r) => JSON.stringify(r)).join('\n')
        : [Object.keys(rows[0] ?? { a: 1 }).join(','), ...rows.map((r) => Object.values(r).map((v) => JSON.stringify(v ?? '')).join(','))].join('\r\n');
      await ingest(apply(text, m), { json: 'application/json', ndjson: 'application/x-ndjson', csv: 'text/csv' }[kind]);
    }), { numRuns: RUNS });
  }, 300_000);

  it('when a body holds a 10 MB string, deep nesting or a __proto__ row, then it is answered without a 5xx and no prototype is polluted', async () => {
    const big = await ingest(Buffer.from(JSON.stringify([netconnRow({ DeviceName: 'x'.repeat(10 * 1024 * 1024) })])), 'application/json');
    expect(big.status).toBe(200);
    await ingest(Buffer.from(`${'['.repeat(5_000)}${']'.repeat(5_000)}`), 'application/json');
    const proto = await ingest(Buffer.from('[{"__proto__": {"polluted": true}, "DeviceId": "p1", "DeviceName": "p", "RemoteUrl": "u"}]'), 'application/json');
    expect(proto.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);

  it('when expressions are random text, near-misses of the grammar, pathological regexes or over the limits, then validation answers in time with a 2xx or 4xx', async () => {
    const token = fc.constantFrom('process.name', 'destination.ip', '==', '!=', 'in', 'not', 'and', 'or', '(', ')', ',', '"x"', "'y'", '"10.0.0.0/8"',
      'matches', '"(a+)+$"', '"(?i)(x|x|x)*y"', 'exists(', '\\', '"unclosed', '@timestamp', '443');
    const expr = fc.oneof(fc.string({ maxLength: 80 }), fc.array(token, { maxLength: 30 }).map((ts) => ts.join(' ')),
      fc.nat({ max: 40 }).map((d) => `${'('.repeat(d)}process.name == "x"${')'.repeat(d)}`),
      fc.nat({ max: 12_000 }).map((n) => `destination.ip in (${Array.from({ length: n }, (_, i) => `"10.${(i >> 8) & 255}.${i & 255}.0/24"`).join(', ')})`));
    await fc.assert(fc.asyncProperty(expr, async (expression) => {
      const t0 = performance.now();
      const res = await request(t.app).post('/api/rules/validate').set(t.auth('viewer')).send({ expression });
      expect(res.status, res.text).toBeLessThan(500);
      expect(performance.now() - t0).toBeLessThan(HANG_MS);
    }), { numRuns: RUNS });
    const evil = netconnRow({ DeviceName: `${'a'.repeat(50_000)}!` });
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send([evil]);
    const t0 = performance.now();
    const bt = await request(t.app).post('/api/rules/backtest').set(t.auth('analyst'))
      .send({ expression: 'host.name matches "(a+)+$"', scope: { hunts: [NETCONN] } });
    expect(bt.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(HANG_MS);
  }, 300_000);
});
