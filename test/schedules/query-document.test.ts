import { describe, it, expect } from 'vitest';
import { chunks, type QueryDocument } from '../../src/schedules/query-document.js';
import { ingestDocument } from '../../src/schedules/run-ingest.js';
import { graphHuntingUrl, graphScope, logAnalyticsBase, logAnalyticsScope } from '../../src/schedules/endpoints.js';
import { DEFENDER_ROW_LIMIT } from '../../src/schedules/graph-source.js';
import { LOG_ANALYTICS_ROW_LIMIT } from '../../src/schedules/log-analytics-source.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';
import type { IngestService } from '../../src/hits/ingest-service.js';

const la = (n: number): QueryDocument => ({ kind: 'log-analytics', doc: { tables: [{ name: 'PrimaryResult', columns: [{ name: 'A', type: 'long' }],
  rows: Array.from({ length: n }, (_, i) => [i]) }] } });

describe('query documents, chunked ingest and endpoints (pure)', () => {
  it('when a result fits one chunk, then the document goes as it came; else it is split in order, each chunk in the same shape', () => {
    const small = la(3);
    expect(chunks(small, 3)).toEqual([small.doc]);
    expect(chunks(small, 3)[0]).toBe(small.doc);
    expect(chunks(la(5), 2).map((d) => (d as { tables: { rows: unknown[][] }[] }).tables[0]!.rows)).toEqual([[[0], [1]], [[2], [3]], [[4]]]);
    const graph: QueryDocument = { kind: 'graph', resultsKey: 'results', doc: { schema: [{ name: 'A' }], results: [{ A: 1 }, { A: 2 }, { A: 3 }] } };
    expect(chunks(graph, 2)).toEqual([{ schema: [{ name: 'A' }], results: [{ A: 1 }, { A: 2 }] }, { schema: [{ name: 'A' }], results: [{ A: 3 }] }]);
  });

  it('when a result is ingested in chunks, then the counts are summed and rejected indexes point into the whole result', async () => {
    const bodies: string[] = [];
    const ingest = { ingest: async (_a: unknown, _h: string, body: string) => {
      bodies.push(body);
      const rows = (JSON.parse(body) as { tables: { rows: number[][] }[] }).tables[0]!.rows;
      const bad = rows.map((r, index) => ({ index, v: r[0]! })).filter((x) => x.v % 2 === 1);
      return { received: rows.length, inserted: rows.length - bad.length, merged: 0, rejected: bad.map((x) => ({ index: x.index, error: `odd ${x.v}` })),
        suppressed: 0, flagged: 0, open: rows.length - bad.length };
    } } as unknown as IngestService;
    const r = await ingestDocument(ingest, SYSTEM_ACTOR, 'h', la(5), 2);
    expect(bodies).toHaveLength(3);
    expect(r).toEqual({ received: 5, inserted: 3, merged: 0, suppressed: 0, flagged: 0, open: 3,
      rejected: [{ index: 1, error: 'odd 1' }, { index: 3, error: 'odd 3' }] });
  });

  it('when endpoints are given or not, then the API base, version and token audience follow the cloud', () => {
    expect(logAnalyticsBase(undefined)).toBe('https://api.loganalytics.io/v1');
    expect(logAnalyticsBase('https://api.loganalytics.azure.cn/')).toBe('https://api.loganalytics.azure.cn/v1');
    expect(logAnalyticsBase('https://api.loganalytics.us/v1')).toBe('https://api.loganalytics.us/v1');
    expect(logAnalyticsScope('https://api.loganalytics.azure.cn/v1')).toBe('https://api.loganalytics.azure.cn/.default');
    expect(logAnalyticsScope('https://api.loganalytics.azure.com/v1')).toBe('https://api.loganalytics.io/.default');
    expect(String(graphHuntingUrl(undefined))).toBe('https://graph.microsoft.com/v1.0/security/runHuntingQuery');
    expect(String(graphHuntingUrl('https://graph.microsoft.us/v1.0'))).toBe('https://graph.microsoft.us/v1.0/security/runHuntingQuery');
    expect(graphScope(graphHuntingUrl('https://graph.microsoft.us'))).toBe('https://graph.microsoft.us/.default');
    expect(graphScope(graphHuntingUrl('http://127.0.0.1:9'))).toBe('https://graph.microsoft.com/.default');
  });

  it('when the Graph endpoint is plain http to another machine, then it is refused: no token goes unencrypted', () => {
    expect(() => graphHuntingUrl('http://graph.example.com')).toThrow(/not https/);
    expect(() => graphHuntingUrl('http://localhost:8080')).not.toThrow();
  });

  it('when the documented limits are read, then they are 500,000 rows for Log Analytics and 100,000 for advanced hunting', () => {
    expect(LOG_ANALYTICS_ROW_LIMIT).toBe(500_000);
    expect(DEFENDER_ROW_LIMIT).toBe(100_000);
  });
});
