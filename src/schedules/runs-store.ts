import type { Tx } from '../db/database.js';
import type { PrismaClient } from '../generated/prisma/client.js';

type Reader = Tx | PrismaClient;

export interface NewRun {
  id: string; huntId: string; connectionId: string; api: string; trigger: string; triggeredBy: string; timespan: string; startedAt: Date;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed'; finishedAt: Date; attempts: number;
  rows: number | null; inserted: number | null; merged: number | null; rejected: number | null;
  suppressed: number | null; flagged: number | null; open: number | null;
  truncated: boolean; truncationNote: string | null; error: string | null;
}

export const insertRun = (tx: Tx, r: NewRun) =>
  tx.huntRun.create({ data: { ...r, status: 'running', attempts: 0, truncated: false } });

export const finishRun = (tx: Tx, id: string, o: RunOutcome) => tx.huntRun.update({ where: { id }, data: o });

/** Marks a run that nobody is running any more as failed, only while it is still `running`. */
export const abandonRun = (tx: Tx, id: string, finishedAt: Date, error: string) =>
  tx.huntRun.updateMany({ where: { id, status: 'running' }, data: { status: 'failed', finishedAt, error } });

export const findRun = (db: Reader, id: string) => db.huntRun.findUnique({ where: { id } });

export const runningRuns = (db: Reader, huntId: string) =>
  db.huntRun.findMany({ where: { huntId, status: 'running' }, orderBy: { id: 'asc' } });

/** Newest first (ids are UUIDv7, so id order is start order); `limit + 1` rows tell the caller whether more follow. */
export const listRuns = (db: Reader, huntId: string, before: string | undefined, limit: number) =>
  db.huntRun.findMany({ where: { huntId, id: before === undefined ? undefined : { lt: before } }, orderBy: { id: 'desc' }, take: limit + 1 });

export const latestRun = (db: Reader, huntId: string) => db.huntRun.findFirst({ where: { huntId }, orderBy: { id: 'desc' } });
