import type { Db } from '../db/database.js';
import { iterateHits, type HitRow } from '../hits/hits-store.js';
import { evaluateHit, type EvalRule } from './evaluate.js';
import type { ContextLoader } from './evaluation-context.js';
import { fieldReader } from './hit-fields.js';
import { maliciousHitsHeldBy } from './malicious-rail.js';

export interface BacktestItem { id: string; huntId: string; deviceName: string | null; lastSeen: string | null; verdict: string | null; from: string; to: string }

export interface BacktestDraft {
  /** The stored rule the draft replaces, when it edits one. */
  ruleId?: string;
  compiled: Pick<EvalRule, 'holds' | 'explain'>;
  action: 'suppress' | 'flag';
  huntIds: readonly string[] | null;
  limit: number;
}

const bucket = () => ({ count: 0, malicious: 0, items: [] as BacktestItem[] });

/**
 * A dry run: evaluates every stored hit in scope with the current rules and with the draft in place (replacing
 * `ruleId` when the draft edits an existing rule), and reports the hits whose status would change. Nothing is written.
 * It uses the same evaluation as saving does, so saving the draft then does exactly what the backtest said.
 */
export async function backtest(db: Db, contexts: ContextLoader, draft: BacktestDraft) {
  const now = new Date();
  const current = await contexts.load(now);
  const draftRule: EvalRule = { id: draft.ruleId ?? 'draft', version: 0, action: draft.action,
    hunts: draft.huntIds ? new Set(draft.huntIds) : null, holds: draft.compiled.holds, explain: draft.compiled.explain };
  const proposed = await contexts.load(now, { rules: [draftRule], without: draft.ruleId });
  const held = new Set((await maliciousHitsHeldBy(db.sql, current.directory, draft.compiled, draft.huntIds)).map((h) => h.id));
  const out = { examined: 0, wouldSuppress: bucket(), wouldRelease: bucket(), wouldFlag: { count: 0, items: [] as BacktestItem[] },
    /** Hits with a malicious verdict the draft holds for: the rail keeps them visible, but an analyst must look. */
    maliciousMatched: { count: held.size, items: [] as BacktestItem[] } };
  const item = (h: HitRow, from: string, to: string): BacktestItem =>
    ({ id: h.id, huntId: h.huntId, deviceName: h.deviceName, lastSeen: h.lastSeen, verdict: h.verdict, from, to });
  const fields = await fieldReader(db.sql);
  // An edit may also release hits outside the new scope, so it looks at every hit.
  const affected = draft.ruleId || !draft.huntIds ? { all: true as const } : { huntIds: draft.huntIds };
  for await (const batch of iterateHits(db.sql, affected)) {
    for (const h of batch) {
      out.examined++;
      const hit = fields(h);
      const before = evaluateHit(current, h.huntId, hit, h.verdict).status;
      const after = evaluateHit(proposed, h.huntId, hit, h.verdict).status;
      if (held.has(h.id) && out.maliciousMatched.items.length < draft.limit) out.maliciousMatched.items.push(item(h, before, after));
      if (before === after) continue;
      const b = after === 'suppressed' ? out.wouldSuppress : before === 'suppressed' ? out.wouldRelease : null;
      if (b) {
        b.count++;
        if (h.verdict === 'malicious') b.malicious++;
        if (b.items.length < draft.limit) b.items.push(item(h, before, after));
      } else {
        out.wouldFlag.count++;
        if (out.wouldFlag.items.length < draft.limit) out.wouldFlag.items.push(item(h, before, after));
      }
    }
  }
  // Malicious hits are never suppressed (the rail), so "would suppress, malicious" means "matched, kept visible by the rail".
  out.wouldSuppress.malicious = held.size;
  return out;
}
