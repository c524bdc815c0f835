import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteName, type InsertStream, type Params, type Row, type Sql } from './sql.js';

/** The pool or one checked-out client: what a statement is sent to. */
type Queryable = pg.Pool | pg.PoolClient;

// Rows are read back as SQLite gives them, so a store's code does not depend on the database (see sql.ts): a
// `timestamp(3)` as the ISO text with `+00:00` that Quell writes to SQLite, booleans as 0/1, 64-bit counts and
// numerics as numbers. Quell keeps every time in UTC; a timestamp column has no zone, so none is applied here.
function isoFromTimestamp(text: string): string {
  // 'YYYY-MM-DD HH:MM:SS' with an optional fraction of up to 6 digits (DateStyle ISO, the server's default).
  const dot = text.indexOf('.', 19);
  const fraction = dot < 0 ? '000' : text.slice(dot + 1, dot + 4).padEnd(3, '0');
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}+00:00`;
}
const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    switch (oid) {
      case 1114: return isoFromTimestamp; // timestamp
      case 1184: return (t: string) => new Date(t).toISOString().replace('Z', '+00:00'); // timestamptz
      case 16: return (t: string) => (t === 't' ? 1 : 0); // boolean
      case 20: case 1700: return Number; // int8 (COUNT), numeric (SUM)
      default: return pg.types.getTypeParser(oid, 'text');
    }
  },
} as pg.CustomTypesConfig;

interface PostgresPoolOptions { max?: number; onIdleError?: (error: Error) => void }

/** A pool whose connections read rows as described above. `connectionString` is a postgres:// URL. */
export function openPostgresPool(connectionString: string, opts: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types: TYPES });
  // An idle connection that dies (the server restarts, an admin terminates it, the database is dropped) is an 'error'
  // event of the pool; without a listener Node throws it and the process ends. pg has already dropped the connection
  // and the next query opens another, so it is only worth a log line.
  pool.on('error', opts.onIdleError ?? (() => undefined));
  return pool;
}

// `?` placeholders become `$1, $2, …`; a `?` inside a quoted string or name is left alone. Texts repeat, so each is
// translated once.
const translated = new Map<string, string>();
export function numberPlaceholders(text: string): string {
  let out = translated.get(text);
  if (out !== undefined) return out;
  let n = 0, quote: string | null = null;
  out = '';
  for (const ch of text) {
    if (quote) { if (ch === quote) quote = null; out += ch; continue; }
    if (ch === "'" || ch === '"') { quote = ch; out += ch; continue; }
    out += ch === '?' ? `$${++n}` : ch;
  }
  if (translated.size >= 2_000) translated.clear();
  translated.set(text, out);
  return out;
}

// node-postgres turns a Date into local time with an offset, which a `timestamp` column would then read without its
// offset: every Date is sent as UTC ISO text instead. Booleans and numbers go as they are (a boolean column reads
// 0/1 and true/false alike).
function bind(params: Params): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (v instanceof Date || v === undefined) {
      out ??= [...params];
      out[i] = v instanceof Date ? v.toISOString() : null;
    }
  }
  return out ?? (params as unknown[]);
}

// PostgreSQL takes at most 65,535 parameters a statement; rows per INSERT stay well below.
const MAX_PARAMS = 30_000, MAX_ROWS = 2_000;

// COPY's text format: one line per row, tab between cells, \N for NULL, and backslash, tab, newline and carriage return
// escaped. Every value is sent as text, as a bound parameter is.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function copyCell(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
}

/** One row as a line of COPY's text format. */
export const copyLine = (row: readonly unknown[]) => `${row.map(copyCell).join('\t')}\n`;

const COPY_CHUNK = 256 * 1024;

/**
 * One COPY FROM STDIN fed row by row: lines are gathered into chunks of 256 KB and written to the connection as they
 * fill, so the server stores rows while this process makes the next ones. A write answers a promise when the socket
 * is full (wait for it), and a failure of the COPY is thrown by the next write or by end.
 */
function copyStream(client: pg.PoolClient, table: string, columns: readonly string[]): InsertStream {
  const stream = client.query(copyFrom(`COPY ${quoteName(table)} (${columns.map(quoteName).join(', ')}) FROM STDIN`));
  let failure: Error | null = null;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (e: Error) => { failure = e; reject(e); });
  });
  done.catch(() => undefined); // thrown by write or end
  let chunk = '', n = 0;
  const send = (): Promise<void> | undefined => {
    const ok = stream.write(chunk);
    chunk = '';
    return ok ? undefined : new Promise<void>((resolve, reject) => {
      stream.once('drain', resolve);
      done.catch(reject);
    });
  };
  return {
    write(row) {
      if (failure) throw failure;
      chunk += copyLine(row);
      n++;
      return chunk.length >= COPY_CHUNK ? send() : undefined;
    },
    async end() {
      if (failure) throw failure;
      if (chunk) await send();
      stream.end();
      await done;
      return n;
    },
  };
}

/** Plain inserts go through COPY FROM STDIN: several times faster than multi-row INSERTs, whose parameters cost most. */
async function copyRows(target: Queryable, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number> {
  const client = target instanceof pg.Pool ? await target.connect() : target;
  try {
    const stream = copyStream(client, table, columns);
    for (const r of rows) {
      const wait = stream.write(r);
      if (wait) await wait;
    }
    return await stream.end();
  } finally {
    if (client !== target) (client as pg.PoolClient).release();
  }
}

/** The Sql interface over a pool (each statement on any free connection) or one client (a transaction). */
export function postgresSql(target: Queryable): Sql {
  const query = (text: string, params: Params, rowMode?: 'array') =>
    target.query({ text: numberPlaceholders(text), values: bind(params), ...(rowMode ? { rowMode } : {}) });
  return {
    dialect: 'postgres',
    all: async <T = Row>(text: string, params: Params = []) => (await query(text, params)).rows as T[],
    get: async <T = Row>(text: string, params: Params = []) => (await query(text, params)).rows[0] as T | undefined,
    cells: async <T extends unknown[] = unknown[]>(text: string, params: Params = []) => (await query(text, params, 'array')).rows as T[],
    run: async (text: string, params: Params = []) => (await query(text, params)).rowCount ?? 0,
    async runMany(text, paramLists) {
      let n = 0;
      for (const p of paramLists) n += (await query(text, p)).rowCount ?? 0;
      return n;
    },
    // A COPY holds its connection until it ends: only ever on a transaction's client (db.sql refuses it).
    insertStream: (table, columns) => copyStream(target as pg.PoolClient, table, columns),
    async insertMany(table, columns, rows, tail = '') {
      if (!rows.length) return 0;
      if (!tail) return copyRows(target, table, columns, rows);
      const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
      const head = `INSERT INTO ${quoteName(table)} (${columns.map(quoteName).join(', ')}) VALUES `;
      let n = 0;
      for (let i = 0; i < rows.length; i += per) {
        const part = rows.slice(i, i + per);
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (const r of part) {
          const start = values.length;
          tuples.push(`(${r.map((_, k) => `$${start + k + 1}`).join(', ')})`);
          for (const v of r) values.push(v);
        }
        const res = await target.query({ text: `${head}${tuples.join(', ')} ${tail}`, values: bind(values) });
        n += res.rowCount ?? 0;
      }
      return n;
    },
  };
}
