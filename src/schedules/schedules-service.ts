import type { Db } from '../db/database.js';
import { isoTime } from '../db/time.js';
import type { Actor } from '../core/actor.js';
import { recordAudit } from '../audit/audit-store.js';
import { AppError, badRequest, notFound } from '../http/errors.js';
import { findHunt } from '../hunts/hunts-store.js';
import type { ConnectionResolver } from './connection-resolver.js';
import * as store from './schedules-store.js';
import { latestRun, listRuns } from './runs-store.js';
import { runView } from './run-view.js';
import type { RunView, ScheduleBody, ScheduleView } from './schemas.js';

type Row = NonNullable<Awaited<ReturnType<typeof store.findSchedule>>>;

function warnings(s: Pick<Row, 'intervalMinutes' | 'lookbackMinutes'>): string[] {
  return s.lookbackMinutes < s.intervalMinutes
    ? [`the lookback (${s.lookbackMinutes} min) is shorter than the interval (${s.intervalMinutes} min): rows between runs are never fetched`]
    : [];
}

const view = (s: Row, last: RunView | null): ScheduleView => ({
  huntId: s.huntId, connectionId: s.connectionId, api: s.api as ScheduleView['api'], intervalMinutes: s.intervalMinutes,
  lookbackMinutes: s.lookbackMinutes, enabled: s.enabled, nextRunAt: isoTime(s.nextRunAt)!, createdAt: isoTime(s.createdAt)!,
  createdBy: s.createdBy, updatedAt: isoTime(s.updatedAt)!, updatedBy: s.updatedBy, warnings: warnings(s), lastRun: last,
});

export function createSchedulesService(db: Db, resolver: ConnectionResolver, now: () => Date = () => new Date()) {
  async function huntOrThrow(huntId: string) {
    if (!(await findHunt(db.prisma, huntId))) throw notFound(`hunt ${huntId}`);
  }

  async function get(huntId: string): Promise<ScheduleView> {
    await huntOrThrow(huntId);
    const s = await store.findSchedule(db.prisma, huntId);
    if (!s) throw notFound(`a schedule for hunt ${huntId}`);
    const last = await latestRun(db.prisma, huntId);
    return view(s, last && runView(last));
  }

  /** Creates or replaces the hunt's schedule; the connection must exist (it is resolved, not only looked up). */
  async function put(actor: Actor, huntId: string, body: ScheduleBody): Promise<{ created: boolean; schedule: ScheduleView }> {
    await huntOrThrow(huntId);
    try {
      await resolver.resolve(body.connectionId);
    } catch (e) {
      if (e instanceof AppError && e.status === 404) throw badRequest(e.message, [{ pointer: '/connectionId', message: e.message }]);
      throw e;
    }
    return db.write(async (tx) => {
      const at = now();
      const before = await store.findSchedule(tx, huntId);
      const last = await latestRun(tx, huntId);
      // A new schedule runs at the next scheduler tick; a changed one keeps its cadence from the last run.
      const nextRunAt = last ? new Date(last.startedAt.getTime() + body.intervalMinutes * 60_000) : at;
      const record = { huntId, connectionId: body.connectionId, api: body.api, intervalMinutes: body.intervalMinutes,
        lookbackMinutes: body.lookbackMinutes, enabled: body.enabled ?? true, nextRunAt };
      const row = before ? await store.updateSchedule(tx, record, actor.name, at) : await store.insertSchedule(tx, record, actor.name, at);
      const lastView = last && runView(last);
      const after = view(row, lastView);
      await recordAudit(tx, { actor, action: before ? 'hunt-schedule.update' : 'hunt-schedule.create', entityType: 'hunt-schedule',
        entityId: huntId, before: before ? { ...view(before, null), lastRun: undefined } : undefined, after: { ...after, lastRun: undefined } });
      return { created: !before, schedule: after };
    });
  }

  /** Deletes the schedule; its runs stay as history, and a run in progress finishes. */
  async function remove(actor: Actor, huntId: string): Promise<ScheduleView> {
    await huntOrThrow(huntId);
    return db.write(async (tx) => {
      const s = await store.findSchedule(tx, huntId);
      if (!s) throw notFound(`a schedule for hunt ${huntId}`);
      await store.deleteSchedule(tx, huntId);
      const last = await latestRun(tx, huntId);
      const v = view(s, last && runView(last));
      await recordAudit(tx, { actor, action: 'hunt-schedule.delete', entityType: 'hunt-schedule', entityId: huntId, before: { ...v, lastRun: undefined } });
      return v;
    });
  }

  async function runs(huntId: string, q: { limit: number; cursor?: string }) {
    await huntOrThrow(huntId);
    const rows = await listRuns(db.prisma, huntId, q.cursor, q.limit);
    const page = rows.slice(0, q.limit);
    return { items: page.map(runView), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
  }

  return { get, put, remove, runs };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;
