import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { CONNECTION, netconnTable, putSchedule, startScheduleHarness, type ScheduleHarness } from '../support/schedule-harness.js';
import { FILESIG, NETCONN } from '../support/rows.js';

describe('the run scheduler: only enabled schedules that are due', () => {
  let h: ScheduleHarness;
  beforeAll(async () => { h = await startScheduleHarness(); });
  afterAll(async () => { await h.close(); });

  const tick = (at: Date) => h.t.services.scheduledRuns.scheduler.tick(at);
  const runsOf = async (huntId: string) => (await request(h.t.app).get(`/api/hunts/${huntId}/runs`).set(h.t.auth('viewer'))).body.items;

  it('when no hunt has a schedule, then a tick starts nothing and sends nothing', async () => {
    expect(await tick(new Date(Date.now() + 365 * 86_400_000))).toEqual([]);
    expect(h.la.requests).toEqual([]);
    expect(h.graph.requests).toEqual([]);
  });

  it('when one schedule is enabled and another disabled, then a tick runs only the enabled one, as the schedule', async () => {
    h.la.table = netconnTable(2, 's1');
    await putSchedule(h.t, NETCONN, { connectionId: CONNECTION, api: 'log-analytics', intervalMinutes: 60, lookbackMinutes: 60 });
    await putSchedule(h.t, FILESIG, { connectionId: CONNECTION, api: 'defender', intervalMinutes: 60, lookbackMinutes: 60, enabled: false });
    const started = await tick(new Date());
    expect(started).toHaveLength(1);
    await h.t.services.scheduledRuns.runner.idle();
    expect(await runsOf(FILESIG)).toEqual([]);
    expect(h.graph.requests).toEqual([]);
    const [run] = await runsOf(NETCONN);
    expect(run).toMatchObject({ id: started[0], trigger: 'schedule', triggeredBy: `schedule:${NETCONN}`, status: 'succeeded', inserted: 2 });
  });

  it('when a schedule has just run, then it is not due again until its interval has passed', async () => {
    const schedule = (await request(h.t.app).get(`/api/hunts/${NETCONN}/schedule`).set(h.t.auth('viewer'))).body;
    const next = Date.parse(schedule.nextRunAt);
    expect(next - Date.parse(schedule.lastRun.startedAt)).toBe(60 * 60_000);
    expect(await tick(new Date(next - 1000))).toEqual([]);
    const started = await tick(new Date(next + 1000));
    expect(started).toHaveLength(1);
    await h.t.services.scheduledRuns.runner.idle();
    expect((await runsOf(NETCONN)).map((r: { id: string }) => r.id).slice(0, 1)).toEqual(started);
  });

  it('when a run now happens between ticks, then the interval counts from it and the scheduler does not run the hunt again early', async () => {
    const run = await request(h.t.app).post(`/api/hunts/${NETCONN}/runs`).query({ wait: true }).set(h.t.auth('admin'));
    expect(run.body.status).toBe('succeeded');
    expect(await tick(new Date(Date.parse(run.body.startedAt) + 59 * 60_000))).toEqual([]);
  });
});
