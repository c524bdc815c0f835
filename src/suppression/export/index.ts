export { validateWatchlistName, type WatchlistNameKind } from './watchlist-names.js';
export { checkKeyColumns, checkKeyValues, searchKeyFor, RESERVED_COLUMNS, type KeyProblem } from './watchlist-keys.js';
export { csvField, csvRecord, neutraliseFormula } from './csv-cells.js';
export {
  buildWatchlistCsv, buildWatchlistRecords, MAX_RAW_CONTENT_BYTES, MAX_ROW_BYTES, type ExportEntry, type WatchlistRecords,
} from './watchlist-csv.js';
export { splitWatchlist, type SplitList, type SplitOptions, type WatchlistPart, type WatchlistSplit } from './watchlist-parts.js';
export { partAlias, partDisplayName, type PartAlias } from './part-names.js';
export { WatchlistExportError, WatchlistLimitError, type WatchlistExportErrorCode } from './export-errors.js';
export {
  buildWatchlistArmTemplate, buildWatchlistArmTemplateOfParts, buildWatchlistPutBody, watchlistRestPath, MAX_ARM_TEMPLATE_BYTES,
  WATCHLIST_ARM_API_VERSION, WATCHLIST_PROVIDER, WATCHLIST_REST_API_VERSION, type WatchlistMeta,
} from './watchlist-documents.js';
export { buildTunedQuery, type TunedList, type TunedQueryInput, type TunedRule } from './tuned-query.js';
export { commentText, kqlColumn, kqlString } from './kql-text.js';
