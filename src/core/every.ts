import type { Logger } from '../logger.js';
import type { Lease } from './lease.js';

/**
 * A background job on a timer: runs once at start, then every `intervalMs`; a failure is logged, never thrown (a
 * timer callback has no caller to report to). The timer does not keep the process alive. With a lease, the job runs
 * only in the process holding it, so several processes on one database run it once between them.
 */
export function every(intervalMs: number, job: () => Promise<unknown>, logger: Logger, what: string, lease?: Lease) {
  let timer: NodeJS.Timeout | undefined;
  const guarded = lease ? async () => { if (await lease.acquire()) await job(); } : job;
  const run = () => { guarded().catch((err) => logger.error({ err }, `${what} failed`)); };
  return {
    start() {
      timer ??= setInterval(run, intervalMs);
      timer.unref();
      run();
    },
    /** Stops the timer and gives the lease up, so another process takes the job at once rather than when it lapses. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await lease?.release().catch((err: unknown) => logger.error({ err }, `${what}: releasing its lease failed`));
    },
  };
}
