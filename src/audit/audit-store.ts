import type { Tx } from '../db/database.js';
import { insertSql, type Sql } from '../db/sql.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Actor } from '../core/actor.js';
import { sqlTime } from '../db/time.js';

export interface AuditInput {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const text = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/** Writes one audit event inside the caller's transaction, so a change and its audit land together. */
export async function recordAudit(tx: Tx, e: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      at: new Date(), actorId: e.actor.id, actorName: e.actor.name, action: e.action,
      entityType: e.entityType, entityId: e.entityId, before: text(e.before), after: text(e.after),
    },
  });
}

const AUDIT_COLUMNS = ['at', 'actorId', 'actorName', 'action', 'entityType', 'entityId', 'before', 'after'];

/** The same, for bulk paths that run on a direct connection inside its transaction. */
export async function recordAuditSql(sql: Sql, e: AuditInput): Promise<void> {
  await sql.run(insertSql('AuditEvent', AUDIT_COLUMNS),
    [sqlTime(new Date()), e.actor.id, e.actor.name, e.action, e.entityType, e.entityId, text(e.before), text(e.after)]);
}


export interface AuditFilter {
  entityType?: string; entityId?: string; actor?: string; since?: string; until?: string;
  /** An exact action, or a prefix ending in "." (e.g. "rule."). */
  action?: string;
}

/** Events newest first, `limit + 1` of them so the caller knows whether more follow; `before` is an id cursor. */
export function findAuditEvents(prisma: PrismaClient, f: AuditFilter, before: number | undefined, limit: number) {
  return prisma.auditEvent.findMany({
    where: {
      entityType: f.entityType, entityId: f.entityId, actorName: f.actor,
      action: f.action?.endsWith('.') ? { startsWith: f.action } : f.action,
      at: { gte: f.since ? new Date(f.since) : undefined, lte: f.until ? new Date(f.until) : undefined },
      id: before === undefined ? undefined : { lt: before },
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
}
