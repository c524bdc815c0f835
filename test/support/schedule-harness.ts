import { createServer, type AddressInfo } from 'node:net';
import request from 'supertest';
import type { TokenCredential } from '@azure/core-auth';
import { createTestApp, type TestApp } from './test-app.js';
import { startFakeLogAnalytics, type FakeLogAnalytics, type LogAnalyticsTable } from './fake-log-analytics.js';
import { startFakeGraph, type FakeGraph } from './fake-graph.js';
import type { ConnectionResolver, ResolvedConnection } from '../../src/schedules/connection-resolver.js';
import type { ScheduledRunsOptions } from '../../src/schedules/scheduled-runs.js';
import { notFound } from '../../src/http/errors.js';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

export const CONNECTION = 'conn-sentinel-soc';
/** A connection whose endpoints refuse connections (a port that was free a moment ago). */
export const UNREACHABLE = 'conn-unreachable';
export const WORKSPACE = '63613592-b6f7-4c3d-a390-22ba13102111';

/** A credential that hands out a fixed token and records the scopes asked for. */
export function fakeCredential(scopes: string[] = []): TokenCredential {
  return { getToken: async (s) => { scopes.push(...[s].flat()); return { token: 'test', expiresOnTimestamp: Date.now() + 3600_000 }; } };
}

export interface ScheduleHarness {
  t: TestApp;
  la: FakeLogAnalytics;
  graph: FakeGraph;
  /** Every wait the runner asked for between attempts, in ms (the sleep returns at once). */
  waits: number[];
  scopes: string[];
  close(): Promise<void>;
}

/** A seeded app whose runner resolves CONNECTION to the two fake servers and sleeps without waiting. */
export async function startScheduleHarness(runner: Partial<ScheduledRunsOptions> = {}): Promise<ScheduleHarness> {
  const [la, graph] = await Promise.all([startFakeLogAnalytics(), startFakeGraph()]);
  const waits: number[] = [];
  const scopes: string[] = [];
  const connection: ResolvedConnection = { id: CONNECTION, name: 'SOC Sentinel', credential: fakeCredential(scopes), subscriptionId: 'sub-1',
    resourceGroup: 'rg-soc', workspaceName: 'soc-ws', workspaceId: WORKSPACE, endpoints: { logAnalytics: la.endpoint, graph: graph.endpoint } };
  const port = await closedPort();
  const unreachable = { ...connection, id: UNREACHABLE, endpoints: { logAnalytics: `https://127.0.0.1:${port}`, graph: `http://127.0.0.1:${port}` } };
  const resolver: ConnectionResolver = {
    resolve: async (id) => {
      if (id === CONNECTION) return connection;
      if (id === UNREACHABLE) return unreachable;
      throw notFound(`connection ${id}`);
    },
  };
  const t = await createTestApp({ services: { scheduledRuns: {
    resolver, sleep: async (ms) => { waits.push(ms); }, logAnalytics: { clientOptions: { tlsOptions: { ca: la.ca } } }, ...runner,
  } } });
  const close = async () => { await t.services.scheduledRuns.runner.idle(); await Promise.all([la.close(), graph.close(), t.close()]); };
  return { t, la, graph, waits, scopes, close };
}

export const putSchedule = (t: TestApp, huntId: string, body: Record<string, unknown>) =>
  request(t.app).put(`/api/hunts/${huntId}/schedule`).set(t.auth('admin')).send(body);

/** Runs now and answers when the run has finished. */
export const runNow = (t: TestApp, huntId: string) =>
  request(t.app).post(`/api/hunts/${huntId}/runs`).query({ wait: true }).set(t.auth('admin'));

const SUMMARY_COLUMNS = [
  { name: 'DeviceId', type: 'string' }, { name: 'DeviceName', type: 'string' }, { name: 'RemoteUrl', type: 'string' },
  { name: 'FirstSeen', type: 'datetime' }, { name: 'LastSeen', type: 'datetime' }, { name: 'Report', type: 'dynamic' },
  { name: 'Count', type: 'long' },
];

/**
 * The seed netconn hunt's summarised rows as Log Analytics writes them: positional cells, datetimes with 100 ns
 * digits, the make_set() column as JSON text.
 */
export function netconnTable(n: number, prefix = `d${Math.random().toString(36).slice(2, 7)}`): LogAnalyticsTable {
  return { columns: SUMMARY_COLUMNS, rows: Array.from({ length: n }, (_, i) => [
    `${prefix}-${i}`, `ws-${prefix}-${i}.corp.example`, 'rl.ammyy.com', '2026-11-18T08:00:00.1234567Z', '2026-11-19T08:30:00.7654321Z',
    JSON.stringify([`${1000 + i}`, `${2000 + i}`]), 2,
  ]) };
}
