import { inChunks, insertSql, marks, type Sql } from '../db/sql.js';
import { sqlTime } from '../db/time.js';

export interface VerdictRow {
  id: string; hitId: string; verdict: string; classification: string; classificationReason: string | null; comment: string;
  hitVersion: number; createdAt: string; createdBy: string;
}

const COLUMNS = ['id', 'hitId', 'verdict', 'classification', 'classificationReason', 'comment', 'hitVersion', 'createdAt', 'createdBy'] as const;

const normalise = (v: VerdictRow): VerdictRow => ({ ...v, hitVersion: Number(v.hitVersion) });

export async function insertVerdict(sql: Sql, v: VerdictRow): Promise<void> {
  await sql.run(insertSql('Verdict', COLUMNS), COLUMNS.map((c) => v[c]));
}

/** A hit's verdicts, newest first (the history is append-only; the first is the hit's verdict). */
export async function verdictHistory(sql: Sql, hitId: string): Promise<VerdictRow[]> {
  return (await sql.all<VerdictRow>(`SELECT * FROM "Verdict" WHERE "hitId" = ? ORDER BY "createdAt" DESC, "id" DESC`, [hitId])).map(normalise);
}

export async function findVerdictsByIds(sql: Sql, ids: readonly string[]): Promise<Map<string, VerdictRow>> {
  const rows = await inChunks(ids, (part) => sql.all<VerdictRow>(`SELECT * FROM "Verdict" WHERE "id" IN (${marks(part.length)})`, part));
  return new Map(rows.map((r) => [r.id, normalise(r)]));
}

/** Verdicts recorded in [from, to), counted by who recorded them and which verdict (history included: every verdict counts). */
export async function verdictCountsByAnalyst(sql: Sql, from: Date, to: Date): Promise<{ analyst: string; verdict: string; n: number }[]> {
  return (await sql.all<{ analyst: string; verdict: string; n: number }>(`SELECT "createdBy" AS analyst, "verdict", COUNT(*) AS n FROM "Verdict"
    WHERE "createdAt" >= ? AND "createdAt" < ? GROUP BY "createdBy", "verdict"`, [sqlTime(from), sqlTime(to)])).map((r) => ({ ...r, n: Number(r.n) }));
}
