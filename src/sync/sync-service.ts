import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { isoTime } from '../db/time.js';
import { AppError, badRequest, conflict } from '../http/errors.js';
import type { ConnectionResolver } from '../connections/connection-resolver.js';
import type { AzureClientOptions } from '../connections/azure-options.js';
import { findConnectionsByIds } from '../connections/connections-store.js';
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
}

export interface SyncRequest { connectionId?: string; dryRun?: boolean; signal?: AbortSignal }

const INTERRUPTED = 'the process running this sync stopped before it finished; a later sync converges from what Sentinel holds';

export function createSyncService(db: Db, lists: ListsService, connections: { resolver: ConnectionResolver; clientOptions: AzureClientOptions },
  opts: SyncOptions = {}) {
  const limit = opts.monthlyChangeBudget ?? MONTHLY_CHANGE_BUDGET;
  const deps: TargetDeps = { db, connections: connections.resolver, clientOptions: connections.clientOptions,
    concurrency: opts.concurrency ?? 4, requestTimeoutMs: opts.requestTimeoutMs ?? 60_000 };
  // Syncs this process is running, as `listId|connectionId`: a run marked running that is not here was left by a killed process.
  const running = new Set<string>();

  function targetViews(listId: string) {
    const rows = store.targetsOf(db.sqlite, listId);
    const conns = findConnectionsByIds(db.sqlite, rows.map((t) => t.connectionId));
    return rows.map((t) => {
      const c = conns.get(t.connectionId)!;
      return { connectionId: t.connectionId, connectionName: c.name, workspaceName: c.workspaceName, workspaceId: c.workspaceId,
        addedAt: isoTime(t.addedAt)!, addedBy: t.addedBy };
    });
  }

  function targets(listId: string) {
    lists.listOrThrow(db.sqlite, listId);
    return { listId, targets: targetViews(listId) };
  }

  async function setTargets(actor: Actor, listId: string, connectionIds: string[]) {
    const list = lists.listOrThrow(db.sqlite, listId);
    const known = findConnectionsByIds(db.sqlite, connectionIds);
    const unknown = connectionIds.map((id, i) => ({ id, i })).filter((x) => !known.has(x.id));
    if (unknown.length) {
      throw badRequest(`no connection with id ${unknown.map((u) => u.id).join(', ')}`,
        unknown.map((u) => ({ pointer: `/connectionIds/${u.i}`, message: `no connection with id ${u.id}` })));
    }
    const before = targetViews(listId).map((t) => t.connectionId);
    await db.bulk((sqlite) => {
      store.replaceTargets(sqlite, listId, connectionIds, actor.name);
      recordAuditSql(sqlite, { actor, action: 'list.targets', entityType: 'suppression-list', entityId: listId,
        before: { connectionIds: before }, after: { connectionIds, alias: list.alias } });
    });
    return targets(listId);
  }

  function budgets(listId: string) {
    const m = monthOf(new Date());
    return targetViews(listId).map((t) => ({ connectionId: t.connectionId, connectionName: t.connectionName, workspaceId: t.workspaceId,
      ...budgetOf(m.month, limit, store.changesSince(db.sqlite, t.workspaceId, m.start)) }));
  }

  function runs(listId: string, q: { limit?: number; cursor?: string }) {
    lists.listOrThrow(db.sqlite, listId);
    const n = q.limit ?? 50;
    const rows = store.runsOf(db.sqlite, listId, q.cursor, n);
    const page = rows.slice(0, n).map(store.runView);
    return { items: page, nextCursor: rows.length > n ? page[page.length - 1]!.id : null, budgets: budgets(listId) };
  }

  /** Marks this list's runs to these connections that no sync in this process holds as interrupted (a killed process). */
  async function closeStaleRuns(actor: Actor, listId: string, connectionIds: string[]) {
    await db.bulk((sqlite) => {
      for (const cid of connectionIds) {
        for (const r of store.runningRuns(sqlite, listId, cid)) {
          const row = store.finishRun(sqlite, r.id, 'interrupted', INTERRUPTED);
          recordAuditSql(sqlite, { actor, action: 'list.sync.interrupted', entityType: 'suppression-list', entityId: listId, after: store.runView(row) });
        }
      }
    });
  }

  function desiredFor(list: ReturnType<ListsService['listOrThrow']>) {
    try {
      return desiredItems(list, lists.exportableEntries(list.id).map((e) => ({ searchKey: e.searchKey, values: JSON.parse(e.values) as Record<string, string>,
        reason: e.reason, addedBy: e.addedBy, addedAt: isoTime(e.addedAt)!, expiresAt: isoTime(e.expiresAt) })));
    } catch (e) {
      if (e instanceof WatchlistExportError) throw new AppError(422, e.message, { extra: { code: e.code } });
      throw e;
    }
  }

  /** Checks each plan against its workspace's remaining budget (two targets in one workspace share it). */
  function chargeBudgets(plans: TargetPlan[]) {
    const m = monthOf(new Date());
    const planned = new Map<string, number>();
    return plans.filter((p) => {
      const ws = p.target.workspaceId;
      p.budget = budgetOf(m.month, limit, store.changesSince(db.sqlite, ws, m.start) + (planned.get(ws) ?? 0));
      if (p.error) return false;
      const need = changeCount(p.diff);
      planned.set(ws, (planned.get(ws) ?? 0) + need);
      return need > p.budget.remaining;
    });
  }

  async function sync(actor: Actor, listId: string, req: SyncRequest = {}) {
    const list = lists.listOrThrow(db.sqlite, listId);
    const dryRun = req.dryRun ?? false;
    let chosen = store.targetsOf(db.sqlite, listId).map((t) => t.connectionId);
    if (!chosen.length) throw conflict(`list ${list.alias} has no target connections; set them with PUT /api/suppression-lists/${listId}/targets`);
    if (req.connectionId !== undefined) {
      if (!chosen.includes(req.connectionId)) throw conflict(`connection ${req.connectionId} is not a target of list ${list.alias}`);
      chosen = [req.connectionId];
    }
    const desired = desiredFor(list);
    const keys = chosen.map((c) => `${listId}|${c}`);
    const busy = keys.find((k) => running.has(k));
    if (busy) throw conflict(`a sync of list ${list.alias} to connection ${busy.split('|')[1]} is already running`);
    for (const k of keys) running.add(k);
    try {
      if (!dryRun) await closeStaleRuns(actor, listId, chosen);
      const plans: TargetPlan[] = [];
      for (const c of chosen) plans.push(await planTarget(deps, list, c, desired, req.signal));
      const over = chargeBudgets(plans);
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
      for (const k of keys) running.delete(k);
    }
  }

  return { sync, targets, setTargets, runs };
}

export type SyncService = ReturnType<typeof createSyncService>;
