import type { BackgroundWriter } from '../db/database.js';
import { dayOf, inChunks, marks, scanKey, type Sql } from '../db/sql.js';
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

// better-sqlite3 may return bigint when safe integers are on; the store speaks numbers. Rows are fresh objects from
// the driver, so they are fixed in place.
function normaliseNumbers<T extends HitRow>(r: T): T {
  r.count = Number(r.count);
  r.version = Number(r.version);
  return r;
}

/** Existing hits of one hunt by identity key, in chunks so any batch size works. */
export async function findHitsByKeys(sql: Sql, huntId: string, keys: readonly string[]): Promise<Map<string, HitRow>> {
  const out = new Map<string, HitRow>();
  if (sql.dialect === 'postgres') {
    // One array parameter instead of a placeholder per key: a round trip per 10,000 keys rather than per 500.
    for (let i = 0; i < keys.length; i += 10_000) {
      const rows = await sql.all<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE "huntId" = ? AND "key" = ANY(?::text[])`, [huntId, keys.slice(i, i + 10_000)]);
      for (const r of rows) out.set(r.key, normaliseNumbers(r));
    }
    return out;
  }
  const rows = await inChunks(keys, (part) => sql.all<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE "huntId" = ? AND "key" IN (${marks(part.length)})`, [huntId, ...part]));
  for (const r of rows) out.set(r.key, normaliseNumbers(r));
  return out;
}

export async function findHit(sql: Sql, id: string): Promise<HitRow | undefined> {
  const r = await sql.get<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE "id" = ?`, [id]);
  return r && normaliseNumbers(r);
}

export async function findHitsByIds(sql: Sql, ids: readonly string[]): Promise<HitRow[]> {
  return (await inChunks(ids, (part) => sql.all<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE "id" IN (${marks(part.length)})`, part))).map(normaliseNumbers);
}

/**
 * A value as the queue's sort and filter columns hold it: lower case, without NUL (PostgreSQL text cannot hold one)
 * and at most 256 characters (an index entry must stay small; no device, user or process name is longer). The raw
 * row keeps the value as it came.
 */
export function sortText(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.length > 256 ? v.slice(0, 256) : v;
  return (s.includes('\0') ? s.replace(/\0/g, '') : s).toLowerCase();
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
    const d = sortText(f.device)!;
    if (d.endsWith('*')) { parts.push(`"deviceName" LIKE ? ESCAPE '\\'`); params.push(`${escapeLike(d.slice(0, -1))}%`); }
    else { parts.push('"deviceName" = ?'); params.push(d); }
  }
  if (f.devicePrefix) { parts.push(`"deviceName" LIKE ? ESCAPE '\\'`); params.push(`${escapeLike(sortText(f.devicePrefix)!)}%`); }
  if (f.q) { parts.push(`LOWER("raw") LIKE ? ESCAPE '\\'`); params.push(`%${escapeLike(f.q.toLowerCase())}%`); }
  // A hit is in a time range when its first..last seen interval overlaps it. Times are stored in one fixed-width text
  // form (sqlTime), so comparing text compares instants.
  if (f.since) { parts.push('"lastSeen" >= ?'); params.push(sqlTime(f.since)); }
  if (f.until) { parts.push('"firstSeen" <= ?'); params.push(sqlTime(f.until)); }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** At most `limit` hits matching a filter, in no particular order (bulk verdicts). */
export async function findHitsByFilter(sql: Sql, f: HitFilter, limit: number): Promise<HitRow[]> {
  const w = filterSql(f);
  return (await sql.all<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE ${w.sql} LIMIT ?`, [...w.params, limit])).map(normaliseNumbers);
}

/** Where a page ended: the last hit's sort value (null when it has none) and id, for the sort and order it was read in. */
export interface HitCursor { sort: HitSort; order: HitOrder; value: string | number | null; id: string }

/** The value a hit is sorted by, as stored: what a cursor keeps. */
export function sortValue(r: HitRow, sort: HitSort): string | number | null {
  return r[SORT_COLUMNS[sort]];
}

/**
 * One page of a filter in the given sort, ties broken by id in the same direction; hits without the value come last in
 * either order. `limit + 1` rows are read so the caller knows whether more follow. Hits with a value and hits without
 * are read apart (the second read only when the first runs out): each is then plain index order on either database,
 * where one ORDER BY … NULLS LAST against the index's own null placement made PostgreSQL sort the whole filter.
 */
export async function pageHits(sql: Sql, f: HitFilter, sort: HitSort, order: HitOrder, cursor: HitCursor | null, limit: number): Promise<HitRow[]> {
  const w = filterSql(f);
  const col = `"${SORT_COLUMNS[sort]}"`;
  const cmp = order === 'desc' ? '<' : '>';
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  const rows: HitRow[] = [];
  if (!cursor || cursor.value !== null) {
    const keyset = cursor ? ` AND (${col} ${cmp} ? OR (${col} = ? AND "id" ${cmp} ?))` : '';
    const params = cursor ? [...w.params, cursor.value, cursor.value, cursor.id] : [...w.params];
    rows.push(...await sql.all<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE ${w.sql} AND ${col} IS NOT NULL${keyset}
      ORDER BY ${col} ${dir}, "id" ${dir} LIMIT ?`, [...params, limit + 1]));
  }
  if (rows.length <= limit) {
    // Past the last hit with a value: the valueless ones, in id order.
    const after = cursor && cursor.value === null ? ` AND "id" ${cmp} ?` : '';
    rows.push(...await sql.all<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE ${w.sql} AND ${col} IS NULL${after} ORDER BY "id" ${dir} LIMIT ?`,
      [...w.params, ...(after ? [cursor!.id] : []), limit + 1 - rows.length]));
  }
  return rows.map(normaliseNumbers);
}

/** How many hits a filter matches. */
export async function countHitsByFilter(sql: Sql, f: HitFilter): Promise<number> {
  const w = filterSql(f);
  return Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Hit" WHERE ${w.sql}`, w.params))!.n);
}

/** Hits with a malicious verdict, of these hunts (null: all). */
export async function findMaliciousHits(sql: Sql, huntIds: readonly string[] | null): Promise<HitRow[]> {
  if (huntIds && !huntIds.length) return [];
  const where = huntIds ? `AND "huntId" IN (${marks(huntIds.length)})` : '';
  return (await sql.all<HitRow>(`SELECT ${quoted} FROM "Hit" WHERE "verdict" = 'malicious' ${where}`, huntIds ?? [])).map(normaliseNumbers);
}

/** Hit counts by hunt and status. */
export async function countHitsByStatus(sql: Sql, huntId?: string): Promise<Map<string, Record<string, number>>> {
  const rows = await sql.all<{ huntId: string; status: string; n: number }>(huntId
    ? `SELECT "huntId", "status", COUNT(*) AS n FROM "Hit" WHERE "huntId" = ? GROUP BY "huntId", "status"`
    : `SELECT "huntId", "status", COUNT(*) AS n FROM "Hit" GROUP BY "huntId", "status"`, huntId ? [huntId] : []);
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const c = out.get(r.huntId) ?? { open: 0, flagged: 0, suppressed: 0 };
    c[r.status] = Number(r.n);
    out.set(r.huntId, c);
  }
  return out;
}

const UPSERT = `ON CONFLICT ("huntId", "key") DO UPDATE SET "table" = excluded."table", "deviceName" = excluded."deviceName",
  "userName" = excluded."userName", "processName" = excluded."processName", "parentName" = excluded."parentName",
  "destination" = excluded."destination", "raw" = excluded."raw", "reportIds" = excluded."reportIds", "firstSeen" = excluded."firstSeen",
  "lastSeen" = excluded."lastSeen", "count" = excluded."count", "status" = excluded."status", "matches" = excluded."matches",
  "version" = excluded."version", "updatedAt" = excluded."updatedAt"`;

const cellsOf = (h: HitRow) => [h.id, h.huntId, h.key, h.table, h.deviceName, h.userName, h.processName, h.parentName, h.destination, h.raw,
  h.reportIds, h.firstSeen, h.lastSeen, h.count, h.status, h.matches, h.verdict, h.verdictId, h.version, h.createdAt, h.updatedAt];

/**
 * Writes hits in the caller's transaction. New hits are streamed as they are made (`insert` answers a promise only when
 * the database must catch up: await it); merged ones are collected and written by `end`, after the last new one (on
 * PostgreSQL the stream is a COPY, which holds the connection until it ends).
 */
export function hitWriter(sql: Sql) {
  const inserts = sql.insertStream('Hit', COLUMNS);
  const upserts: unknown[][] = [];
  return {
    insert: (h: HitRow) => inserts.write(cellsOf(h)),
    upsert(h: HitRow) { upserts.push(cellsOf(h)); },
    async end() {
      await inserts.end();
      if (upserts.length) await sql.insertMany('Hit', COLUMNS, upserts, UPSERT);
    },
  };
}

export async function setHitVerdict(sql: Sql, id: string, v: { verdict: string; verdictId: string; version: number; at: string }): Promise<void> {
  await sql.run(`UPDATE "Hit" SET "verdict" = ?, "verdictId" = ?, "version" = ?, "updatedAt" = ? WHERE "id" = ?`, [v.verdict, v.verdictId, v.version, v.at, id]);
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
  | { huntIds: readonly string[]; rawContains: readonly string[] }
  /** Hits at these scan positions, as hitsToEvaluate gave them. */
  | { at: readonly (number | string)[] };

function affectedSql(a: Affected, key: string): { sql: string; params: unknown[]; selective: boolean } | null {
  if ('all' in a) return { sql: '1 = 1', params: [], selective: false };
  if ('at' in a) return a.at.length ? { sql: `${key} IN (${marks(a.at.length)})`, params: [...a.at], selective: true } : null;
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
 * Streams the affected hits in scan order (scanKey), `batchSize` at a time, so re-evaluating a million hits keeps
 * memory flat.
 */
export async function* iterateHits(sql: Sql, affected: Affected, batchSize = 5000): AsyncGenerator<HitRow[]> {
  for await (const page of pageAffected(sql, affected, quoted, batchSize)) {
    yield page.map((cells) => {
      const r: Record<string, unknown> = {};
      for (let i = 0; i < COLUMNS.length; i++) r[COLUMNS[i]!] = cells[i + 1];
      return normaliseNumbers(r as unknown as HitRow);
    });
  }
}

/** What re-evaluation reads of a hit: enough to derive its fields and compare the outcome, none of what the queue shows. */
export interface HitToEvaluate {
  /** Where the hit is, for writing its outcome back (scanKey: a rowid on SQLite, the id on PostgreSQL). */
  at: number | string; huntId: string; table: string | null; raw: string; status: string; matches: string; verdict: string | null;
  /** Bumped by every merge and verdict: a guarded write of the outcome (writeEvaluationsIfUnchanged) checks it. */
  version: number;
}

/**
 * One page of the affected hits for re-evaluation, after scan position `after` (null: from the start), with only the
 * columns evaluation reads: reading every column of a million hits cost as much as evaluating them.
 */
export async function hitsToEvaluate(sql: Sql, affected: Affected, after: number | string | null, batchSize = 5000): Promise<HitToEvaluate[]> {
  const page = await pageOfAffected(sql, affected, '"huntId", "table", "raw", "status", "matches", "verdict", "version"', after, batchSize);
  return page.map((c) => ({ at: c[0] as number | string, huntId: c[1] as string, table: c[2] as string | null, raw: c[3] as string,
    status: c[4] as string, matches: c[5] as string, verdict: c[6] as string | null, version: Number(c[7]) }));
}

/** Stores re-evaluated outcomes, addressed as hitsToEvaluate gave them (in the same transaction). */
export async function writeEvaluations(sql: Sql, outcomes: readonly (readonly [at: number | string, status: string, matches: string, ...read: unknown[]])[]): Promise<void> {
  if (!outcomes.length) return;
  if (sql.dialect === 'sqlite') {
    // By rowid: no index lookup per hit.
    await sql.runMany(`UPDATE "Hit" SET "status" = ?, "matches" = ? WHERE rowid = ?`, outcomes.map(([at, status, matches]) => [status, matches, at]));
    return;
  }
  // One statement per thousand hits instead of a round trip per hit.
  for (let i = 0; i < outcomes.length; i += 1000) {
    const part = outcomes.slice(i, i + 1000);
    await sql.run(`UPDATE "Hit" AS h SET "status" = v.s, "matches" = v.m FROM (VALUES ${part.map(() => '(?, ?, ?)').join(', ')}) AS v(k, s, m)
      WHERE h."id" = v.k`, part.flatMap(([at, status, matches]) => [at, status, matches]));
  }
}

/** An outcome to store only if the hit is still as it was read: its scan key, new status and matches, and what was read. */
export type GuardedOutcome = readonly [at: number | string, status: string, matches: string, read: HitToEvaluate];

/**
 * Stores outcomes through a background writer (SQLite), each only if its hit has not changed since it was read (by a
 * merge or verdict, which bump its version, or by another re-evaluation): answers the scan keys of those left alone.
 */
export async function writeEvaluationsIfUnchanged(writer: BackgroundWriter, outcomes: readonly GuardedOutcome[]): Promise<(number | string)[]> {
  if (!outcomes.length) return [];
  const unchanged = await writer.run(`UPDATE "Hit" SET "status" = ?, "matches" = ? WHERE rowid = ? AND "version" = ? AND "status" = ? AND "matches" = ?`,
    outcomes.map(([at, status, matches, read]) => [status, matches, at, read.version, read.status, read.matches]));
  return unchanged.map((i) => outcomes[i]![0]);
}

/**
 * Pages of the affected hits as arrays of cells, the scan key first then `columns`: the driver builds an object per
 * row several times slower than an array, and a million rows made that a second of re-evaluation.
 */
async function* pageAffected(sql: Sql, affected: Affected, columns: string, batchSize: number): AsyncGenerator<unknown[][]> {
  let after: number | string | null = null;
  for (;;) {
    const rows = await pageOfAffected(sql, affected, columns, after, batchSize);
    const last = rows[rows.length - 1];
    if (!last) return;
    yield rows;
    after = last[0] as number | string;
  }
}

async function pageOfAffected(sql: Sql, affected: Affected, columns: string, after: number | string | null, batchSize: number): Promise<unknown[][]> {
  const key = scanKey(sql);
  const where = affectedSql(affected, key);
  if (!where) return [];
  // SQLite: broad filters page through the table in rowid order with indexes off: with an index on huntId the
  // planner would re-read every index entry and sort for each page, which made a million-hit re-evaluation
  // quadratic. Selective filters (a few ids or users) use their index and come back in one page.
  const hint = sql.dialect === 'sqlite' && !where.selective ? 'NOT INDEXED' : '';
  const from = after === null ? '' : `${key} > ? AND `;
  return sql.cells(`SELECT ${key}, ${columns} FROM "Hit" ${hint} WHERE ${from}(${where.sql}) ORDER BY ${key} LIMIT ?`,
    [...(after === null ? [] : [after]), ...where.params, batchSize]);
}

/** Hit counts by UTC day of lastSeen and status, for lastSeen in [from, to). */
export async function hitCountsByDay(sql: Sql, from: Date, to: Date): Promise<{ day: string; status: string; n: number }[]> {
  return (await sql.all<{ day: string; status: string; n: number }>(`SELECT ${dayOf(sql, '"lastSeen"')} AS "day", "status", COUNT(*) AS n FROM "Hit"
    WHERE "lastSeen" >= ? AND "lastSeen" < ? GROUP BY 1, 2`, [sqlTime(from), sqlTime(to)])).map((r) => ({ ...r, n: Number(r.n) }));
}

/**
 * The rules that suppress the most hits now: a suppressed hit counts for every suppress match it holds that a malicious
 * verdict did not override (a hit held by two rules counts for both). Ties go to the lower rule id, so the order is stable.
 */
export async function topSuppressingRules(sql: Sql, limit: number): Promise<{ ruleId: string; n: number }[]> {
  // The matches column is JSON text: each database opens it with its own JSON functions.
  const text = sql.dialect === 'sqlite'
    ? `SELECT json_extract(m.value, '$.ruleId') AS "ruleId", COUNT(*) AS n FROM "Hit", json_each("Hit"."matches") AS m
      WHERE "Hit"."status" = 'suppressed' AND json_extract(m.value, '$.ruleId') IS NOT NULL
        AND json_extract(m.value, '$.action') = 'suppress' AND json_extract(m.value, '$.overridden') IS NULL
      GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?`
    : `SELECT m ->> 'ruleId' AS "ruleId", COUNT(*) AS n FROM "Hit", jsonb_array_elements("Hit"."matches"::jsonb) AS m
      WHERE "Hit"."status" = 'suppressed' AND m ->> 'ruleId' IS NOT NULL AND m ->> 'action' = 'suppress'
        AND (m -> 'overridden' IS NULL OR m -> 'overridden' = 'null'::jsonb)
      GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?`;
  return (await sql.all<{ ruleId: string; n: number }>(text, [limit])).map((r) => ({ ruleId: r.ruleId, n: Number(r.n) }));
}

export const QUEUE_AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '>7d'] as const;

/** The open queue (open or flagged, no verdict) by age since the hit was first stored, every bucket present. */
export async function queueAgeCounts(sql: Sql, now: Date): Promise<Record<(typeof QUEUE_AGE_BUCKETS)[number], number>> {
  const ago = (days: number) => sqlTime(new Date(now.getTime() - days * 86_400_000));
  const rows = await sql.all<{ bucket: (typeof QUEUE_AGE_BUCKETS)[number]; n: number }>(`SELECT CASE WHEN "createdAt" > ? THEN '<1d' WHEN "createdAt" > ? THEN '1-3d'
    WHEN "createdAt" > ? THEN '3-7d' ELSE '>7d' END AS bucket, COUNT(*) AS n FROM "Hit" WHERE "verdict" IS NULL AND "status" IN ('open', 'flagged') GROUP BY 1`,
  [ago(1), ago(3), ago(7)]);
  const out = { '<1d': 0, '1-3d': 0, '3-7d': 0, '>7d': 0 };
  for (const r of rows) out[r.bucket] = Number(r.n);
  return out;
}

/** A hit of a hunt as cells: id, updatedAt, verdict, status, then (when asked for) its table and raw row, else nulls. */
export type HitCells = [id: string, updatedAt: string, verdict: string | null, status: string, table: string | null, raw: string | null];

/**
 * Every hit of a hunt as cells: enough to tell which cached derivations are still current and, with `withSource`, to
 * derive the rest in the same pass. Arrays, not objects: a hunt is read whole, and the driver's per-row objects were a
 * fifth of the time. On SQLite through the (huntId, status) index, whose entries run in rowid order per status, so the
 * table is read nearly in order; the (huntId, key) index would visit it at random.
 */
export function hitCellsOfHunt(sql: Sql, huntId: string, withSource: boolean): Promise<HitCells[]> {
  const source = withSource ? '"table", "raw"' : 'NULL, NULL';
  const hint = sql.dialect === 'sqlite' ? 'INDEXED BY "Hit_huntId_status_idx"' : '';
  return sql.cells<HitCells>(`SELECT "id", "updatedAt", "verdict", "status", ${source} FROM "Hit" ${hint} WHERE "huntId" = ?`, [huntId]);
}

/** The same cells, with the source, of the given hits. */
export function hitCellsByIds(sql: Sql, ids: readonly string[]): Promise<HitCells[]> {
  return inChunks(ids, (part) => sql.cells<HitCells>(`SELECT "id", "updatedAt", "verdict", "status", "table", "raw" FROM "Hit" WHERE "id" IN (${marks(part.length)})`, part));
}
