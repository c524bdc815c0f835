import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { ConnectionsService } from './connections-service.js';
import { ConnectionBody, ConnectionPage, ConnectionPatch, ConnectionView } from './schemas.js';

export function connectionsRouter(connections: ConnectionsService): Router {
  const r = Router();
  const tag = 'connections';
  defineRoute(r, { method: 'get', path: '/connections', access: 'admin', tag, response: ConnectionPage, summary: 'Sentinel workspace connections (secrets are never returned)' },
    async () => ({ body: { items: await connections.list(), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/connections', access: 'admin', tag, body: ConnectionBody, response: ConnectionView,
    summary: 'Add a workspace connection with a client secret or certificate, stored encrypted under QUELL_SECRET_KEY' },
  async ({ actor, body }) => ({ status: 201, body: await connections.create(actor, body) }));

  defineRoute(r, { method: 'get', path: '/connections/:id', access: 'admin', tag, response: ConnectionView, summary: 'One connection' },
    async ({ params }) => ({ body: await connections.get(params.id!) }));

  defineRoute(r, { method: 'put', path: '/connections/:id', access: 'admin', tag, body: ConnectionPatch, response: ConnectionView,
    summary: 'Change a connection; omitted fields keep their value, and the secret is kept unless a new one is sent' },
  async ({ actor, params, body }) => ({ body: await connections.update(actor, params.id!, body) }));

  defineRoute(r, { method: 'delete', path: '/connections/:id', access: 'admin', tag, response: ConnectionView,
    summary: 'Delete a connection (refused while a suppression list syncs to it)' },
  async ({ actor, params }) => ({ body: await connections.remove(actor, params.id!) }));
  return r;
}
