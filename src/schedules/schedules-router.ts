import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { ScheduledRuns } from './scheduled-runs.js';
import { RunNowQuery, RunPage, RunsQuery, RunView, ScheduleBody, ScheduleView } from './schemas.js';

export function schedulesRouter(deps: ScheduledRuns): Router {
  const r = Router();
  const tag = 'schedules';

  defineRoute(r, { method: 'get', path: '/hunts/:id/schedule', access: 'viewer', tag, response: ScheduleView,
    summary: "The hunt's schedule (connection, API, interval, lookback), its next run and its last run; 404 when it has none" },
  async ({ params }) => ({ body: await deps.schedules.get(params.id!) }));

  defineRoute(r, { method: 'put', path: '/hunts/:id/schedule', access: 'admin', tag, body: ScheduleBody, response: ScheduleView,
    summary: "Create (201) or replace the hunt's schedule: which Sentinel connection and API run its query, how often, how far back" },
  async ({ actor, params, body }) => {
    const { created, schedule } = await deps.schedules.put(actor, params.id!, body);
    return { status: created ? 201 : 200, body: schedule };
  });

  defineRoute(r, { method: 'delete', path: '/hunts/:id/schedule', access: 'admin', tag, response: ScheduleView,
    summary: "Delete the hunt's schedule (its runs stay listed; a run in progress finishes)" },
  async ({ actor, params }) => ({ body: await deps.schedules.remove(actor, params.id!) }));

  defineRoute(r, { method: 'post', path: '/hunts/:id/runs', access: 'admin', tag, query: RunNowQuery, response: RunView,
    summary: "Run the hunt's scheduled query now and ingest the result: 202 with the running run (or 200 when finished, with wait=true); "
      + '409 naming the run when the hunt is already running, or when it has no schedule' },
  async ({ actor, params, query }) => {
    const { run, done } = await deps.runner.start(actor, params.id!, 'manual');
    return query.wait ? { body: await done } : { status: 202, body: run };
  });

  defineRoute(r, { method: 'get', path: '/hunts/:id/runs', access: 'viewer', tag, query: RunsQuery, response: RunPage,
    summary: "The hunt's runs, newest first: status, attempts, rows, what the ingest made of them, truncation, error; keyset pagination" },
  async ({ params, query }) => ({ body: await deps.schedules.runs(params.id!, query) }));
  return r;
}
