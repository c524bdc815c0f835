import type { RequestHandler } from 'express';
import { AppError, unauthorized } from '../http/errors.js';
import type { AccountsService } from './accounts-service.js';

export const SESSION_COOKIE = 'quell_session';
export const CSRF_COOKIE = 'quell_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` or the session cookie and leaves it in
 * `res.locals.actor`. A bearer token that is wrong is a 401 even on public routes, so a revoked token
 * never silently degrades to anonymous. Cookie-authenticated unsafe requests must echo
 * the session's CSRF token in `X-CSRF-Token` (a cross-site form cannot read it); bearer tokens are
 * not sent by browsers automatically, so they need no CSRF check.
 */
export function authenticate(accounts: AccountsService): RequestHandler {
  return async (req, res, next) => {
    const auth = req.get('authorization');
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw unauthorized('the Authorization header must be "Bearer <token>"');
      const actor = await accounts.actorForToken(m[1]!);
      if (!actor) throw unauthorized('the API token is unknown, expired or revoked');
      res.locals.actor = actor;
      return next();
    }
    const cookie = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (cookie) {
      const session = await accounts.sessionFor(cookie);
      // A cookie is ambient (the browser sends it everywhere), so a stale one makes the caller anonymous rather than
      // failing public routes; protected routes then answer 401 as for anyone signed out.
      if (!session) return next();
      if (!SAFE_METHODS.has(req.method) && req.get('x-csrf-token') !== session.csrfToken) {
        throw new AppError(403, 'missing or wrong X-CSRF-Token header for a cookie-authenticated request');
      }
      res.locals.actor = session.actor;
      res.locals.sessionId = session.id;
    }
    next();
  };
}
