import type { Sql } from '../db/sql.js';
import { isoTime } from '../db/time.js';
import { activeExportRows, type ExportRow } from './entries-store.js';
import type { ListRecord } from './lists-store.js';
import {
  MAX_RAW_CONTENT_BYTES, MAX_ROW_BYTES, splitWatchlist, WatchlistExportError, type ExportEntry, type SplitOptions, type WatchlistSplit,
} from './export/index.js';

// isoTime parses every value through Date; the text Quell writes (sqlTime) only needs its zone rewritten, and a list
// has two times per entry. Anything else (a Prisma-written or hand-edited value) still goes through isoTime.
const SQL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;
const exportTime = (v: string | null) => (v !== null && SQL_TIME.test(v) ? `${v.slice(0, -6)}Z` : isoTime(v));

const exportEntry = (r: ExportRow): ExportEntry => ({
  searchKey: r[0], values: JSON.parse(r[1]) as Record<string, string>, reason: r[2], addedBy: r[3], addedAt: exportTime(r[4])!, expiresAt: exportTime(r[5]),
});

/**
 * The entries a watchlist export writes: active and unexpired, as the CSV builder takes them, in the order asked. (Read
 * at once: streaming them with `iterate` and a generator was measured no faster at 100,000 entries.)
 */
export async function exportEntriesOf(sql: Sql, listId: string, now: Date, order: 'searchKey' | 'added' = 'added'): Promise<ExportEntry[]> {
  return (await activeExportRows(sql, listId, now, order)).map(exportEntry);
}

/**
 * The list's watchlists now: one, or numbered parts when its CSV is over 3.8 MB. Throws WatchlistExportError. The
 * entries are read in SearchKey order, which the cut needs and the index gives for free; a list that turns out to fit
 * one file is read again in the order its one file has always had (addedAt, id), cheap at under 3.8 MB.
 */
export async function watchlistSplitOf(sql: Sql, list: ListRecord, now = new Date(), opts: SplitOptions = {}): Promise<WatchlistSplit> {
  const split = splitWatchlist(list, await exportEntriesOf(sql, list.id, now, 'searchKey'), opts);
  if (split.parts.length > 1 || split.entryCount < 2) return split;
  return splitWatchlist(list, await exportEntriesOf(sql, list.id, now, 'added'), opts);
}

/**
 * The aliases the tuned query must exclude for a list: undefined for a list in one watchlist (its filter stays what it
 * always was). A list with so few entries that even rows of 10 KB could not fill 3.8 MB is known to be one watchlist
 * without reading them. A list that cannot be exported at all (a row over 10 KB, an unsafe key) keeps its one alias:
 * the tuned query must not fail for it, and the export says what is wrong.
 */
export async function partAliasesOf(sql: Sql, list: ListRecord, entryCount: number, now: Date): Promise<string[] | undefined> {
  if ((entryCount + 1) * (MAX_ROW_BYTES + 2) <= MAX_RAW_CONTENT_BYTES) return undefined;
  try {
    const { parts } = await watchlistSplitOf(sql, list, now);
    return parts.length > 1 ? parts.map((p) => p.alias) : undefined;
  } catch (e) {
    if (e instanceof WatchlistExportError) return undefined;
    throw e;
  }
}
