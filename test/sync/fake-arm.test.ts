import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:https';
import { SecurityInsights } from '@azure/arm-securityinsight';
import { FAKE_ARM_CA, startFakeArm, type FakeArm } from '../support/fake-arm.js';
import { fakeCredentials, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE, WORKSPACE_BASE } from '../support/sentinel.js';

// The fake is only worth what it shares with ARM: checked here through the real SDK and a bare https client.
describe('the fake ARM server speaks the watchlist API as the SDK expects', () => {
  let fake: FakeArm, client: SecurityInsights;
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const raw = (path: string, headers: Record<string, string> = {}) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    request(`${fake.url}${path}`, { ca: FAKE_ARM_CA, headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject).end();
  });

  beforeAll(async () => {
    fake = await startFakeArm({ pageSize: 3 });
    client = new SecurityInsights(fakeCredentials()({ tenantId: 't', clientId: 'c', auth: { kind: 'secret', clientSecret: 's' } }), SUBSCRIPTION,
      { endpoint: fake.url, tlsOptions: { ca: FAKE_ARM_CA }, retryOptions: { maxRetries: 0 } });
  });
  afterAll(async () => { await fake.close(); });

  it('when a watchlist is created and read back, then it has the example\'s shape and a missing one is a 404', async () => {
    await client.watchlists.createOrUpdate(RESOURCE_GROUP, WORKSPACE, 'highValueAsset', { displayName: 'High Value Assets Watchlist', provider: 'Microsoft',
      source: 'watchlist.csv', itemsSearchKey: 'header1' });
    const w = await client.watchlists.get(RESOURCE_GROUP, WORKSPACE, 'highValueAsset');
    expect(w).toMatchObject({ name: 'highValueAsset', type: 'Microsoft.SecurityInsights/Watchlists', watchlistAlias: 'highValueAsset',
      watchlistType: 'watchlist', itemsSearchKey: 'header1', isDeleted: false });
    await expect(client.watchlists.get(RESOURCE_GROUP, WORKSPACE, 'nope')).rejects.toMatchObject({ statusCode: 404, code: 'NotFound' });
  });

  it('when 7 items are written and listed 3 to a page, then the SDK follows nextLink through 3 pages and gets all 7', async () => {
    for (let n = 1; n <= 7; n++) await client.watchlistItems.createOrUpdate(RESOURCE_GROUP, WORKSPACE, 'highValueAsset', id(n), { itemsKeyValue: { header1: `v${n}` } });
    fake.resetCounts();
    const items = [];
    for await (const it of client.watchlistItems.list(RESOURCE_GROUP, WORKSPACE, 'highValueAsset')) items.push(it);
    expect(items.map((i) => i.itemsKeyValue!.header1)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
    expect(items[0]).toMatchObject({ watchlistItemId: id(1), watchlistItemType: 'watchlist-item', type: 'Microsoft.SecurityInsights/Watchlists/WatchlistItems' });
    expect(fake.counts['item.list']).toBe(3);
  });

  it('when an item is deleted twice, then the first answers 200 and the second 204, as the spec\'s example allows', async () => {
    fake.resetCounts();
    await client.watchlistItems.delete(RESOURCE_GROUP, WORKSPACE, 'highValueAsset', id(7));
    await client.watchlistItems.delete(RESOURCE_GROUP, WORKSPACE, 'highValueAsset', id(7));
    expect(fake.counts.status).toEqual({ 200: 1, 204: 1 });
    expect(fake.items(WORKSPACE_BASE, 'highValueAsset')).toHaveLength(6);
  });

  it('when a request has no bearer token or no api-version, then it is refused as ARM refuses it', async () => {
    const path = `${WORKSPACE_BASE}/providers/Microsoft.SecurityInsights/watchlists?api-version=2024-09-01`;
    expect((await raw(path)).status).toBe(401);
    const noVersion = await raw(path.replace(/\?.*/, ''), { Authorization: 'Bearer x' });
    expect(noVersion.status).toBe(400);
    expect(JSON.parse(noVersion.body).error.code).toBe('MissingApiVersionParameter');
  });
});
