import BetterSqlite3 from 'better-sqlite3';
import { insertSql, type Params, type Row, type Sql } from './sql.js';

export type Sqlite = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** The settings every Quell connection uses (the SQLite thread's too: sqlite-thread.ts hands it these). */
export const CONNECTION_PRAGMAS = [
  'journal_mode = WAL',
  // WAL with synchronous=NORMAL cannot corrupt the database; a power cut may lose the last commits only.
  'synchronous = NORMAL',
  'busy_timeout = 5000',
  // SQLite's default page cache is 2 MB; a 100,000-row ingest touches far more index pages than that.
  'cache_size = -65536',
  'foreign_keys = ON',
] as const;

/** Opens one connection to a SQLite file with the settings every Quell connection uses. */
export function openSqliteConnection(path: string): Sqlite {
  const sqlite = new BetterSqlite3(path);
  for (const p of CONNECTION_PRAGMAS) sqlite.pragma(p);
  return sqlite;
}

// better-sqlite3 binds numbers, strings, bigints, buffers and null; the stores also pass booleans and Dates.
export function bind(params: Params): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (typeof v === 'boolean' || v instanceof Date || v === undefined) {
      out ??= [...params];
      out[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? v.toISOString().replace('Z', '+00:00') : null;
    }
  }
  return out ?? (params as unknown[]);
}

/**
 * The Sql interface over one better-sqlite3 connection. Every call runs synchronously and answers a settled promise,
 * so a transaction's statements run back to back: nothing else of the process runs between them unless the caller
 * awaits something that is not this connection. Statements are prepared once per text (compiling is most of a
 * small statement's cost); texts with a varying number of placeholders are bounded by the cache's size.
 */
export function sqliteSql(sqlite: Sqlite): Sql {
  const cache = new Map<string, Statement>();
  const prepare = (text: string): Statement => {
    let s = cache.get(text);
    if (!s) {
      if (cache.size >= 1_000) cache.clear();
      s = sqlite.prepare(text);
      cache.set(text, s);
    }
    return s;
  };
  const rowsOf = (text: string, params: Params, raw: boolean) => {
    const s = prepare(text);
    return (s.reader ? s.raw(raw).all(...bind(params)) : (s.run(...bind(params)), []));
  };
  return {
    dialect: 'sqlite',
    // async: a failing statement is a rejected promise, as on PostgreSQL, never a throw at the call.
    all: async <T = Row>(text: string, params: Params = []) => rowsOf(text, params, false) as T[],
    get: async <T = Row>(text: string, params: Params = []) => prepare(text).raw(false).get(...bind(params)) as T | undefined,
    cells: async <T extends unknown[] = unknown[]>(text: string, params: Params = []) => rowsOf(text, params, true) as T[],
    run: async (text: string, params: Params = []) => prepare(text).run(...bind(params)).changes,
    async runMany(text, paramLists) {
      const s = prepare(text);
      let n = 0;
      for (const p of paramLists) n += s.run(...bind(p)).changes;
      return n;
    },
    insertStream(table, columns) {
      const s = prepare(insertSql(table, columns));
      let n = 0;
      return { write(row) { n += s.run(...bind(row)).changes; return undefined; }, end: async () => n };
    },
    async insertMany(table, columns, rows, tail = '') {
      const s = prepare(`${insertSql(table, columns)} ${tail}`);
      let n = 0;
      for (const r of rows) n += s.run(...bind(r)).changes;
      return n;
    },
  };
}
