import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { uuidv7 } from '../db/ids.js';
import type { ConnectionResolver } from '../connections/connection-resolver.js';
import type { AzureClientOptions } from '../connections/azure-options.js';
import { WATCHLIST_PROVIDER } from '../suppression/export/index.js';
import { budgetOf, type Budget } from './budget.js';
import type { DesiredItem } from './desired-items.js';
import { runPool } from './pool.js';
import { SentinelError, sentinelWatchlists, type WatchlistGateway } from './sentinel-watchlists.js';
import * as store from './sync-store.js';
import { changeCount, diffWatchlist, type ItemChange, type WatchlistDiff } from './watchlist-diff.js';

export interface SyncList { id: string; alias: string; displayName: string; description: string }
export interface TargetInfo { connectionId: string; connectionName: string; workspaceName: string; workspaceId: string }

/** What a sync found for one target before writing anything. */
export interface TargetPlan {
  target: TargetInfo;
  gateway: WatchlistGateway;
  watchlist: 'existing' | 'absent';
  diff: WatchlistDiff;
  error: string | null;
  budget?: Budget;
}

const NO_DIFF: WatchlistDiff = { create: [], update: [], delete: [], unchanged: 0 };

export interface TargetDeps {
  db: Db;
  connections: ConnectionResolver;
  clientOptions: AzureClientOptions;
  concurrency: number;
  requestTimeoutMs: number;
}

/** Reads the target's watchlist and its items and computes the difference; a Sentinel failure is the plan's error. */
export async function planTarget(deps: TargetDeps, list: SyncList, connectionId: string, desired: readonly DesiredItem[], signal?: AbortSignal): Promise<TargetPlan> {
  const conn = await deps.connections.resolve(connectionId);
  const target = { connectionId, connectionName: conn.name, workspaceName: conn.workspaceName, workspaceId: conn.workspaceId };
  const gateway = sentinelWatchlists(conn, { ...deps.clientOptions, requestTimeoutMs: deps.requestTimeoutMs, signal });
  try {
    const wl = await gateway.getWatchlist(list.alias);
    if (wl && (wl.provider ?? '').toLowerCase() !== WATCHLIST_PROVIDER.toLowerCase()) {
      return { target, gateway, watchlist: 'existing', diff: NO_DIFF, error: `watchlist ${list.alias} in ${conn.workspaceName} was not created by Quell `
        + `(its provider is ${JSON.stringify(wl.provider ?? '')}); Quell changes only watchlists it owns. Give the list another alias, or delete that watchlist.` };
    }
    if (wl && wl.itemsSearchKey !== undefined && wl.itemsSearchKey !== 'SearchKey') {
      return { target, gateway, watchlist: 'existing', diff: NO_DIFF,
        error: `watchlist ${list.alias} in ${conn.workspaceName} is keyed on ${wl.itemsSearchKey}, not SearchKey; delete it and sync again` };
    }
    const current = wl ? await gateway.listItems(list.alias) : [];
    return { target, gateway, watchlist: wl ? 'existing' : 'absent', diff: diffWatchlist(desired, current), error: null };
  } catch (e) {
    if (e instanceof SentinelError) return { target, gateway, watchlist: 'existing', diff: NO_DIFF, error: e.message };
    throw e;
  }
}

const keys = (ops: ItemChange[]) => ops.map((o) => o.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The answer for one target: the diff as keys, counts, what was applied, the month's budget after this sync. */
export function targetResult(plan: TargetPlan, run: store.RunRow, watchlist: 'existing' | 'absent' | 'created') {
  const v = store.runView(run);
  const before = plan.budget!;
  return {
    ...plan.target, runId: run.id, status: v.status, watchlist,
    diff: { create: keys(plan.diff.create), update: keys(plan.diff.update), delete: keys(plan.diff.delete) },
    counts: { create: plan.diff.create.length, update: plan.diff.update.length, delete: plan.diff.delete.length, unchanged: plan.diff.unchanged },
    applied: v.applied, error: v.error,
    budget: budgetOf(before.month, before.limit, before.used + v.applied.created + v.applied.updated + v.applied.deleted),
    exceedsBudget: changeCount(plan.diff) > before.remaining,
  };
}
export type TargetResult = ReturnType<typeof targetResult>;

function newRun(list: SyncList, plan: TargetPlan, actor: Actor, dryRun: boolean, status: store.RunStatus): store.RunRow {
  return {
    id: uuidv7(), listId: list.id, connectionId: plan.target.connectionId, connectionName: plan.target.connectionName,
    workspaceId: plan.target.workspaceId, watchlistAlias: list.alias, dryRun, status, startedAt: new Date().toISOString(), finishedAt: null,
    startedBy: actor.name, plannedCreate: plan.diff.create.length, plannedUpdate: plan.diff.update.length, plannedDelete: plan.diff.delete.length,
    created: 0, updated: 0, deleted: 0, error: null,
  };
}

/**
 * Counts applied item changes on the run row, off the path of the next write: changes that complete while a count is
 * being stored share the next one (group commit), so the row trails Sentinel by at most the writes of one flush.
 */
function appliedCounter(db: Db, runId: string) {
  const pending: Record<store.AppliedColumn, number> = { created: 0, updated: 0, deleted: 0 };
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();
  // A failed store is kept for settle(): a rejection nobody awaits yet would end the process.
  let failure: { error: unknown } | undefined;
  const flush = () => {
    scheduled = false;
    const batch = { ...pending };
    pending.created = pending.updated = pending.deleted = 0;
    return db.bulk(async (sql) => {
      for (const c of ['created', 'updated', 'deleted'] as const) if (batch[c]) await store.countApplied(sql, runId, c, batch[c]);
    });
  };
  return {
    add(column: store.AppliedColumn) {
      pending[column]++;
      if (!scheduled) { scheduled = true; chain = chain.then(flush).catch((error: unknown) => { failure ??= { error }; }); }
    },
    /** Resolves once every counted change is stored. */
    async settle() {
      await chain;
      if (failure) throw failure.error;
    },
  };
}

const auditRun = (run: store.RunRow, extra: Record<string, unknown> = {}) => ({ ...store.runView(run), ...extra });

/** A run that writes nothing to Sentinel (dry run, refused, or failed while reading), recorded and audited at once. */
export async function recordRun(deps: TargetDeps, actor: Actor, list: SyncList, plan: TargetPlan, status: 'dry-run' | 'refused' | 'failed', error: string | null) {
  const run = { ...newRun(list, plan, actor, status === 'dry-run', status), finishedAt: new Date().toISOString(), error };
  await deps.db.bulk(async (sql) => {
    await store.insertRun(sql, run);
    await recordAuditSql(sql, { actor, action: 'list.sync', entityType: 'suppression-list', entityId: list.id, after: auditRun(run, { watchlist: plan.watchlist }) });
  });
  return targetResult(plan, run, plan.watchlist);
}

/**
 * Applies a plan. The run row is written first and each item write is counted as it succeeds, so a process killed
 * half-way leaves an honest record; nothing else about progress is kept, because the next sync re-reads the watchlist
 * and the deterministic item ids make re-sent writes overwrite. Deletes go first: a revoked key may be hiding an
 * attack, so it leaves Sentinel before anything new is added.
 */
export async function applyPlan(deps: TargetDeps, actor: Actor, list: SyncList, plan: TargetPlan) {
  const run = newRun(list, plan, actor, false, 'running');
  await deps.db.bulk(async (sql) => {
    await store.insertRun(sql, run);
    await recordAuditSql(sql, { actor, action: 'list.sync.start', entityType: 'suppression-list', entityId: list.id, after: auditRun(run) });
  });
  const count = appliedCounter(deps.db, run.id);
  let watchlist: 'existing' | 'created' = 'existing';
  let error: string | null = null;
  try {
    if (plan.watchlist === 'absent') {
      await plan.gateway.createWatchlist(list.alias, { displayName: list.displayName, description: list.description });
      watchlist = 'created';
    }
    await runPool(plan.diff.delete, deps.concurrency, async (op) => {
      if ((await plan.gateway.deleteItem(list.alias, op.id)) === 'deleted') count.add('deleted');
    });
    const puts = [...plan.diff.update.map((op) => ({ op, column: 'updated' as const })), ...plan.diff.create.map((op) => ({ op, column: 'created' as const }))];
    await runPool(puts, deps.concurrency, async ({ op, column }) => {
      await plan.gateway.putItem(list.alias, op.id, op.values!);
      count.add(column);
    });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  await count.settle();
  const finished = await deps.db.bulk(async (sql) => {
    const row = await store.finishRun(sql, run.id, error ? 'failed' : 'succeeded', error);
    await recordAuditSql(sql, { actor, action: 'list.sync', entityType: 'suppression-list', entityId: list.id, after: auditRun(row, { watchlist }) });
    return row;
  });
  return targetResult(plan, finished, watchlist);
}

