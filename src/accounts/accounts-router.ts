import { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../http/route.js';
import type { AccountsService } from './accounts-service.js';
import { CreateTokenBody, CreateUserBody, TokenView, UpdateUserBody, UserView } from './schemas.js';

export function accountsRouter(accounts: AccountsService): Router {
  const r = Router();
  const tag = 'accounts';
  defineRoute(r, { method: 'get', path: '/users', access: 'admin', tag, summary: 'List users',
    response: Type.Object({ items: Type.Array(UserView), nextCursor: Type.Null() }) },
  async () => ({ body: { items: await accounts.listUsers(), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/users', access: 'admin', tag, summary: 'Create a user', body: CreateUserBody, response: UserView },
    async ({ actor, body }) => ({ status: 201, body: await accounts.createUser(actor, body) }));

  defineRoute(r, { method: 'put', path: '/users/:id', access: 'admin', tag, body: UpdateUserBody, response: UserView,
    summary: "Change a user's role or disable them; a change that would leave no enabled admin is a 409" },
  async ({ actor, params, body }) => ({ body: await accounts.updateUser(actor, params.id!, body) }));

  defineRoute(r, { method: 'get', path: '/users/:id/tokens', access: 'admin', tag, summary: "List a user's API tokens (never the secrets)",
    response: Type.Object({ items: Type.Array(TokenView), nextCursor: Type.Null() }) },
  async ({ params }) => ({ body: { items: await accounts.listTokens(params.id), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/users/:id/tokens', access: 'admin', tag,
    summary: 'Create an API token; the secret is in the response once and never again', body: CreateTokenBody, response: TokenView },
  async ({ actor, params, body }) => ({ status: 201, body: await accounts.createToken(actor, params.id!, body) }));

  defineRoute(r, { method: 'delete', path: '/tokens/:id', access: 'admin', tag, summary: 'Revoke an API token', response: TokenView },
    async ({ actor, params }) => ({ body: await accounts.revokeToken(actor, params.id!) }));
  return r;
}
