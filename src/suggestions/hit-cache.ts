import type { Db } from '../db/database.js';
import { listKeyOf } from '../evaluation/evaluate.js';
import { fieldReader } from '../evaluation/hit-fields.js';
import { hitCellsByIds, hitCellsOfHunt, type HitCells } from '../hits/hits-store.js';
import { foldAscii } from '../language/index.js';
import type { ListRecord } from '../suppression/lists-store.js';
import { ATOM_FIELDS } from './atoms.js';
import type { KeyedHit } from './entry-suggestions.js';
import type { MinedHit } from './mine.js';

export type SuggestionHit = MinedHit & KeyedHit;
// The cache's own object per hit: its state (verdict, suppressed) is refreshed in place on each load, so a call does
// not allocate a hundred thousand objects anew. Callers only read it.
type Known = SuggestionHit & { at: string };
interface HuntEntry { lists: string; byId: Map<string, Known> }

/** Hits whose derivations are kept, over all hunts: about 400 bytes each. */
const MAX_CACHED_HITS = 300_000;

/**
 * The hits of a hunt as mining reads them. Deriving every hit's fields is most of the work, and a hit's fields
 * change only when it is written (its updatedAt changes), so they are kept between calls for the hunts asked about
 * last, as many as fit in `maxHits` — only the fields mining reads, and each hit's key in every list serving the hunt
 * (a change of those lists starts that hunt afresh).
 */
export function createHitCache(db: Db, maxHits = MAX_CACHED_HITS) {
  const hunts = new Map<string, HuntEntry>(); // least recently used first

  function entryOf(huntId: string, lists: readonly ListRecord[]): HuntEntry {
    const id = JSON.stringify(lists.map((l) => [l.id, l.keyColumns]));
    let e = hunts.get(huntId);
    if (e?.lists !== id) e = { lists: id, byId: new Map() };
    hunts.delete(huntId);
    hunts.set(huntId, e);
    return e;
  }

  function evict() {
    let total = 0;
    for (const e of hunts.values()) total += e.byId.size;
    for (const [id, e] of hunts) {
      if (total <= maxHits || hunts.size === 1) break;
      total -= e.byId.size;
      hunts.delete(id);
    }
  }

  async function deriver(huntId: string, lists: readonly ListRecord[], known: Map<string, Known>) {
    const fields = await fieldReader(db.sql, () => ATOM_FIELDS);
    return (c: HitCells): Known => {
      const v = fields({ huntId, table: c[4], raw: c[5]! });
      const k: Known = { id: c[0], at: c[1], fields: v.fields, keys: lists.map((l) => {
        const searchKey = listKeyOf(v.raw, l.keyColumns);
        return searchKey === null ? null : { searchKey, folded: foldAscii(searchKey), values: Object.fromEntries(l.keyColumns.map((col) => [col, String(v.raw[col])])) };
      }), suppressed: false, verdict: null };
      known.set(c[0], k);
      return k;
    };
  }

  const hitOf = (c: HitCells, k: Known): SuggestionHit => {
    k.suppressed = c[3] === 'suppressed';
    k.verdict = c[2] === 'benign' || c[2] === 'malicious' ? c[2] : null;
    return k;
  };

  /**
   * The hunt's hits with their current verdict and status. Both reads come first and the cached objects are refreshed
   * after the last await, all at once: a caller that uses the answer before awaiting anything else sees one state,
   * even when another call of this process refreshes the same objects later.
   */
  async function load(huntId: string, lists: readonly ListRecord[]): Promise<SuggestionHit[]> {
    const e = entryOf(huntId, lists);
    const known = e.byId;
    // Nothing known: one pass reads and derives the whole hunt. Otherwise states first, then only what changed.
    const withSource = known.size === 0;
    const cells = await hitCellsOfHunt(db.sql, huntId, withSource);
    const staleIds = withSource ? [] : cells.filter((c) => known.get(c[0])?.at !== c[1]).map((c) => c[0]);
    const fresh = new Map((await hitCellsByIds(db.sql, staleIds)).map((c) => [c[0], c]));
    const derive = await deriver(huntId, lists, known);
    const hits: SuggestionHit[] = [];
    for (const c of cells) {
      const k = known.get(c[0]);
      if (k && k.at === c[1]) hits.push(hitOf(c, k));
      else if (withSource) hits.push(hitOf(c, derive(c)));
      else {
        const f = fresh.get(c[0]);
        if (f) hits.push(hitOf(c, derive(f))); // else deleted between the two reads
      }
    }
    if (known.size > hits.length) { const live = new Set(hits.map((h) => h.id)); for (const k of known.keys()) if (!live.has(k)) known.delete(k); }
    evict();
    return hits;
  }

  return { load };
}
