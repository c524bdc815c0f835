// The stores' hand-written SQL runs on SQLite and on PostgreSQL through this one interface. Statements are written
// once, with `?` placeholders and double-quoted names as Prisma creates them; the PostgreSQL driver numbers the
// placeholders. Rows come back alike from both: times as the ISO text SQLite stores (sqlTime), booleans as 0/1,
// counts as numbers. What the two databases spell differently is asked of `dialect` through the helpers below.

export type Dialect = 'sqlite' | 'postgres';
export type Params = readonly unknown[];
export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: Dialect;
  /** Every row, as objects. */
  all<T = Row>(text: string, params?: Params): Promise<T[]>;
  /** The first row, if any. */
  get<T = Row>(text: string, params?: Params): Promise<T | undefined>;
  /** Every row as an array of cells in select order: cheaper than objects when a read returns many rows. */
  cells<T extends unknown[] = unknown[]>(text: string, params?: Params): Promise<T[]>;
  /** A statement that returns no rows; answers how many rows it changed. */
  run(text: string, params?: Params): Promise<number>;
  /** The same statement once per parameter list, in order (SQLite: one prepared statement; PostgreSQL: one round trip each). */
  runMany(text: string, paramLists: readonly Params[]): Promise<number>;
  /**
   * Many rows of the same columns in as few round trips as the database allows (SQLite: one prepared statement per
   * row, which is its fastest path; PostgreSQL: COPY FROM STDIN, or multi-row INSERTs when there is a `tail`). `tail`
   * follows the VALUES verbatim (ON CONFLICT …). Answers how many rows were written.
   */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], tail?: string): Promise<number>;
  /**
   * Rows of the same columns written as they are made, for a bulk path that produces many (SQLite: a prepared
   * statement per row, at once; PostgreSQL: one COPY FROM STDIN for them all, which holds the connection until `end`).
   * `write` answers a promise only when the caller must wait for the database to catch up. `end` answers the rows written.
   */
  insertStream(table: string, columns: readonly string[]): InsertStream;
}

export interface InsertStream { write(row: readonly unknown[]): Promise<void> | undefined; end(): Promise<number> }

/** `?, ?, ?` for an IN list or a VALUES row of n parameters. */
export const marks = (n: number) => Array(n).fill('?').join(', ');

export const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `INSERT INTO "T" ("a", "b") VALUES (?, ?)` for these columns, in this order. */
export const insertSql = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${quoteName(table)} (${columns.map(quoteName).join(', ')}) VALUES (${marks(columns.length)})`;

// Either database accepts this many bound parameters in one statement (SQLite 32,766; PostgreSQL 65,535); IN lists
// are cut into chunks well below it.
const IN_CHUNK = 500;

/** Runs `read` over `ids` in chunks of IN_CHUNK, for `WHERE x IN (…)` reads of any size. */
export async function inChunks<T>(ids: readonly string[], read: (part: readonly string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) for (const r of await read(ids.slice(i, i + IN_CHUNK))) out.push(r);
  return out;
}

/** The UTC day (YYYY-MM-DD) of a time column. */
export const dayOf = (sql: Sql, column: string) =>
  sql.dialect === 'sqlite' ? `substr(${column}, 1, 10)` : `to_char(${column}, 'YYYY-MM-DD')`;

/**
 * The column a table's rows are paged and addressed by when scanning all of them: SQLite's rowid (the table's own
 * order, so a scan needs no index), PostgreSQL's primary key (it has no stable row address). Tables using it have a
 * text id primary key.
 */
export const scanKey = (sql: Sql) => (sql.dialect === 'sqlite' ? 'rowid' : '"id"');
