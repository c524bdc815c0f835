import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSwitches, send } from './fake-server-kit.js';

// Shapes from Microsoft Graph's security: runHuntingQuery (microsoft-graph-docs-contrib,
// api-reference/v1.0/api/security-security-runhuntingquery.md): POST /v1.0/security/runHuntingQuery with
// { Query, Timespan } answers { "@odata.context", schema: [{ name, type }], results: [{ column: value }] }.
// Plain http on 127.0.0.1: Node's fetch cannot be given a test CA, and Quell allows http to loopback only.

export interface FakeGraph extends FakeSwitches {
  /** The base to give a connection as its Graph endpoint. */
  endpoint: string;
  schema: { name: string; type: string }[];
  results: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startFakeGraph(): Promise<FakeGraph> {
  const fake = Object.assign(new FakeSwitches(), { endpoint: '', schema: [] as FakeGraph['schema'], results: [] as FakeGraph['results'],
    close: async () => {} });
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/v1.0/security/runHuntingQuery') {
        send(res, 404, { error: { code: 'BadRequest', message: `Resource not found for the segment '${req.url}'.` } });
        return;
      }
      if (!(await fake.intake(req, res))) return;
      send(res, 200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults',
        schema: fake.schema, results: fake.results });
    })().catch((e: unknown) => send(res, 500, { error: { code: 'FakeBroken', message: String(e) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}
