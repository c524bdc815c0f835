import { CRLF, csvField, csvRecord, neutraliseFormula } from './csv-cells.js';
import { WatchlistExportError, WatchlistLimitError } from './export-errors.js';
import { checkKeyColumns, checkKeyValues, keyValuesOk, searchKeyFor } from './watchlist-keys.js';

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
const entryLabel = (entry: ExportEntry, index: number) => `entry ${index} (SearchKey ${shown(String(entry.searchKey))})`;

/** The row's UTF-8 size, or a refusal naming it when it is over 10 KB (the header when `entry` is null). */
function checkRowSize(row: string, entry: ExportEntry | null, index: number | null): number {
  const bytes = utf8Bytes(row);
  if (bytes > MAX_ROW_BYTES) {
    throw new WatchlistLimitError('row-too-large',
      `${entry ? entryLabel(entry, index!) : 'the header row'} makes a watchlist row of ${bytes} bytes; Sentinel accepts rows of at most ${MAX_ROW_BYTES} bytes (10 KB). Shorten it.`,
      bytes, MAX_ROW_BYTES, index);
  }
  return bytes;
}

/** A watchlist's CSV records, checked, before they are put in one file or cut into several: no CRLF, UTF-8 sizes. */
export interface WatchlistRecords {
  header: string;
  headerBytes: number;
  /** One record per entry, in the order of the entries given. */
  rows: string[];
  rowBytes: number[];
  /** Each entry's SearchKey, by the same index. */
  keys: string[];
}

/** The records of a file: each ends in CRLF, the last included. */
export const joinRecords = (header: string, rows: readonly string[]) => (rows.length ? `${header}${CRLF}${rows.join(CRLF)}${CRLF}` : `${header}${CRLF}`);

/** The UTF-8 size of the one file holding all the records (each record plus its CRLF). */
export function recordsBytes(records: WatchlistRecords): number {
  let total = records.headerBytes + CRLF.length;
  for (const b of records.rowBytes) total += b + CRLF.length;
  return total;
}

/**
 * The watchlist's records: header `SearchKey,<key columns…>,Reason,AddedBy,AddedAt,ExpiresAt`, one row per entry, RFC
 * 4180 quoting. Key cells are byte-exact, so unsafe keys are refused here too (an entry stored before a rule tightened
 * must not slip out); free-text cells are neutralised against formula injection. A row over 10 KB is refused: a row
 * cannot be split, whatever the list's size.
 */
export function buildWatchlistRecords(list: { keyColumns: readonly string[] }, entries: Iterable<ExportEntry>): WatchlistRecords {
  const columnProblems = checkKeyColumns(list.keyColumns);
  if (columnProblems.length) {
    throw new WatchlistExportError('invalid-key-columns', `the list's key columns cannot be exported: ${columnProblems.map((p) => p.message).join('; ')}`);
  }
  const header = csvRecord(['SearchKey', ...list.keyColumns, 'Reason', 'AddedBy', 'AddedAt', 'ExpiresAt']);
  const headerBytes = checkRowSize(header, null, null);
  const keyColumns = list.keyColumns;
  const rows: string[] = [];
  const rowBytes: number[] = [];
  const keys: string[] = [];
  // One loop without a closure or array per entry: this runs for every entry of a list, up to 100,000 and more.
  let index = -1;
  for (const entry of entries) {
    index++;
    if (!keyValuesOk(keyColumns, entry.values)) {
      const problems = checkKeyValues(keyColumns, entry.values);
      throw new WatchlistExportError('unsafe-key', `${entryLabel(entry, index)} cannot be exported: ${problems.map((p) => p.message).join('; ')}`, index);
    }
    if (entry.searchKey !== searchKeyFor(keyColumns, entry.values)) {
      throw new WatchlistExportError('inconsistent-key', `${entryLabel(entry, index)} does not match its key column values joined with "|"`, index);
    }
    // csvRecord's fields, written out: SearchKey, the key cells byte-exact, then the free text neutralised.
    let row = csvField(entry.searchKey);
    for (let c = 0; c < keyColumns.length; c++) row += `,${csvField(entry.values[keyColumns[c]!]!)}`;
    row += `,${csvField(neutraliseFormula(String(entry.reason)))},${csvField(neutraliseFormula(String(entry.addedBy)))}`
      + `,${csvField(neutraliseFormula(String(entry.addedAt)))},${csvField(neutraliseFormula(String(entry.expiresAt ?? '')))}`;
    rowBytes.push(checkRowSize(row, entry, index));
    rows.push(row);
    keys.push(entry.searchKey);
  }
  return { header, headerBytes, rows, rowBytes, keys };
}

/**
 * The watchlist CSV as one file, the entries in the order given. Rows end in CRLF, including the last: RFC 4180 §2.1
 * specifies CRLF and Microsoft's own Sentinel watchlist content writes `rawContent` rows with `\r\n` (Azure-Sentinel
 * Watchlists/Templates/WatchlistTemplate.json, cited in reference/sentinel.md §1.4). A file over 3.8 MB is refused here;
 * splitWatchlist (watchlist-parts.ts) cuts such a list into numbered watchlists instead.
 */
export function buildWatchlistCsv(list: { keyColumns: readonly string[] }, entries: readonly ExportEntry[]): string {
  const records = buildWatchlistRecords(list, entries);
  const bytes = recordsBytes(records);
  if (bytes > MAX_RAW_CONTENT_BYTES) throw tooLarge(bytes, records.rows.length);
  return joinRecords(records.header, records.rows);
}

/** The refusal of a list too large for one watchlist upload. */
export function tooLarge(bytes: number, entries: number): WatchlistLimitError {
  return new WatchlistLimitError('watchlist-too-large',
    `the watchlist CSV is ${bytes} bytes (${entries} entries); Sentinel accepts at most ${MAX_RAW_CONTENT_BYTES} bytes (3.8 MB) of rawContent in one upload. Split the list or remove entries.`,
    bytes, MAX_RAW_CONTENT_BYTES);
}
