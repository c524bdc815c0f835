import type { Logger } from '../logger.js';

/**
 * A background job on a timer: runs once at start, then every `intervalMs`; a failure is logged, never thrown (a
 * timer callback has no caller to report to). The timer does not keep the process alive.
 */
export function every(intervalMs: number, job: () => Promise<unknown>, logger: Logger, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const run = () => { job().catch((err) => logger.error({ err }, `${what} failed`)); };
  return {
    start() {
      timer ??= setInterval(run, intervalMs);
      timer.unref();
      run();
    },
    stop() { if (timer) clearInterval(timer); timer = undefined; },
  };
}
