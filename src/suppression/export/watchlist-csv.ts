import { CRLF, csvRecord, neutraliseFormula } from './csv-cells.js';
import { WatchlistExportError, WatchlistLimitError } from './export-errors.js';
import { checkKeyColumns, checkKeyValues, searchKeyFor } from './watchlist-keys.js';

export interface ExportEntry {
  searchKey: string;
  values: Readonly<Record<string, string>>;
  reason: string;
  addedBy: string;
  addedAt: string;
  expiresAt: string | null;
}

// Sentinel takes inline `rawContent` only up to 3.8 MB (larger lists need a blob SAS URL; reference/sentinel.md §1.1) and
// rows up to 10 KB (SPEC §7). Both are read as decimal units, the smaller reading, so that whatever Quell exports is
// accepted whichever unit Sentinel means. A row is measured without its CRLF; everything is counted in UTF-8 bytes.
export const MAX_RAW_CONTENT_BYTES = 3_800_000;
export const MAX_ROW_BYTES = 10_000;

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const shown = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

function checkRowSize(row: string, label: string, index: number | null): void {
  const bytes = utf8Bytes(row);
  if (bytes > MAX_ROW_BYTES) {
    throw new WatchlistLimitError('row-too-large',
      `${label} makes a watchlist row of ${bytes} bytes; Sentinel accepts rows of at most ${MAX_ROW_BYTES} bytes (10 KB). Shorten it.`,
      bytes, MAX_ROW_BYTES, index);
  }
}

/**
 * The watchlist CSV: header `SearchKey,<key columns…>,Reason,AddedBy,AddedAt,ExpiresAt`, one row per entry, RFC 4180
 * quoting. Rows end in CRLF, including the last: RFC 4180 §2.1 specifies CRLF and Microsoft's own Sentinel watchlist
 * content writes `rawContent` rows with `\r\n` (Azure-Sentinel Watchlists/Templates/WatchlistTemplate.json, cited in
 * reference/sentinel.md §1.4). Key cells are byte-exact, so unsafe keys are refused here too (an entry stored before a
 * rule tightened must not slip out); free-text cells are neutralised against formula injection.
 */
export function buildWatchlistCsv(list: { keyColumns: readonly string[] }, entries: readonly ExportEntry[]): string {
  const columnProblems = checkKeyColumns(list.keyColumns);
  if (columnProblems.length) {
    throw new WatchlistExportError('invalid-key-columns', `the list's key columns cannot be exported: ${columnProblems.map((p) => p.message).join('; ')}`);
  }
  const header = csvRecord(['SearchKey', ...list.keyColumns, 'Reason', 'AddedBy', 'AddedAt', 'ExpiresAt']);
  checkRowSize(header, 'the header row', null);
  const rows = [header];
  entries.forEach((entry, index) => {
    const label = `entry ${index} (SearchKey ${shown(String(entry.searchKey))})`;
    const problems = checkKeyValues(list.keyColumns, entry.values);
    if (problems.length) {
      throw new WatchlistExportError('unsafe-key', `${label} cannot be exported: ${problems.map((p) => p.message).join('; ')}`, index);
    }
    if (entry.searchKey !== searchKeyFor(list.keyColumns, entry.values)) {
      throw new WatchlistExportError('inconsistent-key', `${label} does not match its key column values joined with "|"`, index);
    }
    const row = csvRecord([
      entry.searchKey, ...list.keyColumns.map((c) => entry.values[c]!),
      ...[entry.reason, entry.addedBy, entry.addedAt, entry.expiresAt ?? ''].map((v) => neutraliseFormula(String(v))),
    ]);
    checkRowSize(row, label, index);
    rows.push(row);
  });
  const csv = rows.map((r) => r + CRLF).join('');
  const bytes = utf8Bytes(csv);
  if (bytes > MAX_RAW_CONTENT_BYTES) {
    throw new WatchlistLimitError('watchlist-too-large',
      `the watchlist CSV is ${bytes} bytes (${entries.length} entries); Sentinel accepts at most ${MAX_RAW_CONTENT_BYTES} bytes (3.8 MB) of rawContent in one upload. Split the list or remove entries.`,
      bytes, MAX_RAW_CONTENT_BYTES);
  }
  return csv;
}
