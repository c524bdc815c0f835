import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Actor } from '../core/actor.js';
import type { IngestService } from '../hits/ingest-service.js';
import type { IngestResult } from '../hits/schemas.js';
import { uuidv7 } from '../db/ids.js';
import { conflict, notFound } from '../http/errors.js';
import { recordAudit } from '../audit/audit-store.js';
import { findHunt } from '../hunts/hunts-store.js';
import type { ConnectionResolver } from './connection-resolver.js';
import { queryLogAnalytics, type LogAnalyticsOptions } from './log-analytics-source.js';
import { runHuntingQuery, type GraphOptions } from './graph-source.js';
import { isoDuration } from './iso-duration.js';
import { ingestDocument } from './run-ingest.js';
import { DEFAULT_RETRY, realSleep, withRetries, type RetryPolicy, type Sleep } from './retry.js';
import { abandonRun, finishRun, insertRun, runningRuns, type RunOutcome } from './runs-store.js';
import { findSchedule, setNextRunAt } from './schedules-store.js';
import { runView, scheduleActor } from './run-view.js';
import type { RunApi, RunTrigger, RunView } from './schemas.js';

export interface HuntRunnerOptions {
  resolver: ConnectionResolver;
  /** Waits between attempts; tests pass one that records the wait and returns at once. */
  sleep?: Sleep;
  now?: () => Date;
  retry?: Partial<RetryPolicy>;
  logAnalytics?: LogAnalyticsOptions;
  graph?: GraphOptions;
  /** Rows per ingest body (a larger result is ingested in several). */
  ingestChunkRows?: number;
  /** A `running` row no process owns is abandoned after 2 × the interval, but never sooner than this. */
  staleFloorMinutes?: number;
}

interface Begun { row: Parameters<typeof runView>[0]; query: string; lookbackMinutes: number }

const NO_ROWS: IngestResult = { received: 0, inserted: 0, merged: 0, rejected: [], suppressed: 0, flagged: 0, open: 0 };

/**
 * Runs a hunt's query against Sentinel and ingests the result, one run per hunt at a time: an in-process guard
 * (set before the first await, so two concurrent starts cannot both pass) plus the run table, where a `running`
 * row left by a stopped process blocks until it is older than twice the interval and is then marked failed.
 */
export function createHuntRunner(db: Db, ingest: IngestService, logger: Logger, opts: HuntRunnerOptions) {
  const active = new Map<string, { runId: string; done?: Promise<RunView> }>();
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? realSleep;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const staleMs = (intervalMinutes: number) => Math.max(2 * intervalMinutes, opts.staleFloorMinutes ?? 30) * 60_000;

  function begin(actor: Actor, huntId: string, trigger: RunTrigger, runId: string): Promise<Begun> {
    return db.write(async (tx) => {
      const hunt = await findHunt(tx, huntId);
      if (!hunt) throw notFound(`hunt ${huntId}`);
      const schedule = await findSchedule(tx, huntId);
      if (!schedule) throw conflict(`hunt ${huntId} has no schedule: PUT /api/hunts/${huntId}/schedule names its connection and API first`);
      const at = now();
      for (const r of await runningRuns(tx, huntId)) {
        const age = at.getTime() - r.startedAt.getTime();
        const limit = staleMs(schedule.intervalMinutes);
        if (age < limit) {
          throw conflict(`run ${r.id} of hunt ${huntId} has been running since ${r.startedAt.toISOString()} (another Quell process, or one `
            + `that stopped: it is marked failed once ${limit / 60_000} minutes old)`, { runId: r.id });
        }
        const error = `abandoned: still running after ${Math.round(age / 60_000)} minutes, so the process that ran it has stopped`;
        await abandonRun(tx, r.id, at, error);
        await recordAudit(tx, { actor, action: 'hunt-run.abandon', entityType: 'hunt-run', entityId: r.id,
          before: { status: 'running' }, after: { status: 'failed', error } });
      }
      const row = await insertRun(tx, { id: runId, huntId, connectionId: schedule.connectionId, api: schedule.api, trigger,
        triggeredBy: actor.name, timespan: isoDuration(schedule.lookbackMinutes), startedAt: at });
      // The interval counts from this start, whether the scheduler or an admin started it.
      await setNextRunAt(tx, huntId, new Date(at.getTime() + schedule.intervalMinutes * 60_000));
      await recordAudit(tx, { actor, action: 'hunt-run.start', entityType: 'hunt-run', entityId: runId, after: runView(row) });
      return { row, query: hunt.query, lookbackMinutes: schedule.lookbackMinutes };
    });
  }

  async function finish(runId: string, huntId: string, outcome: RunOutcome): Promise<RunView> {
    const view = await db.write(async (tx) => {
      const v = runView(await finishRun(tx, runId, outcome));
      await recordAudit(tx, { actor: scheduleActor(huntId), action: 'hunt-run.finish', entityType: 'hunt-run', entityId: runId, after: v });
      return v;
    });
    logger.info({ runId, huntId, status: view.status, rows: view.rows, inserted: view.inserted, attempts: view.attempts,
      truncated: view.truncated, error: view.error }, 'hunt run finished');
    return view;
  }

  async function execute({ row, query, lookbackMinutes }: Begun): Promise<RunView> {
    let attempts = 0;
    let rows: number | null = null, truncated = false, truncationNote: string | null = null;
    try {
      const conn = await opts.resolver.resolve(row.connectionId);
      const source = await withRetries(() => {
        attempts++;
        return (row.api as RunApi) === 'defender'
          ? runHuntingQuery(conn, query, lookbackMinutes, opts.graph)
          : queryLogAnalytics(conn, query, lookbackMinutes, opts.logAnalytics);
      }, policy, sleep);
      ({ rows, truncated, truncationNote } = source);
      const r = rows ? await ingestDocument(ingest, scheduleActor(row.huntId), row.huntId, source.document, opts.ingestChunkRows ?? 50_000) : NO_ROWS;
      return await finish(row.id, row.huntId, { status: 'succeeded', finishedAt: now(), attempts, rows, inserted: r.inserted, merged: r.merged,
        rejected: r.rejected.length, suppressed: r.suppressed, flagged: r.flagged, open: r.open, truncated, truncationNote, error: null });
    } catch (e) {
      const error = (e as Error)?.message ?? String(e);
      return finish(row.id, row.huntId, { status: 'failed', finishedAt: now(), attempts, rows, inserted: null, merged: null, rejected: null,
        suppressed: null, flagged: null, open: null, truncated, truncationNote, error });
    }
  }

  /**
   * Starts a run of the hunt's scheduled query and answers once it is recorded as running; `done` settles (never
   * rejects) with the finished run. A hunt already running is a 409 naming the run.
   */
  async function start(actor: Actor, huntId: string, trigger: RunTrigger): Promise<{ run: RunView; done: Promise<RunView> }> {
    const busy = active.get(huntId);
    if (busy) throw conflict(`hunt ${huntId} is already running: run ${busy.runId}`, { runId: busy.runId });
    const slot: { runId: string; done?: Promise<RunView> } = { runId: uuidv7() };
    active.set(huntId, slot);
    let begun: Begun;
    try {
      begun = await begin(actor, huntId, trigger, slot.runId);
    } catch (e) {
      active.delete(huntId);
      throw e;
    }
    const done = execute(begun)
      .catch((err: unknown) => {
        // Only recording the outcome can fail here (the database went away): the row stays `running` until stale.
        logger.error({ err, runId: slot.runId, huntId }, 'hunt run could not be recorded');
        return { ...runView(begun.row), status: 'failed' as const, error: (err as Error)?.message ?? String(err) };
      })
      .finally(() => active.delete(huntId));
    slot.done = done;
    return { run: runView(begun.row), done };
  }

  /** Settles when every run this process started has finished (tests; shutdown). */
  const idle = () => Promise.all([...active.values()].map((s) => s.done)).then(() => undefined);

  return { start, idle };
}

export type HuntRunner = ReturnType<typeof createHuntRunner>;
