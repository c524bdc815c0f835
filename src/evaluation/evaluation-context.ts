import { foldAscii } from '../language/index.js';
import type { Db, Sql } from '../db/database.js';
import type { DirectoryReader } from '../directory/directory-service.js';
import { checkRuleText, compileRule } from '../rules/language.js';
import { activeRules, type ActiveRule } from '../rules/rules-store.js';
import { allLists } from '../suppression/lists-store.js';
import { activeEntries } from '../suppression/entries-store.js';
import type { EvalContext, EvalList, EvalRule } from './evaluate.js';

/**
 * Loads what evaluation needs at a moment in time: the rules that apply (compiled once per version and cached)
 * and active list entries. Expiry is decided here, against `now`, so an expired rule stops suppressing as soon as
 * anything re-evaluates, without a restart.
 */
export function createContextLoader(db: Db, directory: DirectoryReader) {
  const compiled = new Map<string, EvalRule>();

  function rule(row: ActiveRule): EvalRule | null {
    const cacheKey = `${row.id}@${row.version}`;
    let r = compiled.get(cacheKey);
    if (!r) {
      const c = compileRule(row.expression);
      if (!c) return null; // a stored rule that no longer compiles never suppresses
      r = { id: row.id, version: row.version, action: row.action, hunts: row.hunts ? new Set(row.hunts) : null, holds: c.holds, explain: c.explain };
      compiled.set(cacheKey, r);
      FIELDS_READ.set(r, canonicalFieldsOf(row.expression));
    }
    return r;
  }

  /**
   * `overrides` put a draft in place of (or next to) the stored rules: the backtest's "after". `sql` is the transaction
   * to read in, when the caller writes what it evaluates (ingest): then a rule saved meanwhile by another process is
   * either seen here or re-evaluates the hits after they are committed.
   */
  async function load(now: Date = new Date(), overrides: { rules?: EvalRule[]; without?: string; sql?: Sql } = {}): Promise<EvalContext> {
    const sql = overrides.sql ?? db.sql;
    const rules = (await activeRules(sql, now)).filter((r) => r.id !== overrides.without).map(rule).filter((r): r is EvalRule => r !== null);
    const byList = new Map<string, Map<string, string>>();
    for (const e of await activeEntries(sql, now)) {
      const m = byList.get(e.listId) ?? new Map<string, string>();
      m.set(foldAscii(e.searchKey), e.id);
      byList.set(e.listId, m);
    }
    const lists: EvalList[] = (await allLists(sql)).map((l) => ({
      id: l.id, hunts: new Set(l.hunts), keyColumns: l.keyColumns, entries: byList.get(l.id) ?? new Map(),
    }));
    return { rules: [...rules, ...(overrides.rules ?? [])], lists, directory: await directory.load(sql) };
  }

  return { load };
}

export type ContextLoader = ReturnType<typeof createContextLoader>;

// The canonical fields each stored rule reads, kept beside the compiled rule (EvalRule has no room for it). A rule
// not in here (a backtest's draft) reads an unknown set.
const FIELDS_READ = new WeakMap<EvalRule, ReadonlySet<string>>();

function canonicalFieldsOf(expression: string): ReadonlySet<string> {
  const c = checkRuleText(expression);
  const out = new Set<string>();
  if (c.ok) for (const f of c.rule.fields.values()) if (f.kind === 'canonical') out.add(f.name);
  // `user.group` is looked up by the hit's `user.name` (hitView), so reading the one reads the other.
  if (out.has('user.group')) out.add('user.name');
  return out;
}

/**
 * The canonical fields that the context's rules in scope for a hunt can read, or null when a rule's are unknown and
 * every field is needed. Lists read raw columns only. Deriving just these gives every rule the same values as
 * deriving all of them, and re-evaluation then skips most of the normalising.
 */
export function fieldsReadFor(ctx: EvalContext, huntId: string): ReadonlySet<string> | null {
  const out = new Set<string>();
  for (const r of ctx.rules) {
    if (r.hunts && !r.hunts.has(huntId)) continue;
    const read = FIELDS_READ.get(r);
    if (!read) return null;
    for (const f of read) out.add(f);
  }
  return out;
}
