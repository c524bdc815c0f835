import type { Db } from '../db/database.js';
import { sqlTime } from '../db/time.js';
import type { DirectoryService } from '../directory/directory-service.js';
import { compileRule } from '../rules/language.js';
import type { EvalContext, EvalList, EvalRule } from './evaluate.js';

interface RuleRow { id: string; version: number | bigint; expression: string; action: string; allHunts: number | bigint; hunts: string }

/**
 * Loads what evaluation needs at a moment in time: enabled, unexpired rules (compiled once per version and cached)
 * and active list entries. Expiry is decided here, against `now`, so an expired rule stops suppressing as soon as
 * anything re-evaluates, without a restart.
 */
export function createContextLoader(db: Db, directory: DirectoryService) {
  const compiled = new Map<string, EvalRule>();

  function rule(row: RuleRow): EvalRule | null {
    const cacheKey = `${row.id}@${row.version}`;
    let r = compiled.get(cacheKey);
    if (!r) {
      const c = compileRule(row.expression);
      if (!c) return null; // a stored rule that no longer compiles never suppresses
      const hunts = Number(row.allHunts) ? null : new Set(JSON.parse(row.hunts) as string[]);
      r = { id: row.id, version: Number(row.version), action: row.action as 'suppress' | 'flag', hunts, holds: c.holds, explain: c.explain };
      compiled.set(cacheKey, r);
    }
    return r;
  }

  function load(now: Date = new Date(), overrides: { rules?: EvalRule[]; without?: string } = {}): EvalContext {
    const t = sqlTime(now);
    const rows = db.sqlite.prepare(`SELECT "id", "version", "expression", "action", "allHunts", "hunts" FROM "Rule"
      WHERE "enabled" = 1 AND "retired" = 0 AND ("expiresAt" IS NULL OR "expiresAt" > ?) ORDER BY "id"`).all(t) as RuleRow[];
    const rules = rows.filter((r) => r.id !== overrides.without).map(rule).filter((r): r is EvalRule => r !== null);
    const lists = db.sqlite.prepare('SELECT "id", "hunts", "keyColumns" FROM "SuppressionList"').all() as
      { id: string; hunts: string; keyColumns: string }[];
    const entries = db.sqlite.prepare(`SELECT "id", "listId", "searchKey" FROM "SuppressionEntry"
      WHERE "status" = 'active' AND ("expiresAt" IS NULL OR "expiresAt" > ?)`).all(t) as { id: string; listId: string; searchKey: string }[];
    const byList = new Map<string, Map<string, string>>();
    for (const e of entries) {
      const m = byList.get(e.listId) ?? new Map<string, string>();
      m.set(e.searchKey.toLowerCase(), e.id);
      byList.set(e.listId, m);
    }
    const evalLists: EvalList[] = lists.map((l) => ({
      id: l.id, hunts: new Set(JSON.parse(l.hunts) as string[]), keyColumns: JSON.parse(l.keyColumns) as string[],
      entries: byList.get(l.id) ?? new Map(),
    }));
    return { rules: [...rules, ...(overrides.rules ?? [])], lists: evalLists, directory: directory.load() };
  }

  return { load, rule };
}

export type ContextLoader = ReturnType<typeof createContextLoader>;
