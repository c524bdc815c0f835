import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/database.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Role } from '../core/actor.js';

type Reader = Tx | PrismaClient;

export const findUserByName = (db: Reader, username: string) => db.user.findUnique({ where: { username } });
export const findUserById = (db: Reader, id: string) => db.user.findUnique({ where: { id } });
export const listUsers = (db: Reader) => db.user.findMany({ orderBy: { username: 'asc' } });
export const countUsers = (db: Reader) => db.user.count();
/** Enabled admins other than `exceptId`: who would be left to administer Quell if that user stopped being one. */
export const countOtherEnabledAdmins = (db: Reader, exceptId: string) =>
  db.user.count({ where: { role: 'admin', disabled: false, id: { not: exceptId } } });

export const updateUser = (tx: Tx, id: string, data: { role?: Role; disabled?: boolean }) => tx.user.update({ where: { id }, data });

export function insertUser(tx: Tx, u: { username: string; role: Role; passwordHash: string | null; createdBy: string }) {
  return tx.user.create({ data: { id: randomUUID(), ...u, createdAt: new Date() } });
}

export function insertToken(tx: Tx, t: { userId: string; name: string; tokenHash: string; prefix: string; createdBy: string; expiresAt: Date | null }) {
  return tx.apiToken.create({ data: { id: randomUUID(), ...t, createdAt: new Date() } });
}

export const findTokenByHash = (db: Reader, tokenHash: string) =>
  db.apiToken.findUnique({ where: { tokenHash }, include: { user: true } });
export const findTokenById = (db: Reader, id: string) => db.apiToken.findUnique({ where: { id } });
export const listTokens = (db: Reader, userId?: string) =>
  db.apiToken.findMany({ where: userId ? { userId } : {}, orderBy: { createdAt: 'asc' } });

export function markTokenRevoked(tx: Tx, id: string, by: string) {
  return tx.apiToken.update({ where: { id }, data: { revokedAt: new Date(), revokedBy: by } });
}

export function insertSession(tx: Tx, s: { userId: string; tokenHash: string; csrfToken: string; expiresAt: Date }) {
  return tx.session.create({ data: { id: randomUUID(), ...s, createdAt: new Date() } });
}
export const findSessionByHash = (db: Reader, tokenHash: string) =>
  db.session.findUnique({ where: { tokenHash }, include: { user: true } });
export const deleteSession = (tx: Tx, id: string) => tx.session.deleteMany({ where: { id } });
