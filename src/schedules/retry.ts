/** Why a request to a query API failed; `status` is the HTTP status when there was an answer. */
export class SourceError extends Error {
  constructor(message: string, readonly opts: { status?: number; retryAfterMs?: number; transient?: boolean } = {}) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface RetryPolicy {
  /** Requests sent at most, the first included. */
  maxAttempts: number;
  /** The wait before the second attempt when the server names none; doubled for each further attempt. */
  baseDelayMs: number;
  /** The longest wait Quell accepts within one run; a server asking for more ends the run (the next one tries again). */
  maxDelayMs: number;
}

/** Network failures worth another try (no answer came); a timeout or an unknown host is not one of them. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'REQUEST_SEND_ERROR']);
export const isTransientCode = (code: string | undefined) => code !== undefined && TRANSIENT_CODES.has(code);

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 120_000 };

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Throttling (429) and server faults are worth another try; 501 (not implemented) never gets better. */
export function isRetryable(e: unknown): boolean {
  if (!(e instanceof SourceError)) return false;
  const s = e.opts.status;
  if (s === undefined) return e.opts.transient === true;
  return s === 429 || (s >= 500 && s !== 501);
}

/**
 * A Retry-After header (seconds, or an HTTP date) or Azure's retry-after-ms / x-ms-retry-after-ms, in milliseconds.
 * Anything unreadable is no advice at all.
 */
export function retryAfterMs(header: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = header(name)?.trim();
    if (v && /^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v));
  }
  const v = header('retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait before attempt `attempt + 1`: the server's word if it gave one, else exponential backoff. */
export function delayBefore(e: SourceError, attempt: number, policy: RetryPolicy): number {
  return e.opts.retryAfterMs ?? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Calls `fn` until it succeeds, a failure is not worth retrying, or the attempts are spent; the last error is
 * thrown, its message saying how many attempts were made.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy, sleep: Sleep): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!isRetryable(e)) throw e;
      const err = e as SourceError;
      if (attempt >= policy.maxAttempts) throw new SourceError(`gave up after ${attempt} attempts: ${err.message}`, err.opts);
      const wait = delayBefore(err, attempt, policy);
      if (wait > policy.maxDelayMs) {
        throw new SourceError(`${err.message}; the server asked to wait ${Math.ceil(wait / 1000)} s, longer than a run waits `
          + `(${Math.ceil(policy.maxDelayMs / 1000)} s): the next run tries again`, err.opts);
      }
      await sleep(wait);
    }
  }
}
