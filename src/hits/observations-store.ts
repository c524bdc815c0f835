import { createHash, randomUUID } from 'node:crypto';
import type { Sqlite } from '../db/database.js';
import { sqlTime } from '../db/time.js';

/** One row merged into a hit, as it came (the hit itself shows only the newest). */
export interface ObservationRow {
  id: string; hitId: string; raw: string; firstSeen: string | null; lastSeen: string | null; count: number; reportIds: string; observedAt: string;
}

export function observationWriter(sqlite: Sqlite) {
  // The same row again (same text) is the same observation: ignored, so re-ingesting a file changes nothing here.
  const insert = sqlite.prepare(`INSERT OR IGNORE INTO "HitObservation" ("id", "hitId", "rawHash", "raw", "firstSeen", "lastSeen", "count", "reportIds", "observedAt")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return {
    add(hitId: string, rawText: string, o: { firstSeen: string; lastSeen: string; count: number; reportIds: readonly string[] }, at: string) {
      const hash = createHash('sha256').update(rawText).digest('hex');
      insert.run(randomUUID(), hitId, hash, rawText, sqlTime(o.firstSeen), sqlTime(o.lastSeen), o.count, JSON.stringify(o.reportIds), at);
    },
  };
}

/** A hit's other observations, newest first. */
export function observationsOf(sqlite: Sqlite, hitId: string): ObservationRow[] {
  return (sqlite.prepare(`SELECT "id", "hitId", "raw", "firstSeen", "lastSeen", "count", "reportIds", "observedAt" FROM "HitObservation"
    WHERE "hitId" = ? ORDER BY "lastSeen" DESC, "id"`).all(hitId) as ObservationRow[]).map((r) => ({ ...r, count: Number(r.count) }));
}
