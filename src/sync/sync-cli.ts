import type { Actor } from '../core/actor.js';
import { AppError } from '../http/errors.js';
import type { Services } from '../services.js';
import type { TargetResult } from './sync-target.js';

type Out = { write(text: string): unknown };

export interface SyncCommand { dryRun: boolean; list?: string; connection?: string }

function describe(r: TargetResult, dryRun: boolean): string {
  const c = r.counts;
  const head = `${r.connectionName} (${r.workspaceName}): ${dryRun ? 'dry run' : r.status}`
    + (r.watchlist === 'absent' ? ', no watchlist yet (a sync creates it)' : r.watchlist === 'created' ? ', watchlist created' : '');
  const counts = dryRun
    ? `would create ${c.create}, update ${c.update}, delete ${c.delete}; ${c.unchanged} unchanged`
    : `created ${r.applied.created}, updated ${r.applied.updated}, deleted ${r.applied.deleted} of ${c.create}/${c.update}/${c.delete} planned; ${c.unchanged} unchanged`;
  const budget = `changes in ${r.budget.month}: ${r.budget.used} of ${r.budget.limit}${r.exceedsBudget ? ' (this diff exceeds what is left)' : ''}`;
  const lines = [`  ${head}`, `    ${counts}; ${budget}`];
  if (r.error) lines.push(`    error: ${r.error}`);
  if (dryRun) {
    for (const k of r.diff.delete) lines.push(`    - ${k}`);
    for (const k of r.diff.update) lines.push(`    ~ ${k}`);
    for (const k of r.diff.create) lines.push(`    + ${k}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `quell sync [--dry-run] [--list ALIAS|ID] [--connection NAME|ID]`: syncs (or, with --dry-run, shows the diff of) every
 * list that has targets, or the one named. Exit 1 when a list could not be synced to one of its targets.
 */
export async function syncCommand(services: Pick<Services, 'lists' | 'sync' | 'connections'>, actor: Actor, cmd: SyncCommand, out: Out, err: Out): Promise<number> {
  const all = await services.lists.lists();
  let lists: typeof all = [];
  for (const l of all) if ((await services.sync.targets(l.id)).targets.length > 0) lists.push(l);
  if (cmd.list !== undefined) {
    const found = all.find((l) => l.id === cmd.list || l.alias === cmd.list);
    if (!found) { err.write(`quell: no suppression list with alias or id ${cmd.list}\n`); return 1; }
    lists = [found];
  }
  let connectionId: string | undefined;
  if (cmd.connection !== undefined) {
    connectionId = (await services.connections.list()).find((c) => c.id === cmd.connection || c.name === cmd.connection)?.id;
    if (!connectionId) { err.write(`quell: no connection with name or id ${cmd.connection}\n`); return 1; }
  }
  if (!lists.length) { err.write('quell: no suppression list has a target connection (PUT /api/suppression-lists/:id/targets)\n'); return 0; }
  let failed = false;
  for (const list of lists) {
    if (connectionId && !(await services.sync.targets(list.id)).targets.some((t) => t.connectionId === connectionId)) continue;
    try {
      const res = await services.sync.sync(actor, list.id, { dryRun: cmd.dryRun, connectionId });
      out.write(`${list.alias}\n${res.results.map((r) => describe(r, cmd.dryRun)).join('')}`);
      if (res.results.some((r) => r.status === 'failed')) failed = true;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      err.write(`quell: ${list.alias}: ${e.message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}
