import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startFakeArm, type FakeArm } from '../support/fake-arm.js';
import { addEntries, connectList, hostNames, sentinelOverrides, syncList, TEST_SECRET_KEY, WORKSPACE_BASE } from '../support/sentinel.js';
import { insertRun, type RunRow } from '../../src/sync/sync-store.js';
import { monthOf } from '../../src/sync/budget.js';
import { uuidv7 } from '../../src/db/ids.js';

describe("Sentinel's monthly change budget", () => {
  let t: TestApp, fake: FakeArm, listId: string, workspaceId: string;
  const ALIAS = 'budget-list';
  const sync = (body: Record<string, unknown> = {}) => request(t.app).post(`/api/suppression-lists/${listId}/sync`).set(t.auth('admin')).send(body);
  /** A past run of another list in the same workspace that made `n` item changes, started at `at`. */
  const spend = (n: number, at: Date) => t.services.db.bulk((s) => insertRun(s, {
    id: uuidv7(at.getTime()), listId: 'another-list',
    connectionId: 'c', connectionName: 'c', workspaceId, watchlistAlias: 'other', dryRun: false, status: 'succeeded', startedAt: at.toISOString(),
    finishedAt: at.toISOString(), startedBy: 'test', plannedCreate: n, plannedUpdate: 0, plannedDelete: 0, created: n, updated: 0, deleted: 0, error: null,
  } satisfies RunRow));

  beforeAll(async () => {
    fake = await startFakeArm();
    t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides() });
    listId = await syncList(t, ALIAS);
    const connectionId = await connectList(t, fake, listId);
    workspaceId = (await t.services.connections.get(connectionId)).workspaceId;
    await addEntries(t.services, listId, hostNames(20));
  });
  afterAll(async () => { await t.close(); await fake.close(); });

  it('when last month used the whole budget, then this month starts from zero', async () => {
    const { start } = monthOf(new Date());
    await spend(100_000, new Date(start.getTime() - 60_000));
    const res = await sync({ dryRun: true });
    expect(res.body.results[0].budget).toEqual({ month: monthOf(new Date()).month, limit: 100_000, used: 0, remaining: 100_000 });
    expect(res.body.results[0].exceedsBudget).toBe(false);
  });

  it('when the diff needs more changes than are left this month, then the sync is a 409 naming both, and nothing reaches Sentinel', async () => {
    await spend(99_990, new Date());
    fake.resetCounts();
    const res = await sync();
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'change-budget-exceeded', budgets: [{ needed: 20, remaining: 10, used: 99_990, limit: 100_000 }] });
    expect(res.body.detail).toMatch(/soc-prod needs 20 item changes and has 10 of 100000 left .*a dry run shows the diff/);
    expect(fake.counts['item.put'] + fake.counts['watchlist.put'] + fake.counts['item.delete']).toBe(0);
    expect(fake.state.watchlist(WORKSPACE_BASE, ALIAS)).toBeUndefined();
    const runs = await request(t.app).get(`/api/suppression-lists/${listId}/syncs`).set(t.auth('viewer'));
    expect(runs.body.items[0]).toMatchObject({ status: 'refused', planned: { create: 20 }, applied: { created: 0 }, error: expect.stringMatching(/^refused/) });
    expect(runs.body.budgets[0]).toMatchObject({ used: 99_990, remaining: 10 });
  });

  it('when the same diff is dry-run, then it is shown in full, flagged as over the budget', async () => {
    const res = await sync({ dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ exceedsBudget: true, counts: { create: 20 }, budget: { remaining: 10 } });
    expect(res.body.results[0].diff.create).toHaveLength(20);
  });

  it('when the diff fits what is left exactly, then it is applied and the month is used up', async () => {
    const entries = (await t.services.lists.listEntries(listId)).slice(0, 10);
    for (const e of entries) await request(t.app).delete(`/api/suppression-lists/${listId}/entries/${e.id}`).set(t.auth('admin'));
    const res = await sync();
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ status: 'succeeded', applied: { created: 10 }, budget: { used: 100_000, remaining: 0 } });
    expect(fake.items(WORKSPACE_BASE, ALIAS)).toHaveLength(10);
    expect((await sync()).status).toBe(200);
  });
});
