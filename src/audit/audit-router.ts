import { Router } from 'express';
import { Type } from '@sinclair/typebox';
import type { PrismaClient } from '../generated/prisma/client.js';
import { defineRoute } from '../http/route.js';
import { Nullable, Page, Time } from '../http/schema-kit.js';
import { isoTime } from '../db/time.js';
import { badRequest } from '../http/errors.js';
import { findAuditEvents } from './audit-store.js';

export const AuditQuery = Type.Object({
  entityType: Type.Optional(Type.String()),
  entityId: Type.Optional(Type.String()),
  action: Type.Optional(Type.String({ description: 'exact action, or a prefix ending in "." (e.g. "rule.")' })),
  actor: Type.Optional(Type.String()),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  cursor: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const AuditPage = Page(Type.Object({
  id: Type.Integer(), at: Time, actor: Type.String(), actorId: Nullable(Type.String()), action: Type.String(),
  entityType: Type.String(), entityId: Type.String(), before: Type.Unknown(), after: Type.Unknown(),
}));

const parse = (t: string | null) => (t === null ? null : JSON.parse(t));

export function auditRouter(prisma: PrismaClient): Router {
  const r = Router();
  defineRoute(r, { method: 'get', path: '/audit', access: 'admin', tag: 'audit', query: AuditQuery, response: AuditPage,
    summary: 'Audit events, newest first: who changed what, with before and after' },
  async ({ query }) => {
    const cursor = query.cursor === undefined ? undefined : Number(query.cursor);
    if (cursor !== undefined && !Number.isInteger(cursor)) throw badRequest('cursor is not valid', [{ pointer: '/cursor', message: 'is not a cursor from a previous page' }]);
    const rows = await findAuditEvents(prisma, query, cursor, query.limit);
    const page = rows.slice(0, query.limit);
    return { body: {
      items: page.map((e) => ({ id: e.id, at: isoTime(e.at), actor: e.actorName, actorId: e.actorId, action: e.action,
        entityType: e.entityType, entityId: e.entityId, before: parse(e.before), after: parse(e.after) })),
      nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
    } };
  });
  return r;
}
