import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import type { PrismaClient } from '../generated/prisma/client.js';

type Reader = Tx | PrismaClient;

export const listSavedFilters = (db: Reader, userId: string) =>
  db.savedFilter.findMany({ where: { userId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });

export const findSavedFilterByName = (db: Reader, userId: string, name: string) =>
  db.savedFilter.findUnique({ where: { userId_name: { userId, name } } });

/** Someone else's filter is not found: the caller learns nothing about other users' filters. */
export const findOwnSavedFilter = (db: Reader, userId: string, id: string) =>
  db.savedFilter.findFirst({ where: { id, userId } });

export const insertSavedFilter = (tx: Tx, f: { userId: string; name: string; query: string }) =>
  tx.savedFilter.create({ data: { id: randomUUID(), ...f, createdAt: new Date() } });

export const deleteSavedFilter = (tx: Tx, id: string) => tx.savedFilter.delete({ where: { id } });
