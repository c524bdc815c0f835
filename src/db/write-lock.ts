// One writer at a time. Prisma's interactive transactions and the bulk paths (which use a second,
// synchronous better-sqlite3 connection for speed) share one SQLite file; if a bulk write blocked the
// event loop while a Prisma transaction held the lock, neither could finish. Serialising writers in
// the process removes that deadlock; SQLite's own busy timeout covers other processes.
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
