/** Line ends of the watchlist CSV; see buildWatchlistCsv for why CRLF. */
export const CRLF = '\r\n';

// RFC 4180 §2.6–2.7: a field holding a comma, a double quote or a line break must be quoted, quotes doubled. Leading or
// trailing whitespace is quoted too, so a parser that trims unquoted fields cannot change a byte-exact key cell.
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One RFC 4180 field: the value unchanged, quoted when it must be. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// OWASP "CSV Injection": a cell beginning with =, +, -, @, TAB or CR may be run as a formula by a spreadsheet; a
// leading single quote makes it text. Only free-text cells get this; key cells are refused instead (watchlist-keys.ts).
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** Free text made safe to open in a spreadsheet: a `'` in front of a cell that could start a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_LEAD.test(value) ? `'${value}` : value;
}

/** One CSV record (without its line end). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}
