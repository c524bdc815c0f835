import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { startFakeArm, type FakeArm } from '../support/fake-arm.js';
import { addEntries, connectList, fakeCredentials, hostNames, sentinelOverrides, syncList, TEST_SECRET_KEY, WORKSPACE_BASE } from '../support/sentinel.js';
import { watchlistItemId } from '../../src/sync/item-id.js';

describe('POST /suppression-lists/:id/sync: item by item, idempotent, paged, case-insensitive', () => {
  let t: TestApp, fake: FakeArm, listId: string;
  const credentials = fakeCredentials();
  const ALIAS = 'quell-sync-test';
  const sync = (body: Record<string, unknown> = {}) => request(t.app).post(`/api/suppression-lists/${listId}/sync`).set(t.auth('admin')).send(body);
  const writes = () => fake.counts['item.put'] + fake.counts['item.delete'] + fake.counts['watchlist.put'] + fake.counts['watchlist.delete'];

  beforeAll(async () => {
    fake = await startFakeArm({ pageSize: 7 });
    t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides(credentials) });
    listId = await syncList(t, ALIAS);
    await connectList(t, fake, listId);
    await addEntries(t.services, listId, hostNames(50));
  });
  afterAll(async () => { await t.close(); await fake.close(); });
  beforeEach(() => fake.resetCounts());

  it('when a dry run is asked for, then it returns the whole diff, and neither Sentinel nor Quell\'s data changes', async () => {
    const before = await snapshotDatabase(t.services);
    const res = await sync({ dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, status: 'dry-run' });
    const r = res.body.results[0];
    expect(r).toMatchObject({ status: 'dry-run', watchlist: 'absent', counts: { create: 50, update: 0, delete: 0, unchanged: 0 }, applied: { created: 0, updated: 0, deleted: 0 } });
    expect(r.diff.create).toEqual(hostNames(50));
    expect(writes()).toBe(0);
    expect(fake.state.watchlist(WORKSPACE_BASE, ALIAS)).toBeUndefined();
    // The only rows a dry run adds are its own record: one SyncRun (dryRun, nothing applied) and its audit event.
    const after = await snapshotDatabase(t.services);
    for (const table of Object.keys(before)) if (table !== 'SyncRun' && table !== 'AuditEvent') expect(after[table], table).toEqual(before[table]);
    expect(after.SyncRun!.length - before.SyncRun!.length).toBe(1);
    expect(after.SyncRun!.at(-1)).toMatchObject({ dryRun: 1, status: 'dry-run', created: 0, updated: 0, deleted: 0, plannedCreate: 50 });
    expect(after.AuditEvent!.slice(before.AuditEvent!.length)).toEqual([expect.objectContaining({ action: 'list.sync' })]);
  });

  it('when the list is synced, then the watchlist is created as Quell\'s with SearchKey and every item arrives at its deterministic id', async () => {
    const res = await sync();
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ status: 'succeeded', watchlist: 'created', applied: { created: 50, updated: 0, deleted: 0 }, error: null });
    const wl = fake.state.watchlist(WORKSPACE_BASE, ALIAS)!;
    expect(wl.properties).toMatchObject({ provider: 'Quell', source: 'Quell', itemsSearchKey: 'SearchKey', displayName: `Sync test ${ALIAS}` });
    const items = fake.items(WORKSPACE_BASE, ALIAS);
    expect(items).toHaveLength(50);
    expect(items.map((i) => i.id).sort()).toEqual(hostNames(50).map((n) => watchlistItemId(listId, n)).sort());
    expect(Object.keys(items[0]!.itemsKeyValue)).toEqual(['SearchKey', 'DeviceName', 'Reason', 'AddedBy', 'AddedAt', 'ExpiresAt']);
    expect(fake.counts).toMatchObject({ 'watchlist.put': 1, 'item.put': 50, 'watchlist.delete': 0, 'item.delete': 0 });
    expect([...fake.apiVersions]).toEqual(['2024-09-01']);
    expect(credentials.scopes).toContain(`${fake.url}/.default`);
    expect([...fake.tokens]).toEqual(['fake-token-11111111-2222-3333-4444-555555555555']);
  });

  it('when the list is synced again, then nothing is written and the items are read page by page', async () => {
    const res = await sync();
    expect(res.body.results[0]).toMatchObject({ status: 'succeeded', watchlist: 'existing', counts: { create: 0, update: 0, delete: 0, unchanged: 50 } });
    expect(writes()).toBe(0);
    expect(fake.counts['item.list']).toBe(Math.ceil(50 / 7));
  });

  it('when Sentinel\'s listing lags behind acknowledged writes, then the items are written again at the same ids, never duplicated', async () => {
    const lagging = fake.items(WORKSPACE_BASE, ALIAS).slice(0, 5).map((i) => i.id);
    for (const id of lagging) fake.hiddenFromList.add(id);
    const res = await sync();
    fake.hiddenFromList.clear();
    expect(res.body.results[0].counts).toMatchObject({ create: 5, unchanged: 45 });
    expect(fake.counts['item.put']).toBe(5);
    expect(fake.counts.status[201] ?? 0).toBe(0);
    expect(fake.items(WORKSPACE_BASE, ALIAS)).toHaveLength(50);
  });

  it('when entries are revoked, expire or change case, then only those items change, in place, and the watchlist is never re-created', async () => {
    const entries = await t.services.lists.listEntries(listId);
    const byKey = (k: string) => entries.find((e) => e.searchKey === k)!;
    await request(t.app).delete(`/api/suppression-lists/${listId}/entries/${byKey('host-00001.corp.example').id}`).set(t.auth('admin'));
    await t.services.db.sql.run('UPDATE "SuppressionEntry" SET "expiresAt" = ? WHERE "id" = ?', ['2020-01-01T00:00:00.000+00:00', byKey('host-00002.corp.example').id]);
    // A key re-added in capitals (after the lower-case one was revoked) is the same watchlist item under in~.
    await request(t.app).delete(`/api/suppression-lists/${listId}/entries/${byKey('host-00003.corp.example').id}`).set(t.auth('admin'));
    await addEntries(t.services, listId, ['HOST-00003.CORP.EXAMPLE', 'host-new.corp.example']);
    const dry = await sync({ dryRun: true });
    expect(dry.body.results[0].diff).toEqual({ create: ['host-new.corp.example'], update: ['HOST-00003.CORP.EXAMPLE'],
      delete: ['host-00001.corp.example', 'host-00002.corp.example'] });
    const res = await sync();
    expect(res.body.results[0].applied).toEqual({ created: 1, updated: 1, deleted: 2 });
    const items = fake.items(WORKSPACE_BASE, ALIAS);
    expect(items).toHaveLength(49);
    const upper = items.find((i) => i.id === watchlistItemId(listId, 'host-00003.corp.example'))!;
    expect(upper.itemsKeyValue).toMatchObject({ SearchKey: 'HOST-00003.CORP.EXAMPLE' });
    expect(fake.counts['watchlist.put'] + fake.counts['watchlist.delete']).toBe(0);
    expect((await sync()).body.results[0].counts).toMatchObject({ create: 0, update: 0, delete: 0, unchanged: 49 });
  });

  it('when Sentinel holds a foreign item and a duplicate in another case, then the sync deletes both and keeps Quell\'s', async () => {
    fake.state.seedItem(WORKSPACE_BASE, ALIAS, '0a0a0a0a-0000-4000-8000-00000000000a', { SearchKey: 'added-in-portal', Reason: 'manual' });
    const dup = fake.items(WORKSPACE_BASE, ALIAS).find((i) => i.itemsKeyValue.SearchKey === 'host-00010.corp.example')!;
    fake.state.seedItem(WORKSPACE_BASE, ALIAS, '0b0b0b0b-0000-4000-8000-00000000000b', { ...dup.itemsKeyValue, SearchKey: 'Host-00010.corp.example' });
    const res = await sync();
    expect(res.body.results[0].diff.delete.sort()).toEqual(['Host-00010.corp.example', 'added-in-portal']);
    expect(fake.items(WORKSPACE_BASE, ALIAS)).toHaveLength(49);
    expect(fake.items(WORKSPACE_BASE, ALIAS).some((i) => i.id === dup.id)).toBe(true);
  });

  it('when a sync names a connection that is not a target, or the list has none, then it is a 409 and nothing is sent', async () => {
    const other = await syncList(t, 'untargeted-list');
    expect((await request(t.app).post(`/api/suppression-lists/${other}/sync`).set(t.auth('admin')).send({})).body.detail).toMatch(/no target connections/);
    const res = await sync({ connectionId: 'not-a-target' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/not a target/);
    expect(fake.counts['watchlist.get']).toBe(0);
  });

  it('when the history is read, then every run is listed newest first with this month\'s changes for the target', async () => {
    const res = await request(t.app).get(`/api/suppression-lists/${listId}/syncs?limit=2`).set(t.auth('viewer'));
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.nextCursor).toBe(res.body.items[1].id);
    expect(res.body.budgets).toEqual([expect.objectContaining({ connectionName: 'soc-prod', limit: 100_000, used: 50 + 5 + 4 + 2, remaining: 100_000 - 61 })]);
    const rest = await request(t.app).get(`/api/suppression-lists/${listId}/syncs?cursor=${res.body.nextCursor}`).set(t.auth('viewer'));
    expect(rest.body.items.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'dry-run', 'succeeded', 'succeeded', 'succeeded', 'dry-run']);
    const audit = await request(t.app).get(`/api/audit?entityId=${listId}&action=list.sync`).set(t.auth('admin'));
    expect(audit.body.items[0].after).toMatchObject({ planned: { create: 0, update: 0, delete: 2 }, applied: { created: 0, updated: 0, deleted: 2 } });
  });
});
