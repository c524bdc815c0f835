export { validateWatchlistName, type WatchlistNameKind } from './watchlist-names.js';
export { checkKeyColumns, checkKeyValues, searchKeyFor, RESERVED_COLUMNS, type KeyProblem } from './watchlist-keys.js';
export { csvField, csvRecord, neutraliseFormula } from './csv-cells.js';
export { buildWatchlistCsv, MAX_RAW_CONTENT_BYTES, MAX_ROW_BYTES, type ExportEntry } from './watchlist-csv.js';
export { WatchlistExportError, WatchlistLimitError, type WatchlistExportErrorCode } from './export-errors.js';
export {
  buildWatchlistArmTemplate, buildWatchlistPutBody, watchlistRestPath, WATCHLIST_ARM_API_VERSION, WATCHLIST_PROVIDER,
  WATCHLIST_REST_API_VERSION, type WatchlistMeta,
} from './watchlist-documents.js';
export { buildTunedQuery, type TunedList, type TunedQueryInput, type TunedRule } from './tuned-query.js';
export { commentText, kqlColumn, kqlString } from './kql-text.js';
