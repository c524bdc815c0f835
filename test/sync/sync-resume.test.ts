import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startFakeArm, type FakeArm } from '../support/fake-arm.js';
import { addEntries, connectList, hostNames, sentinelOverrides, syncList, SYNC_LEASE_MS, TEST_SECRET_KEY, WORKSPACE_BASE } from '../support/sentinel.js';
import { findRun } from '../../src/sync/sync-store.js';

const N = 5_000;
const KILL_AFTER = 1_500;

describe('a 5,000-entry sync killed half-way converges on the next run', () => {
  let t: TestApp, fake: FakeArm, listId: string;
  const ALIAS = 'resume-list';
  const held = () => fake.items(WORKSPACE_BASE, ALIAS);

  beforeAll(async () => {
    fake = await startFakeArm({ pageSize: 100 });
    t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides() });
    listId = await syncList(t, ALIAS);
    await connectList(t, fake, listId);
    await addEntries(t.services, listId, hostNames(N));
  });
  afterAll(async () => { await t.close(); await fake.close(); });

  it('when the syncing process is SIGKILLed after 1,500 item writes, then its run stays "running" with no more counted than Sentinel holds', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/sync-child.ts', t.databaseUrl, listId],
      { env: { ...process.env, QUELL_SECRET_KEY: TEST_SECRET_KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    fake.onItemWrite = (total) => { if (total >= KILL_AFTER) child.kill('SIGKILL'); };
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    fake.onItemWrite = undefined;
    expect(exit, stderr).toEqual({ code: null, signal: 'SIGKILL' });
    const run = (await t.services.db.sql.get<{ id: string }>('SELECT "id" FROM "SyncRun" WHERE "listId" = ?', [listId]))!;
    const row = (await findRun(t.services.db.sql, run.id))!;
    expect(row.status).toBe('running');
    expect(held().length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(held().length).toBeLessThan(N);
    expect(Number(row.created)).toBeGreaterThan(0);
    expect(Number(row.created)).toBeLessThanOrEqual(held().length);
  });

  it('when a sync is asked for while the killed one\'s lease has not lapsed, then it is a 409 and nothing is written', async () => {
    fake.resetCounts();
    const res = await request(t.app).post(`/api/suppression-lists/${listId}/sync`).set(t.auth('admin')).send({});
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/already running/);
    expect(fake.counts['item.put'] + fake.counts['item.delete']).toBe(0);
  });

  it('when a fresh sync runs, then it creates only what is missing, marks the killed run interrupted, and no item is duplicated', async () => {
    await new Promise((r) => setTimeout(r, SYNC_LEASE_MS + 100)); // the killed process's lease lapses
    const already = held().length;
    fake.resetCounts();
    const res = await request(t.app).post(`/api/suppression-lists/${listId}/sync`).set(t.auth('admin')).send({});
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ status: 'succeeded', watchlist: 'existing',
      counts: { create: N - already, update: 0, delete: 0, unchanged: already }, applied: { created: N - already, updated: 0, deleted: 0 } });
    expect(fake.counts['watchlist.put']).toBe(0);
    const items = held();
    expect(items).toHaveLength(N);
    expect(new Set(items.map((i) => String(i.itemsKeyValue.SearchKey).toLowerCase())).size).toBe(N);
    const runs = await request(t.app).get(`/api/suppression-lists/${listId}/syncs`).set(t.auth('viewer'));
    expect(runs.body.items.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'interrupted']);
  });

  it('when it is synced once more, then nothing is written at all', async () => {
    fake.resetCounts();
    const res = await request(t.app).post(`/api/suppression-lists/${listId}/sync`).set(t.auth('admin')).send({});
    expect(res.body.results[0].counts).toEqual({ create: 0, update: 0, delete: 0, unchanged: N });
    expect(fake.counts['item.put'] + fake.counts['item.delete'] + fake.counts['watchlist.put'] + fake.counts['watchlist.delete']).toBe(0);
    expect(fake.counts['item.list']).toBe(N / 100);
  });
});
