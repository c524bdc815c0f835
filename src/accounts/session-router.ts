import { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../http/route.js';
import type { AccountsService } from './accounts-service.js';
import { LoginBody, UserView } from './schemas.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './authenticate.js';

export function sessionRouter(accounts: AccountsService, opts: { secureCookies: boolean }): Router {
  const r = Router();
  const secure = opts.secureCookies ? '; Secure' : '';
  defineRoute(r, { method: 'post', path: '/session', access: 'none', tag: 'accounts', body: LoginBody,
    summary: 'Browser sign-in: sets an HttpOnly SameSite=Strict session cookie; send csrfToken as X-CSRF-Token on unsafe requests',
    response: Type.Object({ user: UserView, csrfToken: Type.String() }) },
  async ({ body, header }) => {
    const address = header('x-forwarded-for')?.split(',')[0]?.trim() || 'local';
    const s = await accounts.login(body.username, body.password, address);
    const maxAge = Math.floor(s.maxAgeMs / 1000);
    return {
      status: 201,
      headers: { 'Set-Cookie': [
        `${SESSION_COOKIE}=${s.secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
        // Readable by the page's own script (double submit); useless to another site under SameSite=Strict.
        `${CSRF_COOKIE}=${s.csrfToken}; Path=/; SameSite=Strict; Max-Age=${maxAge}${secure}`,
      ] },
      body: { user: s.user, csrfToken: s.csrfToken },
    };
  });

  defineRoute(r, { method: 'get', path: '/session/me', access: 'any', tag: 'accounts', summary: 'Who the caller is: name and role',
    response: Type.Object({ username: Type.String(), role: Type.String(), via: Type.String() }) },
  ({ actor }) => ({ body: { username: actor.name, role: actor.role, via: actor.via } }));

  defineRoute(r, { method: 'delete', path: '/session', access: 'any', tag: 'accounts', summary: 'Sign out', response: Type.Null({ description: 'no body (204)' }) },
    async ({ actor, sessionId }) => {
      if (sessionId) await accounts.logout(actor, sessionId);
      return { status: 204, headers: { 'Set-Cookie': [
        `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`,
        `${CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0${secure}`,
      ] }, body: undefined };
    });
  return r;
}
