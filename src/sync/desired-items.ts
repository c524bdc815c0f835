import { checkKeyValues, csvRecord, MAX_ROW_BYTES, neutraliseFormula, searchKeyFor, WatchlistExportError, type ExportEntry } from '../suppression/export/index.js';
import { foldKey, watchlistItemId } from './item-id.js';

/** One item the watchlist should hold. */
export interface DesiredItem {
  key: string;
  fold: string;
  id: string;
  /** itemsKeyValue: the CSV export's columns and cells (SearchKey, key columns, Reason, AddedBy, AddedAt, ExpiresAt). */
  values: Record<string, string>;
}

/**
 * The items for a list's active entries, cell for cell what the CSV export writes (so a synced watchlist and an
 * uploaded one hold the same rows), with the export's checks: unsafe or inconsistent keys and rows over 10 KB are
 * refused before anything is sent. Keys equal under `in~` are one item; the earliest entry wins.
 */
export function desiredItems(list: { id: string; keyColumns: readonly string[] }, entries: readonly ExportEntry[]): DesiredItem[] {
  const out = new Map<string, DesiredItem>();
  entries.forEach((e, index) => {
    const label = `entry ${index} (SearchKey ${JSON.stringify(e.searchKey)})`;
    const problems = checkKeyValues(list.keyColumns, e.values);
    if (problems.length) throw new WatchlistExportError('unsafe-key', `${label} cannot be synced: ${problems.map((p) => p.message).join('; ')}`, index);
    if (e.searchKey !== searchKeyFor(list.keyColumns, e.values)) {
      throw new WatchlistExportError('inconsistent-key', `${label} does not match its key column values joined with "|"`, index);
    }
    const fold = foldKey(e.searchKey);
    if (out.has(fold)) return;
    const values: Record<string, string> = { SearchKey: e.searchKey };
    for (const c of list.keyColumns) values[c] = e.values[c]!;
    values.Reason = neutraliseFormula(e.reason);
    values.AddedBy = neutraliseFormula(e.addedBy);
    values.AddedAt = neutraliseFormula(e.addedAt);
    values.ExpiresAt = neutraliseFormula(e.expiresAt ?? '');
    const bytes = Buffer.byteLength(csvRecord(Object.values(values)), 'utf8');
    if (bytes > MAX_ROW_BYTES) {
      throw new WatchlistExportError('row-too-large', `${label} makes a watchlist row of ${bytes} bytes; Sentinel accepts rows of at most ${MAX_ROW_BYTES} bytes (10 KB)`, index);
    }
    out.set(fold, { key: e.searchKey, fold, id: watchlistItemId(list.id, e.searchKey), values });
  });
  return [...out.values()];
}
