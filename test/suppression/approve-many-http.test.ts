import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, summaryRow } from '../support/rows.js';

describe('POST /suppression-lists/:id/entries/approve: several pending entries at once, all or nothing', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  async function approvalList() {
    const res = await request(t.app).post('/api/suppression-lists').set(t.auth('admin'))
      .send({ alias: `appr-${Math.random().toString(36).slice(2, 8)}`, displayName: 'Needs approval', hunts: [NETCONN], requireApproval: true });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  /** A hit and an analyst's pending entry with its key; the hit stays open until the entry is approved. */
  async function pendingFor(listId: string, device: string) {
    const row = summaryRow({ DeviceId: `id-${device}`, DeviceName: device });
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send([row]);
    const res = await request(t.app).post(`/api/suppression-lists/${listId}/entries`).set(t.auth('analyst'))
      .send({ values: { DeviceId: row.DeviceId, DeviceName: device, RemoteUrl: row.RemoteUrl }, reason: 'helpdesk' });
    expect(res.body.status).toBe('pending');
    return res.body.id as string;
  }
  const statusOf = async (device: string) => (await request(t.app).get('/api/hits').query({ device }).set(t.auth('viewer'))).body.items[0].status;
  const approve = (listId: string, ids: string[]) => request(t.app).post(`/api/suppression-lists/${listId}/entries/approve`).set(t.auth('admin')).send({ ids });

  it('when every id is a pending entry of the list, then all are approved, audited one by one, and their hits suppressed', async () => {
    const listId = await approvalList();
    const devices = ['ap-1', 'ap-2', 'ap-3'];
    const ids = [];
    for (const d of devices) ids.push(await pendingFor(listId, d));
    for (const d of devices) expect(await statusOf(d)).toBe('open');
    const res = await approve(listId, ids);
    expect(res.status).toBe(200);
    expect(res.body.approved).toBe(3);
    expect(res.body.reevaluated).toBe(3);
    expect(res.body.entries.map((e: { id: string }) => e.id)).toEqual(ids);
    expect(res.body.entries.every((e: { status: string; approvedBy: string }) => e.status === 'active' && e.approvedBy === 'admin2')).toBe(true);
    for (const d of devices) expect(await statusOf(d)).toBe('suppressed');
    const audits = await t.services.db.prisma.auditEvent.findMany({ where: { action: 'entry.approve', entityId: { in: ids } } });
    expect(audits.map((a) => a.entityId).sort()).toEqual([...ids].sort());
  });

  it('when one id is not a pending entry of this list, then it is a 409 naming each such id and nothing is approved', async () => {
    const listId = await approvalList();
    const otherList = await approvalList();
    const good = await pendingFor(listId, 'an-good');
    const active = await pendingFor(listId, 'an-active');
    expect((await approve(listId, [active])).status).toBe(200);
    const foreign = await pendingFor(otherList, 'an-foreign');
    const before = await snapshotDatabase(t.services);
    const res = await approve(listId, [good, active, foreign, 'no-such-entry']);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(new RegExp(`entry ${active} is active, not pending.*nothing was approved`));
    expect(res.body.errors).toEqual([
      { pointer: '/ids/1', message: `entry ${active} is active, not pending` },
      { pointer: '/ids/2', message: expect.stringContaining(`no entry ${foreign}`) },
      { pointer: '/ids/3', message: expect.stringContaining('no entry no-such-entry') },
    ]);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    expect(await statusOf('an-good')).toBe('open');
  });

  it('when many entries are approved at once, then every one of their hits is re-evaluated', async () => {
    const listId = await approvalList();
    const devices = Array.from({ length: 25 }, (_, i) => `many-${i}`);
    const ids = [];
    for (const d of devices) ids.push(await pendingFor(listId, d));
    const res = await approve(listId, ids);
    expect(res.body).toMatchObject({ approved: 25, reevaluated: 25 });
    for (const d of devices) expect(await statusOf(d), d).toBe('suppressed');
  });

  it('when ids are empty, repeated or too many, or the list does not exist, then it is a 400 or 404', async () => {
    const listId = await approvalList();
    const id = await pendingFor(listId, 'bad-body');
    expect((await approve(listId, [])).status).toBe(400);
    expect((await approve(listId, [id, id])).status).toBe(400);
    expect((await approve(listId, Array.from({ length: 1001 }, (_, i) => `x${i}`))).status).toBe(400);
    expect((await approve('no-such-list', [id])).status).toBe(404);
  });
});
