import { createHash, randomUUID } from 'node:crypto';
import type { Sql } from '../db/sql.js';
import { sqlTime } from '../db/time.js';

/** One row merged into a hit, as it came (the hit itself shows only the newest). */
export interface ObservationRow {
  id: string; hitId: string; raw: string; firstSeen: string | null; lastSeen: string | null; count: number; reportIds: string; observedAt: string;
}

const COLUMNS = ['id', 'hitId', 'rawHash', 'raw', 'firstSeen', 'lastSeen', 'count', 'reportIds', 'observedAt'];

/** Collects observations in the caller's transaction and writes them together with `flush`. */
export function observationWriter(sql: Sql) {
  let rows: unknown[][] = [];
  return {
    add(hitId: string, rawText: string, o: { firstSeen: string; lastSeen: string; count: number; reportIds: readonly string[] }, at: string) {
      const hash = createHash('sha256').update(rawText).digest('hex');
      rows.push([randomUUID(), hitId, hash, rawText, sqlTime(o.firstSeen), sqlTime(o.lastSeen), o.count, JSON.stringify(o.reportIds), at]);
    },
    get pending() { return rows.length; },
    async flush() {
      const r = rows;
      rows = [];
      // The same row again (same text) is the same observation: ignored, so re-ingesting a file changes nothing here.
      if (r.length) await sql.insertMany('HitObservation', COLUMNS, r, 'ON CONFLICT DO NOTHING');
    },
  };
}

/** A hit's other observations, newest first. */
export async function observationsOf(sql: Sql, hitId: string): Promise<ObservationRow[]> {
  return (await sql.all<ObservationRow>(`SELECT "id", "hitId", "raw", "firstSeen", "lastSeen", "count", "reportIds", "observedAt" FROM "HitObservation"
    WHERE "hitId" = ? ORDER BY "lastSeen" DESC, "id"`, [hitId])).map((r) => ({ ...r, count: Number(r.count) }));
}
