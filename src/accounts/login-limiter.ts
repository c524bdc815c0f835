// Failed logins per (username, address): after MAX_FAILURES inside WINDOW_MS the pair is locked out
// until the window passes. Kept in memory: one process serves a team (SPEC §11); a multi-process
// deployment would move this to the shared store.
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private recent(key: string): number[] {
    const since = this.now() - WINDOW_MS;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list); else this.failures.delete(key);
    return list;
  }

  /** Seconds until another attempt is allowed, or 0 when allowed now. */
  retryAfter(key: string): number {
    const list = this.recent(key);
    if (list.length < MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((list[0]! + WINDOW_MS - this.now()) / 1000));
  }

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
