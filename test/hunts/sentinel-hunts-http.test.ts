import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { parseHuntDocument } from '../../src/hunts/document/parse-hunt-document.js';
import { deriveQueryShape } from '../../src/hunts/shape/query-shape.js';

// 66 real hunting queries of the Azure-Sentinel repository (SOURCE.txt), with what each must import as (expected.json,
// checked by hand against each query): tables through lets and unions, the group keys Kusto's result really has, and
// whether the query is truly broken. Rows for each are made from the analyser's result schema of that query.
const ROOT = 'test/fixtures/sentinel-hunts';
const walk = (d: string): string[] => readdirSync(d).sort()
  .flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : /\.ya?ml$/i.test(f) ? [join(d, f)] : []));
const FILES = walk(ROOT).map((f) => relative(ROOT, f));
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'expected.json'), 'utf8')) as Record<string,
  { table: string | null; tables: string[]; groupKeys: string[]; broken: boolean } | { refused: string }>;

const IP_LIKE = /(^|_)(IP|IPAddress|IpAddress|RemoteIP|LocalIP|ClientIP|SourceIP|DestinationIP|IPv4)$|IP$/;

/** Three rows shaped like the query's result: one value per column by its type; the third has an empty string key. */
function rowsFor(columns: { name: string; type: string }[], keys: string[]): Record<string, unknown>[] {
  const base = Date.UTC(2026, 6, 18, 13, 58, 42, 666);
  const value = (name: string, type: string, i: number): unknown => {
    switch (type) {
      case 'datetime': return new Date(base + i * 60_000).toISOString();
      case 'int': case 'long': return i + 1;
      case 'real': case 'decimal': return i + 0.5;
      case 'bool': return i % 2 === 0;
      case 'dynamic': return [`${name}-${i}`];
      case 'timespan': return `00:0${i}:00`;
      case 'guid': return `00000000-0000-4000-8000-00000000000${i}`;
      default: return IP_LIKE.test(name) ? `10.1.0.${i + 1}` : `${name}-${i}`;
    }
  };
  const emptyKey = keys.find((k) => columns.find((c) => c.name === k)?.type === 'string');
  return [0, 1, 2].map((i) => Object.fromEntries(columns.map((c) => [c.name, i === 2 && c.name === emptyKey ? '' : value(c.name, c.type, i)])));
}

describe('real Sentinel hunts (Azure-Sentinel), imported and ingested as they come', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('when the fixtures are listed, then there are at least 60 from several folders, each with an expectation', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(FILES.map((f) => f.split('/').slice(0, 2).join('/'))).size).toBeGreaterThanOrEqual(8);
    expect(Object.keys(EXPECTED).sort()).toEqual([...FILES].sort());
    expect(readFileSync(join(ROOT, 'SOURCE.txt'), 'utf8')).toMatch(/Azure\/Azure-Sentinel[\s\S]*MIT/);
  });

  it.each(FILES.map((f) => [f] as const))('when %s is imported, ingested and re-ingested, then tables, keys, warnings and hits are right', async (f) => {
    const yaml = readFileSync(join(ROOT, f), 'utf8');
    const expected = EXPECTED[f]!;
    const res = await request(t.app).post('/api/hunts').set(t.auth('admin')).set('Content-Type', 'application/yaml').send(yaml);
    if ('refused' in expected) {
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain(expected.refused);
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ table: expected.table, tables: expected.tables, groupKeys: expected.groupKeys });
    const errors = res.body.warnings.filter((w: { severity: string }) => w.severity === 'Error');
    if (expected.broken) expect(errors.length).toBeGreaterThan(0);
    else expect(res.body.warnings).toEqual([]);

    const shape = deriveQueryShape(parseHuntDocument(yaml).query);
    const rows = rowsFor(shape.columns, expected.groupKeys);
    const first = await request(t.app).post(`/api/hunts/${res.body.id}/hits`).set(t.auth('analyst')).send(rows);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 3, inserted: 3, rejected: [] });
    const before = await request(t.app).get(`/api/hits?huntId=${res.body.id}&limit=10`).set(t.auth('viewer'));
    expect(before.body.items).toHaveLength(3);
    if (shape.columns.some((c) => c.type === 'datetime')) {
      // The row's own times, never the ingest time.
      for (const h of before.body.items) expect(h.lastSeen.slice(0, 10)).toBe('2026-07-18');
    }
    const again = await request(t.app).post(`/api/hunts/${res.body.id}/hits`).set(t.auth('analyst')).send(rows);
    expect(again.body).toMatchObject({ received: 3, inserted: 0, merged: 3, rejected: [] });
    const after = await request(t.app).get(`/api/hits?huntId=${res.body.id}&limit=10`).set(t.auth('viewer'));
    const view = (items: { id: string; version: number; lastSeen: string; firstSeen: string }[]) =>
      items.map((h) => ({ id: h.id, version: h.version, firstSeen: h.firstSeen, lastSeen: h.lastSeen })).sort((a, b) => a.id.localeCompare(b.id));
    expect(view(after.body.items)).toEqual(view(before.body.items));
    expect(after.body.items.every((h: { version: number }) => h.version === 1)).toBe(true);
  });
});
