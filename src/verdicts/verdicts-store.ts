import { insertSql, marks } from '../db/sql.js';
import type { Sqlite } from '../db/database.js';
import { sqlTime } from '../db/time.js';

export interface VerdictRow {
  id: string; hitId: string; verdict: string; classification: string; classificationReason: string | null; comment: string;
  hitVersion: number; createdAt: string; createdBy: string;
}

const COLUMNS = ['id', 'hitId', 'verdict', 'classification', 'classificationReason', 'comment', 'hitVersion', 'createdAt', 'createdBy'] as const;

const normalise = (v: VerdictRow): VerdictRow => ({ ...v, hitVersion: Number(v.hitVersion) });

export function insertVerdict(sqlite: Sqlite, v: VerdictRow): void {
  sqlite.prepare(insertSql('Verdict', COLUMNS))
    .run(...COLUMNS.map((c) => v[c]));
}

/** A hit's verdicts, newest first (the history is append-only; the first is the hit's verdict). */
export function verdictHistory(sqlite: Sqlite, hitId: string): VerdictRow[] {
  return (sqlite.prepare(`SELECT * FROM "Verdict" WHERE "hitId" = ? ORDER BY "createdAt" DESC, "id" DESC`).all(hitId) as VerdictRow[]).map(normalise);
}

export function findVerdictsByIds(sqlite: Sqlite, ids: readonly string[]): Map<string, VerdictRow> {
  if (!ids.length) return new Map();
  const rows = sqlite.prepare(`SELECT * FROM "Verdict" WHERE "id" IN (${marks(ids.length)})`).all(...ids) as VerdictRow[];
  return new Map(rows.map((r) => [r.id, normalise(r)]));
}

/** Verdicts recorded in [from, to), counted by who recorded them and which verdict (history included: every verdict counts). */
export function verdictCountsByAnalyst(sqlite: Sqlite, from: Date, to: Date): { analyst: string; verdict: string; n: number }[] {
  return (sqlite.prepare(`SELECT "createdBy" AS analyst, "verdict", COUNT(*) AS n FROM "Verdict" WHERE "createdAt" >= ? AND "createdAt" < ?
    GROUP BY "createdBy", "verdict"`).all(sqlTime(from), sqlTime(to)) as { analyst: string; verdict: string; n: number | bigint }[])
    .map((r) => ({ ...r, n: Number(r.n) }));
}
