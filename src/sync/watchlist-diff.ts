import { foldKey } from './item-id.js';
import type { DesiredItem } from './desired-items.js';

/** An item as the watchlistItems API returned it. */
export interface CurrentItem { id: string; values: Record<string, unknown> }

/** One item write: a PUT (create, update) at `id`, or a DELETE of `id`. `key` is the SearchKey it concerns. */
export interface ItemChange { id: string; key: string; values?: Record<string, string> }

export interface WatchlistDiff { create: ItemChange[]; update: ItemChange[]; delete: ItemChange[]; unchanged: number }

const sameValues = (current: Record<string, unknown>, desired: Record<string, string>) => {
  const keys = Object.keys(current);
  return keys.length === Object.keys(desired).length && keys.every((k) => Object.hasOwn(desired, k) && String(current[k]) === desired[k]);
};

/**
 * The item-level difference between what the watchlist holds and what it should hold, matched on SearchKey as `in~`
 * matches. A key present in both is updated in place at the id it already has (items uploaded from a CSV have ids
 * Sentinel chose), and only when a cell differs; extra items with the same key, items with no SearchKey and items
 * whose key is no longer active are deleted; missing keys are created at their deterministic id.
 */
export function diffWatchlist(desired: readonly DesiredItem[], current: readonly CurrentItem[]): WatchlistDiff {
  const diff: WatchlistDiff = { create: [], update: [], delete: [], unchanged: 0 };
  const byKey = new Map<string, CurrentItem[]>();
  for (const item of current) {
    const key = item.values.SearchKey;
    if (typeof key !== 'string') { diff.delete.push({ id: item.id, key: String(key ?? '') }); continue; }
    const fold = foldKey(key);
    const same = byKey.get(fold);
    if (same) same.push(item); else byKey.set(fold, [item]);
  }
  for (const d of desired) {
    const found = byKey.get(d.fold);
    if (!found) { diff.create.push({ id: d.id, key: d.key, values: d.values }); continue; }
    byKey.delete(d.fold);
    const keeper = found.find((c) => c.id.toLowerCase() === d.id) ?? found[0]!;
    for (const extra of found) if (extra !== keeper) diff.delete.push({ id: extra.id, key: String(extra.values.SearchKey) });
    if (sameValues(keeper.values, d.values)) diff.unchanged++;
    else diff.update.push({ id: keeper.id, key: d.key, values: d.values });
  }
  for (const rest of byKey.values()) for (const item of rest) diff.delete.push({ id: item.id, key: String(item.values.SearchKey) });
  return diff;
}

export const changeCount = (d: WatchlistDiff) => d.create.length + d.update.length + d.delete.length;
