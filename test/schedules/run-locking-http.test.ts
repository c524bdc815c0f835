import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { CONNECTION, netconnTable, putSchedule, runNow, startScheduleHarness, type ScheduleHarness } from '../support/schedule-harness.js';
import { NETCONN } from '../support/rows.js';

describe('scheduled runs: never two at once for one hunt', () => {
  let h: ScheduleHarness;
  beforeAll(async () => {
    h = await startScheduleHarness();
    await putSchedule(h.t, NETCONN, { connectionId: CONNECTION, api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 60 });
  });
  afterAll(async () => { await h.close(); });

  const startRun = () => request(h.t.app).post(`/api/hunts/${NETCONN}/runs`).set(h.t.auth('admin'));
  /** A `running` row as a process that stopped mid-run leaves it. */
  const foreignRun = (id: string, minutesAgo: number) => h.t.services.db.prisma.huntRun.create({ data: { id, huntId: NETCONN, connectionId: CONNECTION,
    api: 'log-analytics', status: 'running', trigger: 'schedule', triggeredBy: `schedule:${NETCONN}`, timespan: 'PT1H',
    startedAt: new Date(Date.now() - minutesAgo * 60_000), attempts: 1, truncated: false } });

  it('when run now is called while a run of the hunt is in progress, then it is a 409 naming the running run; the scheduler skips it too', async () => {
    h.la.table = netconnTable(1, 'k1');
    const release = h.la.hold();
    let first;
    try {
      first = await startRun();
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ status: 'running', finishedAt: null, attempts: 0 });
      const second = await startRun();
      expect(second.status).toBe(409);
      expect(second.body.runId).toBe(first.body.id);
      expect(second.body.detail).toContain(first.body.id);
      expect(await h.t.services.scheduledRuns.scheduler.tick(new Date(Date.now() + 3 * 3600_000))).toEqual([]);
    } finally {
      release();
    }
    await h.t.services.scheduledRuns.runner.idle();
    const runs = (await request(h.t.app).get(`/api/hunts/${NETCONN}/runs`).set(h.t.auth('viewer'))).body.items;
    expect(runs.filter((r: { status: string }) => r.status === 'running')).toEqual([]);
    expect(runs[0]).toMatchObject({ id: first.body.id, status: 'succeeded', inserted: 1 });
    expect(runs.filter((r: { id: string }) => r.id === first.body.id)).toHaveLength(1);
  });

  it('when the run has finished, then the next run now starts', async () => {
    const res = await runNow(h.t, NETCONN);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('succeeded');
  });

  it('when another process has a recent run of the hunt in progress, then run now is a 409 naming that run and nothing is sent', async () => {
    await foreignRun('00000000-0000-7000-8000-00000000f001', 5);
    try {
      const sent = h.la.requests.length;
      const res = await startRun();
      expect(res.status).toBe(409);
      expect(res.body.runId).toBe('00000000-0000-7000-8000-00000000f001');
      expect(res.body.detail).toMatch(/has been running since .* marked failed once 120 minutes old/);
      expect(h.la.requests.length).toBe(sent);
    } finally {
      await h.t.services.db.prisma.huntRun.delete({ where: { id: '00000000-0000-7000-8000-00000000f001' } });
    }
  });

  it('when a running row is older than twice the interval (its process stopped), then it is marked failed, audited, and the new run goes ahead', async () => {
    await foreignRun('00000000-0000-7000-8000-00000000f002', 180);
    const res = await runNow(h.t, NETCONN);
    expect(res.body.status).toBe('succeeded');
    const stale = await h.t.services.db.prisma.huntRun.findUniqueOrThrow({ where: { id: '00000000-0000-7000-8000-00000000f002' } });
    expect(stale).toMatchObject({ status: 'failed', error: 'abandoned: still running after 180 minutes, so the process that ran it has stopped' });
    expect(stale.finishedAt).not.toBeNull();
    const audit = await h.t.services.db.prisma.auditEvent.findFirst({ where: { action: 'hunt-run.abandon', entityId: stale.id } });
    expect(audit).toMatchObject({ actorName: 'admin2' });
  });

  it('when two starts race in the same tick, then exactly one run starts and the other is a 409', async () => {
    h.la.table = netconnTable(1, 'k5');
    // Held, so the first run cannot have finished before the second start arrives.
    const release = h.la.hold();
    const [a, b] = await Promise.all([startRun(), startRun()]).finally(release);
    await h.t.services.scheduledRuns.runner.idle();
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    const started = a.status === 202 ? a : b;
    expect((a.status === 409 ? a : b).body.runId).toBe(started.body.id);
  });
});
