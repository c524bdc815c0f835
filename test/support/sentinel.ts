import type { AccessToken, TokenCredential } from '@azure/core-auth';
import request from 'supertest';
import type { CredentialFactory, CredentialInput } from '../../src/connections/credential-factory.js';
import type { Services } from '../../src/services.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';
import { insertEntry } from '../../src/suppression/entries-store.js';
import { FAKE_ARM_CA, type FakeArm } from './fake-arm.js';
import type { TestApp } from './test-app.js';

/** A QUELL_SECRET_KEY for tests (hex form; 32 bytes). */
export const TEST_SECRET_KEY = '6c9d1f0e4b7a28355e0f9c1d2b3a4e5f60718293a4b5c6d7e8f9011223344556';
export const TEST_SECRET_KEY_B64 = 'mXpZ1FIq3v8G7d6RkQ4vE6hD4z7m8hL9pQ2rS5tU1wA=';

export const SUBSCRIPTION = 'd0cfe6b2-9ac0-4464-9919-dccaee2e48c0';
export const RESOURCE_GROUP = 'soc-rg';
export const WORKSPACE = 'soc-workspace';
export const WORKSPACE_BASE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.OperationalInsights/workspaces/${WORKSPACE}`;

/** A credential factory whose credentials hand out a fixed token; it records what each was built from. */
export function fakeCredentials(): CredentialFactory & { built: CredentialInput[]; scopes: string[] } {
  const built: CredentialInput[] = [];
  const scopes: string[] = [];
  const factory = ((input: CredentialInput): TokenCredential => {
    built.push(input);
    return {
      getToken: async (s): Promise<AccessToken> => {
        scopes.push(...(Array.isArray(s) ? s : [s]));
        return { token: `fake-token-${input.clientId}`, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
  }) as CredentialFactory & { built: CredentialInput[]; scopes: string[] };
  return Object.assign(factory, { built, scopes });
}

/** createServices overrides that reach the fake ARM server: its certificate trusted, retries fast. */
// A sync's lease lapses SYNC_LEASE_MS after its process dies (a killed sync blocks the next one that long).
export const SYNC_LEASE_MS = 2_000;

export function sentinelOverrides(credentials = fakeCredentials(), sync: { monthlyChangeBudget?: number; concurrency?: number } = {}) {
  return {
    azure: {
      credentialFactory: credentials,
      clientOptions: { tlsOptions: { ca: FAKE_ARM_CA }, retryOptions: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 } },
    },
    sync: { concurrency: 8, requestTimeoutMs: 10_000, leaseMs: SYNC_LEASE_MS, ...sync },
  };
}

export function connectionBody(fake: Pick<FakeArm, 'url'>, over: Record<string, unknown> = {}) {
  return {
    name: 'soc-prod', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '11111111-2222-3333-4444-555555555555',
    clientSecret: 'Zq8~not-a-real-secret.but-long-enough_42', subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP,
    workspaceName: WORKSPACE, workspaceId: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
    endpoints: { arm: fake.url, authorityHost: fake.url }, ...over,
  };
}

/** Creates a connection over HTTP and makes it the only target of the list; returns the connection id. */
export async function connectList(t: TestApp, fake: Pick<FakeArm, 'url'>, listId: string, over: Record<string, unknown> = {}): Promise<string> {
  const c = await request(t.app).post('/api/connections').set(t.auth('admin')).send(connectionBody(fake, over));
  if (c.status !== 201) throw new Error(`connection: ${c.status} ${JSON.stringify(c.body)}`);
  const tg = await request(t.app).put(`/api/suppression-lists/${listId}/targets`).set(t.auth('admin')).send({ connectionIds: [c.body.id] });
  if (tg.status !== 200) throw new Error(`targets: ${tg.status} ${JSON.stringify(tg.body)}`);
  return c.body.id as string;
}

/** A list of the netconn hunt keyed on DeviceName, for sync tests. */
export async function syncList(t: TestApp, alias = 'quell-sync-test'): Promise<string> {
  const hunts = await request(t.app).get('/api/hunts').set(t.auth('viewer'));
  const res = await request(t.app).post('/api/suppression-lists').set(t.auth('admin'))
    .send({ alias, displayName: `Sync test ${alias}`, hunts: [hunts.body.items[0].id], keyColumns: ['DeviceName'] });
  if (res.status !== 201) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Adds active entries straight through the entries store (one transaction), far faster than one request each. */
export async function addEntries(services: Services, listId: string, names: readonly string[], expiresAt = new Date(Date.now() + 30 * 86_400_000)) {
  return services.db.bulk((sqlite) => names.map((name) => insertEntry(sqlite, SYSTEM_ACTOR, {
    listId, searchKey: name, values: { DeviceName: name }, reason: 'known benign', sourceVerdictId: null, status: 'active', expiresAt,
  })));
}

export const hostNames = (n: number, prefix = 'host') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}.corp.example`);
