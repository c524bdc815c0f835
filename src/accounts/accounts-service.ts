import type { Db } from '../db/database.js';
import { isoTime } from '../db/time.js';
import { recordAudit } from '../audit/audit-store.js';
import { AppError, conflict, notFound, badRequest } from '../http/errors.js';
import type { Actor, Role } from '../core/actor.js';
import { hashPassword, hashSecret, newSecret, randomPassword, verifyPassword } from './secrets.js';
import { createLoginLimiter, type LoginLimiter } from './login-limiter.js';
import * as store from './accounts-store.js';

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

type UserRow = NonNullable<Awaited<ReturnType<typeof store.findUserById>>>;
type TokenRow = NonNullable<Awaited<ReturnType<typeof store.findTokenById>>>;

export const userView = (u: UserRow) => ({
  id: u.id, username: u.username, role: u.role as Role, disabled: u.disabled,
  createdAt: isoTime(u.createdAt)!, createdBy: u.createdBy,
});
export const tokenView = (t: TokenRow) => ({
  id: t.id, userId: t.userId, name: t.name, prefix: t.prefix, createdAt: isoTime(t.createdAt)!,
  expiresAt: isoTime(t.expiresAt), revokedAt: isoTime(t.revokedAt),
});

export function createAccountsService(db: Db, limiter: LoginLimiter = createLoginLimiter(db)) {
  const { prisma } = db;

  async function createUser(actor: Actor, input: { username: string; role: Role; password?: string }) {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return db.write(async (tx) => {
      if (await store.findUserByName(tx, input.username)) throw conflict(`a user named ${input.username} already exists`);
      const user = await store.insertUser(tx, { username: input.username, role: input.role, passwordHash, createdBy: actor.name });
      await recordAudit(tx, { actor, action: 'user.create', entityType: 'user', entityId: user.id, after: userView(user) });
      return userView(user);
    });
  }

  /** Changes a user's role or disabled flag; a change that would leave no enabled admin is refused, so Quell stays administrable. */
  async function updateUser(actor: Actor, userId: string, input: { role?: Role; disabled?: boolean }) {
    return db.write(async (tx) => {
      const before = await store.findUserById(tx, userId);
      if (!before) throw notFound(`user ${userId}`);
      const role = input.role ?? (before.role as Role);
      const disabled = input.disabled ?? before.disabled;
      const wasAdmin = before.role === 'admin' && !before.disabled;
      if (wasAdmin && (role !== 'admin' || disabled) && (await store.countOtherEnabledAdmins(tx, userId)) === 0) {
        throw conflict(`${before.username} is the only enabled admin; make another user an admin before you ${disabled ? 'disable' : 'demote'} them`);
      }
      const after = await store.updateUser(tx, userId, { role, disabled });
      await recordAudit(tx, { actor, action: 'user.update', entityType: 'user', entityId: userId, before: userView(before), after: userView(after) });
      return userView(after);
    });
  }

  async function createToken(actor: Actor, userId: string, input: { name: string; expiresAt?: string }) {
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw badRequest('expiresAt is in the past', [{ pointer: '/expiresAt', message: 'must be in the future' }]);
    }
    const secret = newSecret('quell');
    return db.write(async (tx) => {
      const user = await store.findUserById(tx, userId);
      if (!user) throw notFound(`user ${userId}`);
      const token = await store.insertToken(tx, {
        userId, name: input.name, tokenHash: hashSecret(secret), prefix: secret.slice(0, 12), createdBy: actor.name, expiresAt,
      });
      await recordAudit(tx, { actor, action: 'token.create', entityType: 'token', entityId: token.id, after: tokenView(token) });
      return { ...tokenView(token), token: secret };
    });
  }

  async function revokeToken(actor: Actor, tokenId: string) {
    return db.write(async (tx) => {
      const before = await store.findTokenById(tx, tokenId);
      if (!before) throw notFound(`token ${tokenId}`);
      if (before.revokedAt) return tokenView(before);
      const after = await store.markTokenRevoked(tx, tokenId, actor.name);
      await recordAudit(tx, { actor, action: 'token.revoke', entityType: 'token', entityId: tokenId,
        before: tokenView(before), after: tokenView(after) });
      return tokenView(after);
    });
  }

  async function actorForToken(secret: string): Promise<Actor | null> {
    const t = await store.findTokenByHash(prisma, hashSecret(secret));
    if (!t || t.revokedAt || t.user.disabled) return null;
    if (t.expiresAt && t.expiresAt.getTime() <= Date.now()) return null;
    return { id: t.user.id, name: t.user.username, role: t.user.role as Role, via: 'token' };
  }

  async function sessionFor(secret: string) {
    const s = await store.findSessionByHash(prisma, hashSecret(secret));
    if (!s || s.user.disabled || s.expiresAt.getTime() <= Date.now()) return null;
    const actor: Actor = { id: s.user.id, name: s.user.username, role: s.user.role as Role, via: 'session' };
    return { actor, csrfToken: s.csrfToken, id: s.id };
  }

  async function login(username: string, password: string, address: string) {
    const key = `${username.toLowerCase()}|${address}`;
    const wait = await limiter.retryAfter(key);
    if (wait > 0) {
      throw new AppError(429, `too many failed logins; try again in ${wait} s`, { headers: { 'Retry-After': String(wait) } });
    }
    const user = await store.findUserByName(prisma, username);
    const ok = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !ok || user.disabled) {
      await limiter.fail(key);
      throw new AppError(401, 'wrong username or password');
    }
    await limiter.succeed(key);
    const secret = newSecret('qs');
    const csrfToken = newSecret('csrf');
    const actor: Actor = { id: user.id, name: user.username, role: user.role as Role, via: 'session' };
    await db.write(async (tx) => {
      const s = await store.insertSession(tx, { userId: user.id, tokenHash: hashSecret(secret), csrfToken,
        expiresAt: new Date(Date.now() + SESSION_TTL_MS) });
      await recordAudit(tx, { actor, action: 'session.create', entityType: 'session', entityId: s.id });
    });
    return { secret, csrfToken, user: userView(user), maxAgeMs: SESSION_TTL_MS };
  }

  async function logout(actor: Actor, sessionId: string) {
    await db.write(async (tx) => {
      await store.deleteSession(tx, sessionId);
      await recordAudit(tx, { actor, action: 'session.delete', entityType: 'session', entityId: sessionId });
    });
  }

  /** First start of an empty database: an `admin` with a random password, returned to be printed once. */
  async function ensureFirstAdmin(actor: Actor): Promise<string | null> {
    if ((await store.countUsers(prisma)) > 0) return null;
    const password = randomPassword();
    await createUser(actor, { username: 'admin', role: 'admin', password });
    return password;
  }

  return {
    createUser, updateUser, createToken, revokeToken, actorForToken, sessionFor, login, logout, ensureFirstAdmin,
    listUsers: async () => (await store.listUsers(prisma)).map(userView),
    listTokens: async (userId?: string) => (await store.listTokens(prisma, userId)).map(tokenView),
    findUserByName: (name: string) => store.findUserByName(prisma, name),
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
