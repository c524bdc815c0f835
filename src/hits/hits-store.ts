import { marks } from '../db/sql.js';
import type { Sqlite } from '../db/database.js';
import { sqlTime } from '../db/time.js';
import { SORT_COLUMNS, type HitFilter, type HitOrder, type HitSort } from './schemas.js';

/** A hit as stored: JSON columns still text, times in the adapter's ISO form. */
export interface HitRow {
  id: string; huntId: string; key: string; table: string | null; deviceName: string | null; userName: string | null;
  /** Lower-cased canonical process.name, process.parent.name and destination (domain, else ip): the queue sorts by them. */
  processName: string | null; parentName: string | null; destination: string | null;
  raw: string; reportIds: string; firstSeen: string | null; lastSeen: string | null; count: number;
  status: string; matches: string; verdict: string | null; verdictId: string | null; version: number;
  createdAt: string; updatedAt: string;
}

const COLUMNS = ['id', 'huntId', 'key', 'table', 'deviceName', 'userName', 'processName', 'parentName', 'destination', 'raw', 'reportIds', 'firstSeen', 'lastSeen',
  'count', 'status', 'matches', 'verdict', 'verdictId', 'version', 'createdAt', 'updatedAt'] as const;
const quoted = COLUMNS.map((c) => `"${c}"`).join(', ');
const placeholders = marks(COLUMNS.length);

// SQLite allows 32766 bound parameters; stay far below for IN lists.
const CHUNK = 500;

// better-sqlite3 may return bigint when safe integers are on; the store speaks numbers. Rows are fresh objects from
// the driver, so they are fixed in place: re-evaluating a million hits would otherwise copy every row twice.
function normaliseNumbers<T extends HitRow>(r: T): T {
  r.count = Number(r.count);
  r.version = Number(r.version);
  return r;
}

/** Existing hits of one hunt by identity key, in chunks so any batch size works. */
export function findHitsByKeys(sqlite: Sqlite, huntId: string, keys: readonly string[]): Map<string, HitRow> {
  const out = new Map<string, HitRow>();
  const full = sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE "huntId" = ? AND "key" IN (${marks(CHUNK)})`);
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    const stmt = part.length === CHUNK ? full : sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE "huntId" = ? AND "key" IN (${marks(part.length)})`);
    for (const r of stmt.all(huntId, ...part) as HitRow[]) out.set(r.key, normaliseNumbers(r));
  }
  return out;
}

export function findHit(sqlite: Sqlite, id: string): HitRow | undefined {
  const r = sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE "id" = ?`).get(id) as HitRow | undefined;
  return r && normaliseNumbers(r);
}

export function findHitsByIds(sqlite: Sqlite, ids: readonly string[]): HitRow[] {
  const out: HitRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    out.push(...(sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE "id" IN (${marks(part.length)})`).all(...part) as HitRow[]).map(normaliseNumbers));
  }
  return out;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause for a hit filter; the list, bulk verdicts and exports all use it, so they select the same hits. */
function filterSql(f: HitFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [], params: unknown[] = [];
  if (f.huntId) { parts.push('"huntId" = ?'); params.push(f.huntId); }
  if (f.status) { parts.push('"status" = ?'); params.push(f.status); }
  if (f.verdict === 'none') parts.push('"verdict" IS NULL');
  else if (f.verdict) { parts.push('"verdict" = ?'); params.push(f.verdict); }
  if (f.queue) parts.push(`"verdict" IS NULL AND "status" IN ('open', 'flagged')`);
  if (f.ruleId) { parts.push(`"matches" LIKE ? ESCAPE '\\'`); params.push(`%"${escapeLike(f.ruleId)}"%`); }
  if (f.device) {
    const d = f.device.toLowerCase();
    if (d.endsWith('*')) { parts.push(`"deviceName" LIKE ? ESCAPE '\\'`); params.push(`${escapeLike(d.slice(0, -1))}%`); }
    else { parts.push('"deviceName" = ?'); params.push(d); }
  }
  if (f.devicePrefix) { parts.push(`"deviceName" LIKE ? ESCAPE '\\'`); params.push(`${escapeLike(f.devicePrefix.toLowerCase())}%`); }
  if (f.q) { parts.push(`LOWER("raw") LIKE ? ESCAPE '\\'`); params.push(`%${escapeLike(f.q.toLowerCase())}%`); }
  // A hit is in a time range when its first..last seen interval overlaps it. Times are stored in one fixed-width text
  // form (sqlTime), so comparing text compares instants.
  if (f.since) { parts.push('"lastSeen" >= ?'); params.push(sqlTime(f.since)); }
  if (f.until) { parts.push('"firstSeen" <= ?'); params.push(sqlTime(f.until)); }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** At most `limit` hits matching a filter, in no particular order (bulk verdicts). */
export function findHitsByFilter(sqlite: Sqlite, f: HitFilter, limit: number): HitRow[] {
  const w = filterSql(f);
  return (sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE ${w.sql} LIMIT ?`).all(...w.params, limit) as HitRow[]).map(normaliseNumbers);
}

/** Where a page ended: the last hit's sort value (null when it has none) and id, for the sort and order it was read in. */
export interface HitCursor { sort: HitSort; order: HitOrder; value: string | number | null; id: string }

/** The value a hit is sorted by, as stored: what a cursor keeps. */
export function sortValue(r: HitRow, sort: HitSort): string | number | null {
  return r[SORT_COLUMNS[sort]];
}

/**
 * One page of a filter in the given sort, ties broken by id in the same direction; hits without the value come last in
 * either order. `limit + 1` rows are read so the caller knows whether more follow.
 */
export function pageHits(sqlite: Sqlite, f: HitFilter, sort: HitSort, order: HitOrder, cursor: HitCursor | null, limit: number): HitRow[] {
  const w = filterSql(f);
  const params = [...w.params];
  const col = `"${SORT_COLUMNS[sort]}"`;
  const cmp = order === 'desc' ? '<' : '>';
  let where = w.sql;
  if (cursor && cursor.value === null) {
    // Past the last hit with a value: only the valueless ones remain, in id order.
    where += ` AND ${col} IS NULL AND "id" ${cmp} ?`;
    params.push(cursor.id);
  } else if (cursor) {
    where += ` AND (${col} ${cmp} ? OR (${col} = ? AND "id" ${cmp} ?) OR ${col} IS NULL)`;
    params.push(cursor.value, cursor.value, cursor.id);
  }
  // SQLite puts NULLs last in DESC already (and the (lastSeen, id) index serves the default order); ASC needs NULLS LAST.
  const orderBy = order === 'desc' ? `${col} DESC, "id" DESC` : `${col} ASC NULLS LAST, "id" ASC`;
  return (sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE ${where} ORDER BY ${orderBy} LIMIT ?`)
    .all(...params, limit + 1) as HitRow[]).map(normaliseNumbers);
}

/** How many hits a filter matches. */
export function countHitsByFilter(sqlite: Sqlite, f: HitFilter): number {
  const w = filterSql(f);
  return Number((sqlite.prepare(`SELECT COUNT(*) AS n FROM "Hit" WHERE ${w.sql}`).get(...w.params) as { n: number | bigint }).n);
}

/** Hits with a malicious verdict, of these hunts (null: all). */
export function findMaliciousHits(sqlite: Sqlite, huntIds: readonly string[] | null): HitRow[] {
  const where = huntIds ? `AND "huntId" IN (${marks(huntIds.length)})` : '';
  return (sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE "verdict" = 'malicious' ${where}`).all(...(huntIds ?? [])) as HitRow[])
    .map(normaliseNumbers);
}

/** Hit counts by hunt and status. */
export function countHitsByStatus(sqlite: Sqlite, huntId?: string): Map<string, Record<string, number>> {
  const rows = (huntId
    ? sqlite.prepare(`SELECT "huntId", "status", COUNT(*) AS n FROM "Hit" WHERE "huntId" = ? GROUP BY "huntId", "status"`).all(huntId)
    : sqlite.prepare(`SELECT "huntId", "status", COUNT(*) AS n FROM "Hit" GROUP BY "huntId", "status"`).all()) as
    { huntId: string; status: string; n: number | bigint }[];
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const c = out.get(r.huntId) ?? { open: 0, flagged: 0, suppressed: 0 };
    c[r.status] = Number(r.n);
    out.set(r.huntId, c);
  }
  return out;
}

export function hitWriter(sqlite: Sqlite) {
  const upsert = sqlite.prepare(`INSERT INTO "Hit" (${quoted}) VALUES (${placeholders})
    ON CONFLICT ("huntId", "key") DO UPDATE SET "table" = excluded."table", "deviceName" = excluded."deviceName",
      "userName" = excluded."userName", "processName" = excluded."processName", "parentName" = excluded."parentName",
      "destination" = excluded."destination", "raw" = excluded."raw", "reportIds" = excluded."reportIds", "firstSeen" = excluded."firstSeen",
      "lastSeen" = excluded."lastSeen", "count" = excluded."count", "status" = excluded."status", "matches" = excluded."matches",
      "version" = excluded."version", "updatedAt" = excluded."updatedAt"`);
  const insert = sqlite.prepare(`INSERT INTO "Hit" (${quoted}) VALUES (${placeholders})`);
  const evaluation = sqlite.prepare(`UPDATE "Hit" SET "status" = ?, "matches" = ? WHERE "id" = ?`);
  const verdict = sqlite.prepare(`UPDATE "Hit" SET "verdict" = ?, "verdictId" = ?, "version" = ?, "updatedAt" = ? WHERE "id" = ?`);
  return {
    upsert: (h: HitRow) => upsert.run(...COLUMNS.map((c) => h[c])),
    insert: (h: HitRow) => insert.run(h.id, h.huntId, h.key, h.table, h.deviceName, h.userName, h.processName, h.parentName, h.destination, h.raw, h.reportIds, h.firstSeen,
      h.lastSeen, h.count, h.status, h.matches, h.verdict, h.verdictId, h.version, h.createdAt, h.updatedAt),
    setEvaluation: (id: string, status: string, matches: string) => evaluation.run(status, matches, id),
    setVerdict: (id: string, v: { verdict: string; verdictId: string; version: number; at: string }) =>
      verdict.run(v.verdict, v.verdictId, v.version, v.at, id),
  };
}

/** Which stored hits a change can affect; only those are re-evaluated. */
export type Affected =
  | { all: true }
  | { huntIds: readonly string[] }
  | { userNames: readonly string[] }
  | { hitIds: readonly string[] }
  /** Hits whose stored matches mention a rule, list or entry id (expiry, revocation). */
  | { mentioning: readonly string[] }
  /** Hits of these hunts whose raw row contains every one of these values (a new list entry's key). */
  | { huntIds: readonly string[]; rawContains: readonly string[] };

function affectedSql(a: Affected): { sql: string; params: unknown[]; selective: boolean } | null {
  if ('all' in a) return { sql: '1 = 1', params: [], selective: false };
  if ('rawContains' in a) {
    if (!a.huntIds.length) return null;
    // A prefilter only: evaluation decides. JSON-escaped and lower-cased, as the value sits in the stored raw text.
    // SQL LOWER folds ASCII only, so non-ASCII values are left out of the prefilter rather than risk a miss.
    const values = a.rawContains.filter((v) => /^[\x20-\x7e]*$/.test(v));
    const likes = values.map(() => `LOWER("raw") LIKE ? ESCAPE '\\'`);
    return { sql: [`"huntId" IN (${marks(a.huntIds.length)})`, ...likes].join(' AND '), selective: false,
      params: [...a.huntIds, ...values.map((v) => `%${escapeLike(JSON.stringify(v).slice(1, -1).toLowerCase())}%`)] };
  }
  if ('huntIds' in a) return a.huntIds.length ? { sql: `"huntId" IN (${marks(a.huntIds.length)})`, params: [...a.huntIds], selective: false } : null;
  if ('userNames' in a) return a.userNames.length ? { sql: `"userName" IN (${marks(a.userNames.length)})`, params: [...a.userNames], selective: true } : null;
  if ('hitIds' in a) return a.hitIds.length ? { sql: `"id" IN (${marks(a.hitIds.length)})`, params: [...a.hitIds], selective: true } : null;
  // Ids are UUIDs, so a substring match on the JSON text cannot hit anything else.
  return a.mentioning.length
    ? { sql: a.mentioning.map(() => '"matches" LIKE ?').join(' OR '), params: a.mentioning.map((id) => `%"${id}"%`), selective: false }
    : null;
}

/**
 * Streams the affected hits in rowid order, `batchSize` at a time, so re-evaluating a million hits keeps memory flat.
 */
export function* iterateHits(sqlite: Sqlite, affected: Affected, batchSize = 5000): Generator<(HitRow & { rowid: number })[]> {
  for (const page of pageAffected(sqlite, affected, quoted, batchSize)) {
    yield page.map((cells) => {
      const r: Record<string, unknown> = { rowid: Number(cells[0]) };
      for (let i = 0; i < COLUMNS.length; i++) r[COLUMNS[i]!] = cells[i + 1];
      return normaliseNumbers(r as unknown as HitRow & { rowid: number });
    });
  }
}

/** What re-evaluation reads of a hit: enough to derive its fields and compare the outcome, none of what the queue shows. */
export interface HitToEvaluate {
  rowid: number; huntId: string; table: string | null; raw: string; status: string; matches: string; verdict: string | null;
}

/**
 * iterateHits for re-evaluation: the same hits in the same order, with only the columns evaluation reads. Reading
 * every column of a million hits cost as much as evaluating them.
 */
export function* iterateHitsToEvaluate(sqlite: Sqlite, affected: Affected, batchSize = 5000): Generator<HitToEvaluate[]> {
  for (const page of pageAffected(sqlite, affected, '"huntId", "table", "raw", "status", "matches", "verdict"', batchSize)) {
    yield page.map((c) => ({ rowid: Number(c[0]), huntId: c[1] as string, table: c[2] as string | null, raw: c[3] as string,
      status: c[4] as string, matches: c[5] as string, verdict: c[6] as string | null }));
  }
}

/** Stores a re-evaluated outcome by rowid (from iterateHitsToEvaluate, in the same transaction): no id index lookup. */
export function evaluationWriter(sqlite: Sqlite) {
  const stmt = sqlite.prepare(`UPDATE "Hit" SET "status" = ?, "matches" = ? WHERE rowid = ?`);
  return (rowid: number, status: string, matches: string) => { stmt.run(status, matches, rowid); };
}

/**
 * Pages of the affected hits as arrays of cells, rowid first then `columns`: the driver builds an object per row
 * several times slower than an array, and a million rows made that a second of re-evaluation.
 */
function* pageAffected(sqlite: Sqlite, affected: Affected, columns: string, batchSize: number): Generator<unknown[][]> {
  const where = affectedSql(affected);
  if (!where) return;
  let after = 0;
  // Broad filters page through the table in rowid order with indexes off: with an index on huntId the planner
  // would re-read every index entry and sort for each page, which made a million-hit re-evaluation quadratic.
  // Selective filters (a few ids or users) use their index and come back in one page.
  const stmt = sqlite.prepare(`SELECT rowid AS rowid, ${columns} FROM "Hit" ${where.selective ? '' : 'NOT INDEXED'}
    WHERE rowid > ? AND (${where.sql}) ORDER BY rowid LIMIT ?`).raw(true);
  for (;;) {
    const rows = stmt.all(after, ...where.params, batchSize) as unknown[][];
    const last = rows[rows.length - 1];
    if (!last) return;
    yield rows;
    after = Number(last[0]);
  }
}

/** Hit counts by UTC day of lastSeen and status, for lastSeen in [from, to). Stored times are UTC text, so the day is its first 10 characters. */
export function hitCountsByDay(sqlite: Sqlite, from: Date, to: Date): { day: string; status: string; n: number }[] {
  return (sqlite.prepare(`SELECT substr("lastSeen", 1, 10) AS day, "status", COUNT(*) AS n FROM "Hit"
    WHERE "lastSeen" >= ? AND "lastSeen" < ? GROUP BY day, "status"`).all(sqlTime(from), sqlTime(to)) as
    { day: string; status: string; n: number | bigint }[]).map((r) => ({ ...r, n: Number(r.n) }));
}

/**
 * The rules that suppress the most hits now: a suppressed hit counts for every suppress match it holds that a malicious
 * verdict did not override (a hit held by two rules counts for both). Ties go to the lower rule id, so the order is stable.
 */
export function topSuppressingRules(sqlite: Sqlite, limit: number): { ruleId: string; n: number }[] {
  return (sqlite.prepare(`SELECT json_extract(m.value, '$.ruleId') AS ruleId, COUNT(*) AS n FROM "Hit", json_each("Hit"."matches") AS m
    WHERE "Hit"."status" = 'suppressed' AND json_extract(m.value, '$.ruleId') IS NOT NULL
      AND json_extract(m.value, '$.action') = 'suppress' AND json_extract(m.value, '$.overridden') IS NULL
    GROUP BY ruleId ORDER BY n DESC, ruleId LIMIT ?`).all(limit) as { ruleId: string; n: number | bigint }[])
    .map((r) => ({ ruleId: r.ruleId, n: Number(r.n) }));
}

export const QUEUE_AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '>7d'] as const;

/** The open queue (open or flagged, no verdict) by age since the hit was first stored, every bucket present. */
export function queueAgeCounts(sqlite: Sqlite, now: Date): Record<(typeof QUEUE_AGE_BUCKETS)[number], number> {
  const ago = (days: number) => sqlTime(new Date(now.getTime() - days * 86_400_000));
  const rows = sqlite.prepare(`SELECT CASE WHEN "createdAt" > ? THEN '<1d' WHEN "createdAt" > ? THEN '1-3d' WHEN "createdAt" > ? THEN '3-7d'
    ELSE '>7d' END AS bucket, COUNT(*) AS n FROM "Hit" WHERE "verdict" IS NULL AND "status" IN ('open', 'flagged') GROUP BY bucket`)
    .all(ago(1), ago(3), ago(7)) as { bucket: (typeof QUEUE_AGE_BUCKETS)[number]; n: number | bigint }[];
  const out = { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 0 };
  for (const r of rows) out[r.bucket] = Number(r.n);
  return out;
}

/** A hit of a hunt as cells: id, updatedAt, verdict, status, then (when asked for) its table and raw row, else nulls. */
export type HitCells = [id: string, updatedAt: string, verdict: string | null, status: string, table: string | null, raw: string | null];

/**
 * Every hit of a hunt as cells, in rowid order: enough to tell which cached derivations are still current and, with
 * `withSource`, to derive the rest in the same pass. Arrays, not objects: a hunt is read whole, and the driver's
 * per-row objects were a fifth of the time. Through the (huntId, status) index, whose entries run in rowid order
 * per status, so the table is read nearly in order; the (huntId, key) index would visit it at random.
 */
export function hitCellsOfHunt(sqlite: Sqlite, huntId: string, withSource: boolean): IterableIterator<HitCells> {
  const source = withSource ? '"table", "raw"' : 'NULL, NULL';
  return sqlite.prepare(`SELECT "id", "updatedAt", "verdict", "status", ${source} FROM "Hit" INDEXED BY "Hit_huntId_status_idx" WHERE "huntId" = ?`)
    .raw(true).iterate(huntId) as IterableIterator<HitCells>;
}

/** The same cells, with the source, of the given hits. */
export function hitCellsByIds(sqlite: Sqlite, ids: readonly string[]): HitCells[] {
  const out: HitCells[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const rows = sqlite.prepare(`SELECT "id", "updatedAt", "verdict", "status", "table", "raw" FROM "Hit" WHERE "id" IN (${marks(part.length)})`)
      .raw(true).all(...part) as HitCells[];
    for (const r of rows) out.push(r);
  }
  return out;
}
