import { Worker } from 'node:worker_threads';
import { insertSql, type InsertStream, type Params, type Row, type Sql } from './sql.js';
import { bind, CONNECTION_PRAGMAS } from './sqlite.js';

/**
 * A second connection to the SQLite file on a thread of its own (sqlite-thread.mjs): statements sent to it run in
 * order while this thread goes on. A bulk job then computes on this core while its writes are made on the other.
 * Callers send work only while they hold the process's write lock.
 */
export interface SqliteThread {
  call<T>(op: string, payload?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export function openSqliteThread(path: string): SqliteThread {
  const worker = new Worker(new URL('./sqlite-thread.mjs', import.meta.url), { workerData: { path, pragmas: CONNECTION_PRAGMAS } });
  worker.unref(); // an idle thread does not keep the process alive
  const waiting = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  let next = 0;
  let stopped: Error | null = null;
  const stopAll = (e: Error) => {
    stopped ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; value?: unknown; error?: { message: string; code?: string; stack?: string } }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (!m.error) { w?.resolve(m.value); return; }
    // The error as the thread threw it (message and SQLite code), with where it was thrown there, for the log.
    const e = Object.assign(new Error(m.error.message), { code: m.error.code });
    if (m.error.stack) e.stack = `${m.error.stack}\n    (on the SQLite thread)`;
    w?.reject(e);
  });
  worker.on('error', stopAll);
  worker.on('exit', () => stopAll(new Error('the SQLite thread has stopped')));
  return {
    call: <T>(op: string, payload: Record<string, unknown> = {}) => new Promise<T>((resolve, reject) => {
      if (stopped) { reject(stopped); return; }
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...payload, op, id });
    }),
    // Asked to stop after what it was sent, so no transaction is cut off half-way.
    close: () => (stopped ? Promise.resolve() : new Promise<void>((resolve) => { worker.once('exit', () => resolve()); worker.postMessage({ op: 'close' }); })),
  };
}

// Rows of an insert stream travel in batches; a few may be in flight before `write` asks its caller to wait.
const STREAM_BATCH = 1_000;
const STREAM_IN_FLIGHT = 4;

/** The Sql interface over the thread's connection, for the transaction the caller has begun on it. */
export function threadSql(thread: SqliteThread): Sql {
  const call = <T>(op: string, text: string, params: Params = []) => thread.call<T>(op, { text, params: bind(params) });
  return {
    dialect: 'sqlite',
    all: <T = Row>(text: string, params?: Params) => call<T[]>('all', text, params),
    get: <T = Row>(text: string, params?: Params) => call<T | undefined>('get', text, params),
    cells: <T extends unknown[] = unknown[]>(text: string, params?: Params) => call<T[]>('cells', text, params),
    run: (text, params) => call<number>('run', text, params),
    runMany: (text, lists) => thread.call<number>('runMany', { text, lists: lists.map(bind) }),
    insertMany: (table, columns, rows, tail = '') => thread.call<number>('runMany', { text: `${insertSql(table, columns)} ${tail}`, lists: rows.map(bind) }),
    insertStream(table, columns): InsertStream {
      const text = insertSql(table, columns);
      let batch: unknown[][] = [];
      const inFlight: Promise<unknown>[] = [];
      const send = () => {
        if (!batch.length) return;
        // A failed row fails the stream: the thread keeps the error for streamEnd, so this answer never rejects.
        const sent = thread.call('stream', { text, lists: batch });
        sent.catch(() => undefined); // the thread stopped: end() answers it, or the transaction is already failing
        inFlight.push(sent);
        batch = [];
      };
      return {
        write(row) {
          batch.push(bind(row));
          if (batch.length < STREAM_BATCH) return undefined;
          send();
          return inFlight.length > STREAM_IN_FLIGHT ? inFlight.shift()!.then(() => undefined) : undefined;
        },
        async end() {
          send();
          await Promise.all(inFlight.splice(0));
          return thread.call<number>('streamEnd');
        },
      };
    },
  };
}
