import type { ListRecord } from '../suppression/lists-store.js';

/** A hit as entry suggestions see it: its verdict and, per list serving the hunt, its folded SearchKey and key values. */
export interface KeyedHit {
  id: string;
  verdict: 'benign' | 'malicious' | null;
  suppressed: boolean;
  keys: readonly ({ folded: string; searchKey: string; values: Record<string, string> } | null)[];
}

export interface EntrySuggestion {
  list: Pick<ListRecord, 'id' | 'alias'>;
  entries: { searchKey: string; values: Record<string, string> }[];
  benign: number;
  unlabelled: number;
  examples: string[];
}

/** At most this many keys in one suggestion: an admin reads what they accept. */
export const MAX_KEYS = 1_000;

/**
 * Benign verdicts no mined rule generalises are suggested as exact keys of a list serving the hunt, where they fit
 * better than a rule: a key recurs in later runs of a summarised hunt, and an entry says exactly which. A key any
 * malicious verdict has, or one already live in the list or dismissed there, is never suggested.
 */
export function suggestEntries<H extends KeyedHit>(lists: readonly ListRecord[], hits: readonly H[], explained: (hit: H) => boolean,
  live: readonly ReadonlySet<string>[], dismissed: ReadonlySet<string>): EntrySuggestion[] {
  return lists.flatMap((list, li) => {
    const malicious = new Set<string>();
    for (const h of hits) { const k = h.keys[li]; if (k && h.verdict === 'malicious') malicious.add(k.folded); }
    const chosen = new Map<string, { searchKey: string; values: Record<string, string>; benign: string[] }>();
    for (const h of hits) {
      const k = h.keys[li];
      if (!k || h.verdict !== 'benign' || h.suppressed || explained(h)) continue;
      if (malicious.has(k.folded) || live[li]!.has(k.folded) || dismissed.has(dismissalKey(list.id, k.folded))) continue;
      const c = chosen.get(k.folded);
      if (c) c.benign.push(h.id);
      else if (chosen.size < MAX_KEYS) chosen.set(k.folded, { searchKey: k.searchKey, values: k.values, benign: [h.id] });
    }
    if (!chosen.size) return [];
    let unlabelled = 0;
    for (const h of hits) { const k = h.keys[li]; if (k && h.verdict === null && !h.suppressed && chosen.has(k.folded)) unlabelled++; }
    const all = [...chosen.values()].sort((a, b) => (a.searchKey < b.searchKey ? -1 : 1));
    return [{ list: { id: list.id, alias: list.alias }, entries: all.map(({ searchKey, values }) => ({ searchKey, values })),
      benign: all.reduce((n, c) => n + c.benign.length, 0), unlabelled, examples: all.flatMap((c) => c.benign).slice(0, 5) }];
  });
}

/** How a dismissed key is remembered (in the dismissals table, beside dismissed expressions). */
export const dismissalKey = (listId: string, foldedKey: string) => `entry ${listId} ${foldedKey}`;
