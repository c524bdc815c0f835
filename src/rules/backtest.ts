import type { Db } from '../db/database.js';
import { iterateHits } from '../hits/hits-store.js';
import { evaluateHit, hitView, type EvalRule } from '../hits/evaluate.js';
import type { ContextLoader } from '../hits/evaluation-context.js';
import type { CompiledRule } from './language.js';
import { fieldReader, storedHit } from '../hits/hit-fields.js';

export interface BacktestItem { id: string; huntId: string; deviceName: string | null; lastSeen: string | null; verdict: string | null; from: string; to: string }

/**
 * A dry run: evaluates every stored hit in scope with the current rules and with the draft in place (replacing
 * `ruleId` when the draft edits an existing rule), and reports the hits whose status would change. Nothing is written.
 * It uses the same evaluation as saving does, so saving the draft then does exactly what the backtest said.
 */
export function backtest(db: Db, contexts: ContextLoader, draft: {
  ruleId?: string; compiled: CompiledRule; action: 'suppress' | 'flag'; huntIds: readonly string[] | null; limit: number;
}) {
  const now = new Date();
  const current = contexts.load(now);
  const draftRule: EvalRule = { id: draft.ruleId ?? 'draft', version: 0, action: draft.action,
    hunts: draft.huntIds ? new Set(draft.huntIds) : null, holds: draft.compiled.holds, explain: draft.compiled.explain };
  const proposed = contexts.load(now, { rules: [draftRule], without: draft.ruleId });
  const affected = draft.ruleId ? null : draft.huntIds; // an edit may also release hits outside the new scope
  const where = affected ? `"huntId" IN (${affected.map(() => '?').join(',')})` : '1 = 1';
  const out = { examined: 0, wouldSuppress: { count: 0, malicious: 0, items: [] as BacktestItem[] },
    wouldRelease: { count: 0, malicious: 0, items: [] as BacktestItem[] }, wouldFlag: { count: 0, items: [] as BacktestItem[] },
    /** Hits with a malicious verdict the draft holds for: the rail keeps them visible, but an analyst must look. */
    maliciousMatched: { count: 0, items: [] as BacktestItem[] } };
  const fields = fieldReader(db.sqlite);
  for (const batch of iterateHits(db.sqlite, where, affected ? [...affected] : [])) {
    for (const h of batch) {
      out.examined++;
      const hit = storedHit(fields, h.huntId, h.raw);
      const before = evaluateHit(current, h.huntId, hit, h.verdict).status;
      const after = evaluateHit(proposed, h.huntId, hit, h.verdict).status;
      if (h.verdict === 'malicious' && (!draft.huntIds || draft.huntIds.includes(h.huntId))
        && draft.compiled.holds(hitView(hit, current.directory))) {
        out.maliciousMatched.count++;
        if (out.maliciousMatched.items.length < draft.limit) {
          out.maliciousMatched.items.push({ id: h.id, huntId: h.huntId, deviceName: h.deviceName, lastSeen: h.lastSeen, verdict: h.verdict, from: before, to: after });
        }
      }
      if (before === after) continue;
      const item: BacktestItem = { id: h.id, huntId: h.huntId, deviceName: h.deviceName, lastSeen: h.lastSeen, verdict: h.verdict, from: before, to: after };
      const bucket = after === 'suppressed' ? out.wouldSuppress : before === 'suppressed' ? out.wouldRelease : null;
      if (bucket) {
        bucket.count++;
        if (h.verdict === 'malicious') bucket.malicious++;
        if (bucket.items.length < draft.limit) bucket.items.push(item);
      } else {
        out.wouldFlag.count++;
        if (out.wouldFlag.items.length < draft.limit) out.wouldFlag.items.push(item);
      }
    }
  }
  // Malicious hits are never suppressed (the rail), so "would suppress, malicious" means "matched, kept visible by the rail".
  out.wouldSuppress.malicious = out.maliciousMatched.count;
  return out;
}
