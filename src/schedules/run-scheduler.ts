import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { AppError } from '../http/errors.js';
import type { HuntRunner } from './hunt-runner.js';
import { scheduleActor } from './run-view.js';
import { dueScheduleHuntIds } from './schedules-store.js';
import { every } from '../core/every.js';
import { createLease } from '../core/lease.js';

const TICK_MS = 60_000;

/**
 * Every minute, starts a run for each enabled schedule that is due (intervals are 5 minutes or more, so a minute's
 * lateness is within what a schedule promises). A hunt still running is skipped and tried at the next tick.
 */
export function createRunScheduler(db: Db, runner: HuntRunner, logger: Logger) {
  let ticking = false;

  /** Starts the due runs; answers the ids of the runs started (their work goes on in the background). */
  async function tick(now: Date = new Date()): Promise<string[]> {
    if (ticking) return [];
    ticking = true;
    try {
      const started: string[] = [];
      for (const huntId of await dueScheduleHuntIds(db.prisma, now)) {
        try {
          started.push((await runner.start(scheduleActor(huntId), huntId, 'schedule')).run.id);
        } catch (err) {
          if (err instanceof AppError && err.status === 409) logger.info({ huntId, reason: err.message }, 'scheduled run skipped');
          else logger.error({ err, huntId }, 'scheduled run could not start');
        }
      }
      return started;
    } finally {
      ticking = false;
    }
  }

  // One scheduler among several processes (issue #13); a killed holder's lease lapses after three ticks.
  return { tick, ...every(TICK_MS, () => tick(), logger, 'run scheduler tick', createLease(db, 'run-scheduler', 3 * TICK_MS)) };
}

export type RunScheduler = ReturnType<typeof createRunScheduler>;
