export type WatchlistNameKind = 'alias' | 'displayName';

// Sentinel's "Limitations of watchlists" states one rule for both the name and the alias (reference/sentinel.md §1.2):
// 3–64 characters, first and last alphanumeric, spaces, hyphens and underscores allowed in between. "Alphanumeric" is
// read as ASCII: the alias becomes a segment of an ARM resource id and a KQL string, where anything wider is a liability.
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 _-]*[A-Za-z0-9])?$/;
const INNER = /^[A-Za-z0-9 _-]*$/;

const LABEL: Record<WatchlistNameKind, string> = { alias: 'watchlist alias', displayName: 'watchlist display name' };

/** Sentinel's naming rule for a watchlist alias or display name: an error message a person understands, or null. */
export function validateWatchlistName(kind: WatchlistNameKind, value: unknown): string | null {
  const label = LABEL[kind];
  if (typeof value !== 'string') return `the ${label} must be a string`;
  const length = [...value].length;
  if (length < 3 || length > 64) return `the ${label} must be 3 to 64 characters long (it has ${length})`;
  if (NAME.test(value)) return null;
  if (!/^[A-Za-z0-9]/.test(value)) return `the ${label} must begin with a letter or digit`;
  if (!/[A-Za-z0-9]$/.test(value)) return `the ${label} must end with a letter or digit`;
  const bad = [...value].find((ch) => !INNER.test(ch));
  return `the ${label} may contain only letters, digits, spaces, hyphens and underscores (found ${JSON.stringify(bad)})`;
}
