import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { snapshotDatabase } from '../support/test-app.js';
import { CONNECTION, netconnTable, putSchedule, runNow, startScheduleHarness, type ScheduleHarness } from '../support/schedule-harness.js';
import { FILESIG, NETCONN } from '../support/rows.js';

const BODY = { connectionId: CONNECTION, api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 120 };

describe('hunt schedules and the run list over HTTP', () => {
  let h: ScheduleHarness;
  beforeAll(async () => { h = await startScheduleHarness(); });
  afterAll(async () => { await h.close(); });
  const get = (huntId: string) => request(h.t.app).get(`/api/hunts/${huntId}/schedule`).set(h.t.auth('viewer'));

  it('when an admin puts a schedule, then it is 201, a viewer reads it, and a second put replaces it (200), each audited', async () => {
    const created = await putSchedule(h.t, NETCONN, BODY);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...BODY, huntId: NETCONN, enabled: true, createdBy: 'admin2', updatedBy: 'admin2', warnings: [], lastRun: null });
    expect(Date.parse(created.body.nextRunAt)).toBeLessThanOrEqual(Date.now());
    expect((await get(NETCONN)).body).toEqual(created.body);
    const replaced = await putSchedule(h.t, NETCONN, { ...BODY, api: 'defender', intervalMinutes: 1440, lookbackMinutes: 1440, enabled: false });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ api: 'defender', intervalMinutes: 1440, enabled: false, createdAt: created.body.createdAt });
    const audit = await h.t.services.db.prisma.auditEvent.findMany({ where: { entityType: 'hunt-schedule', entityId: NETCONN }, orderBy: { id: 'asc' } });
    expect(audit.map((e) => [e.action, e.actorName])).toEqual([['hunt-schedule.create', 'admin2'], ['hunt-schedule.update', 'admin2']]);
    expect(JSON.parse(audit[1]!.before!)).toMatchObject({ api: 'log-analytics', enabled: true });
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ api: 'defender', enabled: false });
  });

  it('when the body is out of range, of an unknown API, has extra keys or names an unknown connection, then it is a 400 naming the field, '
    + 'and nothing changes', async () => {
    const before = await snapshotDatabase(h.t.services);
    const bad: [object, string][] = [
      [{ ...BODY, intervalMinutes: 4 }, '/intervalMinutes'], [{ ...BODY, intervalMinutes: 10081 }, '/intervalMinutes'],
      [{ ...BODY, lookbackMinutes: 43201 }, '/lookbackMinutes'], [{ ...BODY, lookbackMinutes: 4 }, '/lookbackMinutes'],
      [{ ...BODY, api: 'splunk' }, '/api'], [{ ...BODY, cron: '* * * * *' }, '/cron'], [{ ...BODY, connectionId: undefined }, '/connectionId'],
      [{ ...BODY, connectionId: 'conn-nobody-made' }, '/connectionId'],
    ];
    for (const [body, pointer] of bad) {
      const res = await putSchedule(h.t, FILESIG, body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer), JSON.stringify(body)).toContain(pointer);
    }
    expect(await snapshotDatabase(h.t.services)).toEqual(before);
  });

  it('when the lookback is shorter than the interval, then the schedule warns that rows between runs are never fetched', async () => {
    const res = await putSchedule(h.t, FILESIG, { ...BODY, intervalMinutes: 120, lookbackMinutes: 60 });
    expect(res.body.warnings).toEqual(['the lookback (60 min) is shorter than the interval (120 min): rows between runs are never fetched']);
    await request(h.t.app).delete(`/api/hunts/${FILESIG}/schedule`).set(h.t.auth('admin'));
  });

  it('when a hunt has no schedule, then GET is a 404, run now is a 409 saying to put one, and nothing is recorded', async () => {
    expect((await get(FILESIG)).status).toBe(404);
    const before = await snapshotDatabase(h.t.services);
    const run = await request(h.t.app).post(`/api/hunts/${FILESIG}/runs`).set(h.t.auth('admin'));
    expect(run.status).toBe(409);
    expect(run.body.detail).toBe(`hunt ${FILESIG} has no schedule: PUT /api/hunts/${FILESIG}/schedule names its connection and API first`);
    expect(await snapshotDatabase(h.t.services)).toEqual(before);
    expect((await request(h.t.app).get('/api/hunts/no-such-hunt/runs').set(h.t.auth('viewer'))).status).toBe(404);
  });

  it('when runs are listed with a limit, then they come newest first, with a cursor to the next page', async () => {
    await putSchedule(h.t, NETCONN, BODY);
    h.la.table = netconnTable(0);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await runNow(h.t, NETCONN)).body.id);
    const page1 = (await request(h.t.app).get(`/api/hunts/${NETCONN}/runs`).query({ limit: 2 }).set(h.t.auth('viewer'))).body;
    expect(page1.items.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    expect(page1.nextCursor).toBe(ids[1]);
    const page2 = (await request(h.t.app).get(`/api/hunts/${NETCONN}/runs`).query({ limit: 2, cursor: page1.nextCursor }).set(h.t.auth('viewer'))).body;
    expect(page2).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await get(NETCONN)).body.lastRun.id).toBe(ids[2]);
  });

  it('when the schedule is deleted, then it is returned, GET is a 404, its runs stay listed, and the deletion is audited', async () => {
    const runs = (await request(h.t.app).get(`/api/hunts/${NETCONN}/runs`).set(h.t.auth('viewer'))).body.items.length;
    const res = await request(h.t.app).delete(`/api/hunts/${NETCONN}/schedule`).set(h.t.auth('admin'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ huntId: NETCONN, connectionId: CONNECTION });
    expect((await get(NETCONN)).status).toBe(404);
    expect((await request(h.t.app).get(`/api/hunts/${NETCONN}/runs`).set(h.t.auth('viewer'))).body.items).toHaveLength(runs);
    expect(await h.t.services.db.prisma.auditEvent.count({ where: { action: 'hunt-schedule.delete', entityId: NETCONN } })).toBe(1);
    expect((await request(h.t.app).delete(`/api/hunts/${NETCONN}/schedule`).set(h.t.auth('admin'))).status).toBe(404);
  });
});
