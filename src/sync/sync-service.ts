import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { isoTime } from '../db/time.js';
import { AppError, badRequest, conflict } from '../http/errors.js';
import type { ConnectionResolver } from '../connections/connection-resolver.js';
import type { AzureClientOptions } from '../connections/azure-options.js';
import { findConnectionsByIds } from '../connections/connections-store.js';
import { holdLease, type HeldLease } from '../core/lease.js';
import type { ListsService } from '../suppression/lists-service.js';
import { WatchlistExportError } from '../suppression/export/index.js';
import { budgetOf, monthOf, MONTHLY_CHANGE_BUDGET } from './budget.js';
import { desiredItems } from './desired-items.js';
import * as store from './sync-store.js';
import { applyPlan, planTarget, recordRun, type TargetDeps, type TargetPlan, type TargetResult } from './sync-target.js';
import { changeCount } from './watchlist-diff.js';

export interface SyncOptions {
  /** Item changes per workspace per calendar month (Sentinel's budget); default 100,000. */
  monthlyChangeBudget?: number;
  /** Item writes in flight at once per target; default 4. */
  concurrency?: number;
  requestTimeoutMs?: number;
  /** How long a sync's lease outlives its process (renewed every third of it); default 60 s. */
  leaseMs?: number;
}

export interface SyncRequest { connectionId?: string; dryRun?: boolean; signal?: AbortSignal }

const INTERRUPTED = 'the process running this sync stopped before it finished; a later sync converges from what Sentinel holds';

export function createSyncService(db: Db, lists: ListsService, connections: { resolver: ConnectionResolver; clientOptions: AzureClientOptions },
  opts: SyncOptions = {}) {
  const limit = opts.monthlyChangeBudget ?? MONTHLY_CHANGE_BUDGET;
  const leaseMs = opts.leaseMs ?? 60_000;
  const deps: TargetDeps = { db, connections: connections.resolver, clientOptions: connections.clientOptions,
    concurrency: opts.concurrency ?? 4, requestTimeoutMs: opts.requestTimeoutMs ?? 60_000 };
  async function targetViews(listId: string) {
    const rows = await store.targetsOf(db.sql, listId);
    const conns = await findConnectionsByIds(db.sql, rows.map((t) => t.connectionId));
    return rows.map((t) => {
      const c = conns.get(t.connectionId)!;
      return { connectionId: t.connectionId, connectionName: c.name, workspaceName: c.workspaceName, workspaceId: c.workspaceId,
        addedAt: isoTime(t.addedAt)!, addedBy: t.addedBy };
    });
  }

  async function targets(listId: string) {
    await lists.listOrThrow(db.sql, listId);
    return { listId, targets: await targetViews(listId) };
  }

  async function setTargets(actor: Actor, listId: string, connectionIds: string[]) {
    const list = await lists.listOrThrow(db.sql, listId);
    const known = await findConnectionsByIds(db.sql, connectionIds);
    const unknown = connectionIds.map((id, i) => ({ id, i })).filter((x) => !known.has(x.id));
    if (unknown.length) {
      throw badRequest(`no connection with id ${unknown.map((u) => u.id).join(', ')}`,
        unknown.map((u) => ({ pointer: `/connectionIds/${u.i}`, message: `no connection with id ${u.id}` })));
    }
    const before = (await targetViews(listId)).map((t) => t.connectionId);
    await db.bulk(async (sql) => {
      await store.replaceTargets(sql, listId, connectionIds, actor.name);
      await recordAuditSql(sql, { actor, action: 'list.targets', entityType: 'suppression-list', entityId: listId,
        before: { connectionIds: before }, after: { connectionIds, alias: list.alias } });
    });
    return targets(listId);
  }

  async function budgets(listId: string) {
    const m = monthOf(new Date());
    const out = [];
    for (const t of await targetViews(listId)) {
      out.push({ connectionId: t.connectionId, connectionName: t.connectionName, workspaceId: t.workspaceId,
        ...budgetOf(m.month, limit, await store.changesSince(db.sql, t.workspaceId, m.start)) });
    }
    return out;
  }

  async function runs(listId: string, q: { limit?: number; cursor?: string }) {
    await lists.listOrThrow(db.sql, listId);
    const n = q.limit ?? 50;
    const rows = await store.runsOf(db.sql, listId, q.cursor, n);
    const page = rows.slice(0, n).map(store.runView);
    return { items: page, nextCursor: rows.length > n ? page[page.length - 1]!.id : null, budgets: await budgets(listId) };
  }

  /**
   * Marks this list's runs to these connections that are still marked running as interrupted: the caller holds the
   * sync leases of these targets, so no live process (this one or another) is running them; a killed one left them.
   */
  async function closeStaleRuns(actor: Actor, listId: string, connectionIds: string[]) {
    await db.bulk(async (sql) => {
      for (const cid of connectionIds) {
        for (const r of await store.runningRuns(sql, listId, cid)) {
          const row = await store.finishRun(sql, r.id, 'interrupted', INTERRUPTED);
          await recordAuditSql(sql, { actor, action: 'list.sync.interrupted', entityType: 'suppression-list', entityId: listId, after: store.runView(row) });
        }
      }
    });
  }

  async function desiredFor(list: Awaited<ReturnType<ListsService['listOrThrow']>>) {
    const entries = await lists.exportableEntries(list.id);
    try {
      return desiredItems(list, entries.map((e) => ({ searchKey: e.searchKey, values: JSON.parse(e.values) as Record<string, string>,
        reason: e.reason, addedBy: e.addedBy, addedAt: isoTime(e.addedAt)!, expiresAt: isoTime(e.expiresAt) })));
    } catch (e) {
      if (e instanceof WatchlistExportError) throw new AppError(422, e.message, { extra: { code: e.code } });
      throw e;
    }
  }

  /** Checks each plan against its workspace's remaining budget (two targets in one workspace share it). */
  async function chargeBudgets(plans: TargetPlan[]) {
    const m = monthOf(new Date());
    const planned = new Map<string, number>();
    const over: TargetPlan[] = [];
    for (const p of plans) {
      const ws = p.target.workspaceId;
      p.budget = budgetOf(m.month, limit, await store.changesSince(db.sql, ws, m.start) + (planned.get(ws) ?? 0));
      if (p.error) continue;
      const need = changeCount(p.diff);
      planned.set(ws, (planned.get(ws) ?? 0) + need);
      if (need > p.budget.remaining) over.push(p);
    }
    return over;
  }

  async function sync(actor: Actor, listId: string, req: SyncRequest = {}) {
    const list = await lists.listOrThrow(db.sql, listId);
    const dryRun = req.dryRun ?? false;
    let chosen = (await store.targetsOf(db.sql, listId)).map((t) => t.connectionId);
    if (!chosen.length) throw conflict(`list ${list.alias} has no target connections; set them with PUT /api/suppression-lists/${listId}/targets`);
    if (req.connectionId !== undefined) {
      if (!chosen.includes(req.connectionId)) throw conflict(`connection ${req.connectionId} is not a target of list ${list.alias}`);
      chosen = [req.connectionId];
    }
    const desired = await desiredFor(list);
    // One sync per list and target at a time, whichever Quell process runs it: a lease per target, renewed while the
    // sync runs, lapsing soon after a killed process stops renewing it.
    const held: HeldLease[] = [];
    for (const c of chosen) {
      const lease = await holdLease(db, `sync:${listId}|${c}`, leaseMs);
      if (!lease) {
        await Promise.all(held.map((l) => l.release()));
        throw conflict(`a sync of list ${list.alias} to connection ${c} is already running`);
      }
      held.push(lease);
    }
    try {
      if (!dryRun) await closeStaleRuns(actor, listId, chosen);
      const plans: TargetPlan[] = [];
      for (const c of chosen) plans.push(await planTarget(deps, list, c, desired, req.signal));
      const over = await chargeBudgets(plans);
      if (!dryRun && over.length) {
        const why = over.map((p) => `${p.target.connectionName} needs ${changeCount(p.diff)} item changes and has ${p.budget!.remaining} of `
          + `${p.budget!.limit} left for ${p.budget!.month}`).join('; ');
        for (const p of over) await recordRun(deps, actor, list, p, 'refused', `refused: ${why}`);
        throw new AppError(409, `the sync would exceed Sentinel's monthly change budget: ${why}. Nothing was changed; a dry run shows the diff.`,
          { extra: { code: 'change-budget-exceeded', budgets: over.map((p) => ({ connectionId: p.target.connectionId, needed: changeCount(p.diff), ...p.budget })) } });
      }
      const results: TargetResult[] = [];
      for (const p of plans) {
        if (p.error) results.push(await recordRun(deps, actor, list, p, 'failed', p.error));
        else if (dryRun) results.push(await recordRun(deps, actor, list, p, 'dry-run', null));
        else results.push(await applyPlan(deps, actor, list, p));
      }
      const failed = results.filter((r) => r.status === 'failed').length;
      const status = failed === 0 ? (dryRun ? 'dry-run' : 'succeeded') : failed === results.length ? 'failed' : 'partial';
      return { listId, alias: list.alias, dryRun, status, results };
    } finally {
      await Promise.all(held.map((l) => l.release()));
    }
  }

  return { sync, targets, setTargets, runs };
}

export type SyncService = ReturnType<typeof createSyncService>;
