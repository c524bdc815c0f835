import type { Sqlite } from '../db/database.js';

/** A hit as stored: JSON columns still text, times in the adapter's ISO form. */
export interface HitRow {
  id: string; huntId: string; key: string; deviceName: string | null; userName: string | null;
  raw: string; reportIds: string; firstSeen: string | null; lastSeen: string | null; count: number;
  status: string; matches: string; verdict: string | null; verdictId: string | null; version: number;
  createdAt: string; updatedAt: string;
}

const COLUMNS = ['id', 'huntId', 'key', 'deviceName', 'userName', 'raw', 'reportIds', 'firstSeen', 'lastSeen',
  'count', 'status', 'matches', 'verdict', 'verdictId', 'version', 'createdAt', 'updatedAt'] as const;
const quoted = COLUMNS.map((c) => `"${c}"`).join(', ');

// SQLite allows 32766 bound parameters; stay far below for IN lists.
const CHUNK = 500;

/** Existing hits of one hunt by identity key, in chunks so any batch size works. */
export function findHitsByKeys(sqlite: Sqlite, huntId: string, keys: readonly string[]): Map<string, HitRow> {
  const out = new Map<string, HitRow>();
  const full = sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE "huntId" = ? AND "key" IN (${Array(CHUNK).fill('?').join(',')})`);
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    const stmt = part.length === CHUNK ? full
      : sqlite.prepare(`SELECT ${quoted} FROM "Hit" WHERE "huntId" = ? AND "key" IN (${part.map(() => '?').join(',')})`);
    const rows = stmt.all(huntId, ...part) as HitRow[];
    for (const r of rows) out.set(r.key, normaliseNumbers(r));
  }
  return out;
}

// better-sqlite3 may return bigint when safe integers are on; the store speaks numbers.
function normaliseNumbers(r: HitRow): HitRow {
  return { ...r, count: Number(r.count), version: Number(r.version) };
}

export function hitWriter(sqlite: Sqlite) {
  const upsert = sqlite.prepare(`INSERT INTO "Hit" (${quoted}) VALUES (${COLUMNS.map(() => '?').join(', ')})
    ON CONFLICT ("huntId", "key") DO UPDATE SET "deviceName" = excluded."deviceName", "userName" = excluded."userName",
      "raw" = excluded."raw", "reportIds" = excluded."reportIds", "firstSeen" = excluded."firstSeen",
      "lastSeen" = excluded."lastSeen", "count" = excluded."count", "status" = excluded."status", "matches" = excluded."matches",
      "version" = excluded."version", "updatedAt" = excluded."updatedAt"`);
  const insert = sqlite.prepare(`INSERT INTO "Hit" (${quoted}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  const evaluation = sqlite.prepare(`UPDATE "Hit" SET "status" = ?, "matches" = ? WHERE "id" = ?`);
  return {
    upsert: (h: HitRow) => upsert.run(...COLUMNS.map((c) => h[c])),
    insert: (h: HitRow) => insert.run(h.id, h.huntId, h.key, h.deviceName, h.userName, h.raw, h.reportIds, h.firstSeen,
      h.lastSeen, h.count, h.status, h.matches, h.verdict, h.verdictId, h.version, h.createdAt, h.updatedAt),
    setEvaluation: (id: string, status: string, matches: string) => evaluation.run(status, matches, id),
  };
}

/**
 * Streams hits in rowid order, `batchSize` at a time, so re-evaluating a million hits keeps memory flat.
 * `where` is a trusted SQL fragment over "Hit" columns with `?` placeholders for `params`.
 */
export function* iterateHits(sqlite: Sqlite, where: string, params: unknown[], batchSize = 5000,
  opts: { selective?: boolean } = {}): Generator<(HitRow & { rowid: number })[]> {
  let after = 0;
  // Broad filters page through the table in rowid order with indexes off: with an index on huntId the planner
  // would re-read every index entry and sort for each page, which made a million-hit re-evaluation quadratic.
  // Selective filters (a few ids or users) use their index and come back in one page.
  const stmt = opts.selective
    ? sqlite.prepare(`SELECT rowid AS rowid, ${quoted} FROM "Hit" WHERE rowid > ? AND (${where}) ORDER BY rowid LIMIT ?`)
    : sqlite.prepare(`SELECT rowid AS rowid, ${quoted} FROM "Hit" NOT INDEXED WHERE rowid > ? AND (${where}) ORDER BY rowid LIMIT ?`);
  for (;;) {
    const rows = (stmt.all(after, ...params, batchSize) as (HitRow & { rowid: number | bigint })[])
      .map((r) => ({ ...normaliseNumbers(r), rowid: Number(r.rowid) }));
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.rowid;
  }
}
