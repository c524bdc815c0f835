import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { FakeSwitches, send } from './fake-server-kit.js';

// Shapes from Microsoft's Log Analytics query API (azure-rest-api-specs, operationalinsights data-plane v1,
// examples/oms-post-example.json): POST /v1/workspaces/{workspaceId}/query with { query, timespan } answers
// { tables: [{ name: "PrimaryResult", columns: [{ name, type }], rows: [[...]] }] }; a partial failure is a 200 with
// an `error` member beside the tables. HTTPS, because the Azure SDK sends bearer tokens over TLS only.
const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);

export interface LogAnalyticsTable { name?: string; columns: { name: string; type: string }[]; rows: unknown[][] }

/** The error Log Analytics adds when a result passes its 500,000-record / 64 MB limit. */
export const RESULT_TOO_LARGE = {
  code: 'PartialError', message: 'There were some errors when processing your query.',
  details: [{ code: 'EngineError', message: 'Something went wrong processing your query on the server.',
    innererror: { code: '-2133196797', message: 'Query result set has exceeded the internal record count limit 500000 records '
      + '(E_QUERY_RESULT_SET_TOO_LARGE, 0x80DA0003).', severity: 2, severityName: 'Error' } }],
};

export interface FakeLogAnalytics extends FakeSwitches {
  /** The base to give a connection as its Log Analytics endpoint. */
  endpoint: string;
  /** The fake's certificate, to trust in the SDK's tlsOptions. */
  ca: string;
  /** The PrimaryResult every good answer holds. */
  table: LogAnalyticsTable;
  /** When set, good answers carry this as their `error` member (a partial result). */
  partialError: unknown;
  close(): Promise<void>;
}

export async function startFakeLogAnalytics(): Promise<FakeLogAnalytics> {
  const ca = readFileSync(new URL('localhost-cert.pem', TLS_DIR), 'utf8');
  const fake = Object.assign(new FakeSwitches(), { endpoint: '', ca, table: { columns: [], rows: [] } as LogAnalyticsTable,
    partialError: undefined as unknown, close: async () => {} });
  const server = createServer({ cert: ca, key: readFileSync(new URL('localhost-key.pem', TLS_DIR), 'utf8') }, (req, res) => {
    void (async () => {
      if (req.method !== 'POST' || !/^\/v1\/workspaces\/[^/]+\/query$/.test(new URL(req.url ?? '/', 'https://x').pathname)) {
        send(res, 404, { error: { code: 'PathNotFoundError', message: `the requested path ${req.url} does not exist` } });
        return;
      }
      if (!(await fake.intake(req, res))) return;
      send(res, 200, { tables: [{ name: 'PrimaryResult', ...fake.table }], ...(fake.partialError ? { error: fake.partialError } : {}) });
    })().catch((e: unknown) => send(res, 500, { error: { code: 'FakeBroken', message: String(e) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}
