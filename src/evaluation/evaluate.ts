import { foldAscii } from '../language/index.js';
import type { Directory } from '../directory/directory-service.js';
import { userKey } from '../directory/directory-service.js';

export type HitStatus = 'open' | 'flagged' | 'suppressed';

/** A rule ready to run: compiled once per (id, version), never per hit. */
export interface EvalRule {
  id: string;
  version: number;
  action: 'suppress' | 'flag';
  /** null: every hunt. */
  hunts: ReadonlySet<string> | null;
  /** True only when the expression is true; unknown (missing fields) never suppresses. */
  holds(hit: HitInput): boolean;
  /** Three-valued result (null: unknown) with the clause-level explanation; computed only when a hit is shown. */
  explain(hit: HitInput): Explained;
}

export interface EvalList {
  id: string;
  hunts: ReadonlySet<string>;
  keyColumns: readonly string[];
  /** Active (approved, unrevoked, unexpired) entries by lower-cased SearchKey → entry id. */
  entries: ReadonlyMap<string, string>;
}

export interface EvalContext {
  rules: readonly EvalRule[];
  lists: readonly EvalList[];
  directory: Directory;
}

export interface Explained { result: boolean | null; clauses: string[] }

export interface HitInput {
  fields: Readonly<Record<string, unknown>>;
  raw: Readonly<Record<string, unknown>>;
}

export type Match =
  | { ruleId: string; ruleVersion: number; action: 'suppress' | 'flag'; explanation?: string[]; overridden?: 'malicious-verdict' }
  | { listId: string; entryId: string; searchKey: string; overridden?: 'malicious-verdict' };

export interface Evaluation { status: HitStatus; matches: Match[] }

/** The hit as rules see it: canonical fields plus `user.group` from the directory (absent when the user is not listed). */
export function hitView(hit: HitInput, directory: Directory): HitInput {
  const user = hit.fields['user.name'];
  const groups = typeof user === 'string' ? directory.get(userKey(user)) : undefined;
  return groups ? { fields: { ...hit.fields, 'user.group': groups }, raw: hit.raw } : hit;
}

/** The list key of a hit: its values of the key columns joined with `|` (Sentinel SearchKey), or null when one is missing. */
export function listKeyOf(raw: Readonly<Record<string, unknown>>, keyColumns: readonly string[]): string | null {
  const parts: string[] = [];
  for (const c of keyColumns) {
    const v = raw[c];
    if (v === undefined || v === null || v === '') return null;
    parts.push(String(v));
  }
  return parts.join('|');
}

/**
 * SPEC §5: suppressed if any suppress rule or active list entry holds, else flagged if a flag rule holds, else open.
 * A hit with a malicious verdict is never suppressed: its matches are kept, marked overridden, so the analyst sees why.
 */
export function evaluateHit(ctx: EvalContext, huntId: string, hit: HitInput, verdict: string | null, opts: { explain?: boolean } = {}): Evaluation {
  const view = hitView(hit, ctx.directory);
  const pinned = verdict === 'malicious';
  const matches: Match[] = [];
  let suppress = false, flag = false;
  for (const rule of ctx.rules) {
    if (rule.hunts && !rule.hunts.has(huntId)) continue;
    if (!rule.holds(view)) continue;
    const overridden = pinned && rule.action === 'suppress';
    // Explanations are rendered when a hit is shown, not stored: a bulk ingest would otherwise write a paragraph per hit.
    matches.push({ ruleId: rule.id, ruleVersion: rule.version, action: rule.action,
      ...(opts.explain ? { explanation: rule.explain(view).clauses } : {}), ...(overridden ? { overridden: 'malicious-verdict' as const } : {}) });
    if (rule.action === 'flag') flag = true; else if (!overridden) suppress = true;
  }
  for (const list of ctx.lists) {
    if (!list.hunts.has(huntId)) continue;
    const key = listKeyOf(hit.raw, list.keyColumns);
    if (key === null) continue;
    // Compared case-insensitively, as the tuned query's `!in~` does in Sentinel.
    const entryId = list.entries.get(foldAscii(key));
    if (!entryId) continue;
    matches.push({ listId: list.id, entryId, searchKey: key, ...(pinned ? { overridden: 'malicious-verdict' as const } : {}) });
    if (!pinned) suppress = true;
  }
  return { status: suppress ? 'suppressed' : flag ? 'flagged' : 'open', matches };
}

/** One rule in a hit's scope, explained: whether it holds (true), does not (false) or cannot tell (null), and why. */
export interface RuleExplanation { ruleId: string; ruleVersion: number; action: 'suppress' | 'flag'; result: boolean | null; clauses: string[] }

/**
 * Every rule of the context whose scope includes the hunt, explained clause by clause, in the context's rule order.
 * What a hit detail shows: the explanation of the rules that hold, and the near misses (the rules that do not) with the
 * clause that failed or was unknown. The same hit view as evaluateHit, so the two never disagree.
 */
export function explainAll(ctx: EvalContext, huntId: string, hit: HitInput): RuleExplanation[] {
  const view = hitView(hit, ctx.directory);
  return ctx.rules.filter((r) => !r.hunts || r.hunts.has(huntId)).map((rule) => {
    const { result, clauses } = rule.explain(view);
    return { ruleId: rule.id, ruleVersion: rule.version, action: rule.action, result, clauses };
  });
}
