export type WatchlistExportErrorCode =
  | 'invalid-key-columns' | 'unsafe-key' | 'inconsistent-key' | 'watchlist-too-large' | 'row-too-large';

/** A watchlist that cannot be exported as it stands; `code` says why, the message says what to change. */
export class WatchlistExportError extends Error {
  constructor(readonly code: WatchlistExportErrorCode, message: string, readonly entryIndex: number | null = null) {
    super(message);
    this.name = 'WatchlistExportError';
  }
}

/** A Sentinel size limit was exceeded: `bytes` is the size found, `limit` the most Sentinel accepts. */
export class WatchlistLimitError extends WatchlistExportError {
  constructor(code: 'watchlist-too-large' | 'row-too-large', message: string,
    readonly bytes: number, readonly limit: number, entryIndex: number | null = null) {
    super(code, message, entryIndex);
    this.name = 'WatchlistLimitError';
  }
}
