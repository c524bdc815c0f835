import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { expiredEnabledRuleIds } from '../rules/rules-store.js';
import { expiredActiveEntryIds } from '../suppression/entries-store.js';
import type { Reevaluator } from './reevaluate.js';
import { every } from '../core/every.js';
import { createLease } from '../core/lease.js';

const INTERVAL_MS = 30_000;

/**
 * Rules and list entries expire by the clock, not by an edit, so nothing else would re-evaluate their hits.
 * Every 30 s the sweeper re-evaluates the hits whose stored matches name a newly expired rule or entry: a hit
 * suppressed only by an expired rule is back in the open queue within a minute, without a restart.
 */
export function createExpirySweeper(db: Db, reevaluator: Reevaluator, logger: Logger) {
  const handled = new Set<string>();
  let running = false;

  async function sweep(now: Date = new Date()) {
    if (running) return { expired: 0, changed: 0 };
    running = true;
    try {
      const ids = [...await expiredEnabledRuleIds(db.sql, now), ...await expiredActiveEntryIds(db.sql, now)].filter((id) => !handled.has(id));
      if (!ids.length) return { expired: 0, changed: 0 };
      const result = await reevaluator.reevaluate({ mentioning: ids }, { now });
      ids.forEach((id) => handled.add(id));
      if (result.changed) logger.info({ expired: ids, changed: result.changed }, 'expired rules and entries released their hits');
      return { expired: ids.length, changed: result.changed };
    } finally {
      running = false;
    }
  }

  // One sweeper among several processes; a lease lapses three sweeps after its holder stops renewing it.
  return { sweep, ...every(INTERVAL_MS, () => sweep(), logger, 'expiry sweep', createLease(db, 'expiry-sweeper', 3 * INTERVAL_MS)) };
}
