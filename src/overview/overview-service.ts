import type { Db } from '../db/database.js';
import { isoTime } from '../db/time.js';
import { hitCountsByDay, queueAgeCounts, topSuppressingRules, QUEUE_AGE_BUCKETS } from '../hits/hits-store.js';
import { ruleNamesByIds } from '../rules/rules-store.js';
import { verdictCountsByAnalyst } from '../verdicts/verdicts-store.js';
import { entriesExpiringBy } from '../suppression/entries-store.js';
import { listAliasesByIds } from '../suppression/lists-store.js';

const DAY_MS = 86_400_000;
const EXPIRY_HORIZON_DAYS = 14;
const TOP_RULES = 10;
const EXPIRING_MAX = 50;

/**
 * The SOC lead's page: what came in and how it was triaged over the last `days` UTC days (today included), and what
 * stands now (the rules doing the suppressing, the age of the open queue, the list entries about to lapse).
 * It reads through the other features' stores; it owns no table.
 */
export function createOverviewService(db: Db) {
  async function overview(days: number, now: Date = new Date()) {
    const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const from = new Date(todayStart - (days - 1) * DAY_MS);
    const to = new Date(todayStart + DAY_MS);

    const byDay = new Map<string, { day: string; open: number; flagged: number; suppressed: number }>();
    for (let i = 0; i < days; i++) {
      const day = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
      byDay.set(day, { day, open: 0, flagged: 0, suppressed: 0 });
    }
    for (const r of await hitCountsByDay(db.sql, from, to)) {
      const d = byDay.get(r.day);
      if (d && (r.status === 'open' || r.status === 'flagged' || r.status === 'suppressed')) d[r.status] += r.n;
    }

    const top = await topSuppressingRules(db.sql, TOP_RULES);
    const names = await ruleNamesByIds(db.sql, top.map((r) => r.ruleId));

    const age = await queueAgeCounts(db.sql, now);

    const analysts = new Map<string, { analyst: string; benign: number; malicious: number }>();
    for (const r of await verdictCountsByAnalyst(db.sql, from, to)) {
      const a = analysts.get(r.analyst) ?? { analyst: r.analyst, benign: 0, malicious: 0 };
      if (r.verdict === 'benign' || r.verdict === 'malicious') a[r.verdict] += r.n;
      analysts.set(r.analyst, a);
    }
    const total = (a: { benign: number; malicious: number }) => a.benign + a.malicious;

    const expiring = await entriesExpiringBy(db.sql, now, new Date(now.getTime() + EXPIRY_HORIZON_DAYS * DAY_MS), EXPIRING_MAX);
    const aliases = await listAliasesByIds(db.sql, expiring.map((e) => e.listId));

    return {
      days,
      hitsByDay: [...byDay.values()],
      topRules: top.map((r) => ({ ruleId: r.ruleId, name: names.get(r.ruleId) ?? r.ruleId, suppressed: r.n })),
      queueAge: QUEUE_AGE_BUCKETS.map((bucket) => ({ bucket, count: age[bucket] })),
      verdictsByAnalyst: [...analysts.values()].sort((a, b) => total(b) - total(a) || a.analyst.localeCompare(b.analyst)),
      expiringEntries: expiring.map((e) => ({ listId: e.listId, alias: aliases.get(e.listId) ?? e.listId, entryId: e.id,
        searchKey: e.searchKey, expiresAt: isoTime(e.expiresAt)! })),
    };
  }
  return { overview };
}

export type OverviewService = ReturnType<typeof createOverviewService>;
