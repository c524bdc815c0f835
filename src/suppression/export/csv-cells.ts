/** Line ends of the watchlist CSV; see buildWatchlistCsv for why CRLF. */
export const CRLF = '\r\n';

// RFC 4180 §2.6–2.7: a field holding a comma, a double quote or a line break must be quoted, quotes doubled. Leading or
// trailing whitespace is quoted too, so a parser that trims unquoted fields cannot change a byte-exact key cell.
// An export writes seven cells for each of up to 100,000 entries: one character class is searched natively, and the
// leading and trailing whitespace is tested on the two end code units (`^\s|\s$` in the pattern would be tried at every
// position).
const QUOTE_OR_BREAK = /[",\r\n]/;

/** Exactly the code units JavaScript's `\s` matches (a test compares the two over all 65,536). */
export function isSpaceUnit(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function needsQuotes(value: string): boolean {
  const n = value.length;
  if (n === 0) return false;
  return QUOTE_OR_BREAK.test(value) || isSpaceUnit(value.charCodeAt(0)) || isSpaceUnit(value.charCodeAt(n - 1));
}

/** One RFC 4180 field: the value unchanged, quoted when it must be. */
export function csvField(value: string): string {
  return needsQuotes(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// OWASP "CSV Injection": a cell beginning with =, +, -, @, TAB or CR may be run as a formula by a spreadsheet; a
// leading single quote makes it text. Only free-text cells get this; key cells are refused instead (watchlist-keys.ts).
const FORMULA_LEAD = '=+-@\t\r';

/** Free text made safe to open in a spreadsheet: a `'` in front of a cell that could start a formula. */
export function neutraliseFormula(value: string): string {
  return value !== '' && FORMULA_LEAD.includes(value[0]!) ? `'${value}` : value;
}

/** One CSV record (without its line end). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}
