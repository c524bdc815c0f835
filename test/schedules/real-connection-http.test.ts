import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import type { TokenCredential } from '@azure/core-auth';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startFakeLogAnalytics, type FakeLogAnalytics } from '../support/fake-log-analytics.js';
import { netconnTable, putSchedule, runNow } from '../support/schedule-harness.js';
import { NETCONN } from '../support/rows.js';
import type { CredentialFactory } from '../../src/connections/credential-factory.js';

const WORKSPACE_ID = '5f2b9c1e-7a4d-4e3b-9c8a-1d2e3f4a5b6c';

describe('scheduled runs through a connection made with POST /connections (the real resolver, a fake credential)', () => {
  let la: FakeLogAnalytics;
  let t: TestApp;
  let connectionId: string;
  const built: string[] = [];
  beforeAll(async () => {
    la = await startFakeLogAnalytics();
    const credentialFactory: CredentialFactory = (input): TokenCredential => {
      built.push(input.clientId);
      return { getToken: async () => ({ token: `token-for-${input.clientId}`, expiresOnTimestamp: Date.now() + 3600_000 }) };
    };
    t = await createTestApp({ env: { QUELL_SECRET_KEY: 'a'.repeat(64) }, services: { azure: { credentialFactory },
      scheduledRuns: { sleep: async () => {}, logAnalytics: { clientOptions: { tlsOptions: { ca: la.ca } } } } } });
    const conn = await request(t.app).post('/api/connections').set(t.auth('admin')).send({
      name: 'soc-prod', tenantId: 'contoso.onmicrosoft.com', clientId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', clientSecret: 's3cret',
      subscriptionId: 'd0cfe6b2-9ac0-4464-9919-dccaee2e48c0', resourceGroup: 'soc-rg', workspaceName: 'soc-workspace', workspaceId: WORKSPACE_ID,
      endpoints: { logAnalytics: la.endpoint } });
    expect(conn.status).toBe(201);
    connectionId = conn.body.id;
  });
  afterAll(async () => { await t.services.scheduledRuns.runner.idle(); await Promise.all([la.close(), t.close()]); });

  it('when the schedule names the connection, then the run queries that connection\'s workspace with its credential and ingests the rows', async () => {
    expect((await putSchedule(t, NETCONN, { connectionId, api: 'log-analytics', intervalMinutes: 30, lookbackMinutes: 30 })).status).toBe(201);
    la.table = netconnTable(2, 'rc1');
    const run = (await runNow(t, NETCONN)).body;
    expect(run).toMatchObject({ connectionId, status: 'succeeded', timespan: 'PT30M', inserted: 2 });
    expect(la.requests.at(-1)).toMatchObject({ path: `/v1/workspaces/${WORKSPACE_ID}/query`,
      authorization: 'Bearer token-for-0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9' });
    expect(built).toContain('0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9');
  });

  it('when the connection is deleted, then the next run fails naming it, without sending a query', async () => {
    expect((await request(t.app).delete(`/api/connections/${connectionId}`).set(t.auth('admin'))).status).toBeLessThan(300);
    const sent = la.requests.length;
    const run = (await runNow(t, NETCONN)).body;
    expect(run).toMatchObject({ status: 'failed', attempts: 0, rows: null });
    expect(run.error).toContain(connectionId);
    expect(la.requests.length).toBe(sent);
  });
});
