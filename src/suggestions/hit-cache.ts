import type { Db } from '../db/database.js';
import { listKeyOf } from '../evaluation/evaluate.js';
import { fieldReader } from '../evaluation/hit-fields.js';
import { findHitsByIds, hitSourcesOfHunt, hitStatesOfHunt } from '../hits/hits-store.js';
import { foldAscii } from '../language/index.js';
import type { ListRecord } from '../suppression/lists-store.js';
import { ATOM_FIELDS } from './atoms.js';
import type { KeyedHit } from './entry-suggestions.js';
import type { MinedHit } from './mine.js';

export type SuggestionHit = MinedHit & KeyedHit;
type Known = { at: string; fields: Readonly<Record<string, unknown>>; keys: KeyedHit['keys'] };

/**
 * The hits of one hunt as mining reads them. Deriving every hit's fields is most of the work, and a hit's fields
 * change only when it is written (its updatedAt changes), so they are kept between calls for the hunt last asked
 * about — only the fields mining reads, and each hit's key in every list serving the hunt (a change of those lists
 * starts afresh).
 */
export function createHitCache(db: Db) {
  let cache: { id: string; byId: Map<string, Known> } | null = null;

  return function load(huntId: string, lists: readonly ListRecord[]): SuggestionHit[] {
    const id = JSON.stringify([huntId, lists.map((l) => [l.id, l.keyColumns])]);
    if (cache?.id !== id) cache = { id, byId: new Map() };
    const known = cache.byId;
    const fields = fieldReader(db.sqlite, () => ATOM_FIELDS);
    const derive = (h: { id: string; huntId: string; updatedAt: string; table: string | null; raw: string }) => {
      const v = fields(h);
      known.set(h.id, { at: h.updatedAt, fields: v.fields, keys: lists.map((l) => {
        const searchKey = listKeyOf(v.raw, l.keyColumns);
        return searchKey === null ? null : { searchKey, folded: foldAscii(searchKey), values: Object.fromEntries(l.keyColumns.map((c) => [c, String(v.raw[c])])) };
      }) });
    };
    // A first call reads the hunt in one pass; later ones read states and look up only the hits written since.
    let states: { id: string; updatedAt: string; verdict: string | null; status: string }[];
    if (known.size === 0) {
      states = [];
      for (const h of hitSourcesOfHunt(db.sqlite, huntId)) {
        derive(Object.assign(h, { huntId }));
        states.push({ id: h.id, updatedAt: h.updatedAt, verdict: h.verdict, status: h.status });
      }
    } else {
      states = hitStatesOfHunt(db.sqlite, huntId);
      const stale = states.filter((h) => known.get(h.id)?.at !== h.updatedAt).map((h) => h.id);
      for (let i = 0; i < stale.length; i += 5_000) for (const h of findHitsByIds(db.sqlite, stale.slice(i, i + 5_000))) derive(h);
    }
    if (known.size > states.length) { const live = new Set(states.map((h) => h.id)); for (const k of known.keys()) if (!live.has(k)) known.delete(k); }
    const out: SuggestionHit[] = [];
    for (const h of states) {
      const c = known.get(h.id);
      if (!c) continue;
      out.push({ id: h.id, fields: c.fields, keys: c.keys, suppressed: h.status === 'suppressed',
        verdict: h.verdict === 'benign' || h.verdict === 'malicious' ? h.verdict : null });
    }
    return out;
  };
}
