import type { Tx } from '../db/database.js';
import type { PrismaClient } from '../generated/prisma/client.js';

type Reader = Tx | PrismaClient;

export interface ScheduleRecord {
  huntId: string; connectionId: string; api: string; intervalMinutes: number; lookbackMinutes: number; enabled: boolean; nextRunAt: Date;
}

export const findSchedule = (db: Reader, huntId: string) => db.huntSchedule.findUnique({ where: { huntId } });

export const insertSchedule = (tx: Tx, s: ScheduleRecord, by: string, at: Date) =>
  tx.huntSchedule.create({ data: { ...s, createdAt: at, createdBy: by, updatedAt: at, updatedBy: by } });

export const updateSchedule = (tx: Tx, s: ScheduleRecord, by: string, at: Date) =>
  tx.huntSchedule.update({ where: { huntId: s.huntId }, data: { ...s, updatedAt: at, updatedBy: by } });

export const deleteSchedule = (tx: Tx, huntId: string) => tx.huntSchedule.delete({ where: { huntId } });

/** A run has started: the next one is due an interval later (updateMany: the schedule may have been deleted meanwhile). */
export const setNextRunAt = (tx: Tx, huntId: string, nextRunAt: Date) =>
  tx.huntSchedule.updateMany({ where: { huntId }, data: { nextRunAt } });

/** The hunts whose enabled schedule is due at `now`, longest overdue first. */
export async function dueScheduleHuntIds(db: Reader, now: Date): Promise<string[]> {
  const rows = await db.huntSchedule.findMany({ where: { enabled: true, nextRunAt: { lte: now } }, orderBy: { nextRunAt: 'asc' },
    select: { huntId: true } });
  return rows.map((r) => r.huntId);
}
