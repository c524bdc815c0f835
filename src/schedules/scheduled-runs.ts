import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { IngestService } from '../hits/ingest-service.js';
import { unconfiguredResolver } from './connection-resolver.js';
import { createHuntRunner, type HuntRunnerOptions } from './hunt-runner.js';
import { createRunScheduler } from './run-scheduler.js';
import { createSchedulesService } from './schedules-service.js';

export type ScheduledRunsOptions = Partial<HuntRunnerOptions>;

/** Schedules, the runner and the scheduler's timer, sharing one connection resolver. */
export function createScheduledRuns(db: Db, ingest: IngestService, logger: Logger, opts: ScheduledRunsOptions = {}) {
  const resolver = opts.resolver ?? unconfiguredResolver;
  const runner = createHuntRunner(db, ingest, logger, { ...opts, resolver });
  return {
    schedules: createSchedulesService(db, resolver, opts.now),
    runner,
    scheduler: createRunScheduler(db, runner, logger),
  };
}

export type ScheduledRuns = ReturnType<typeof createScheduledRuns>;
