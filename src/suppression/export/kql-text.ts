/** A KQL single-quoted string literal holding exactly `value`. */
export function kqlString(value: string): string {
  const escaped = value.replace(/[\\'\r\n\t]/g, (ch) => ({ '\\': '\\\\', "'": "\\'", '\r': '\\r', '\n': '\\n', '\t': '\\t' })[ch]!);
  return `'${escaped}'`;
}

// Words the parser would not read as a column name in expression position; a column so named must be bracket-quoted.
const RESERVED = new Set(['and', 'or', 'not', 'by', 'on', 'in', 'has', 'between', 'contains', 'startswith', 'endswith',
  'matches', 'where', 'let', 'set', 'true', 'false', 'null', 'typeof', 'dynamic', 'datatable', 'with', 'of', 'to']);

/** A column reference: the bare name when it is a plain identifier, else `['name']`. */
export function kqlColumn(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toLowerCase()) ? name : `[${kqlString(name)}]`;
}

// A line break inside a `//` comment would end it and turn the rest of a rule name into query text.
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;

/** Text safe to place after `//`: line breaks become spaces. */
export function commentText(value: string): string {
  return String(value).replace(LINE_BREAKS, ' ');
}
