import { pointerSegment } from '../../http/json-pointer.js';

export interface KeyProblem {
  /** JSON pointer into an entry request (`/values/<column>`) or a list request (`/keyColumns/<i>`). */
  pointer: string;
  message: string;
}

/** Columns Quell writes after the key columns; a key column of the same name would make the header ambiguous. */
export const RESERVED_COLUMNS = ['SearchKey', 'Reason', 'AddedBy', 'AddedAt', 'ExpiresAt'] as const;

// Key columns come from a hunt's `summarize … by`, so they are KQL identifiers; requiring that keeps the CSV header and
// the tuned query free of anything that needs quoting (Sentinel also requires KQL entity names for watchlist columns).
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

// OWASP CSV injection: a cell a spreadsheet reads as a formula. Key cells are written byte-exact (the watchlist must
// hold the value Sentinel will compare), so they cannot be prefixed with `'` and are refused instead. TAB and CR are
// in OWASP's list because they can precede a formula; CR is refused anywhere below, TAB only at the start.
const FORMULA_LEAD = /^[=+\-@\t]/;
const FORMULA_LEAD_CHARS = '=+-@\t';

/** A watchlist SearchKey: the key column values in key-column order, joined with `|`. */
export function searchKeyFor(keyColumns: readonly string[], values: Readonly<Record<string, string>>): string {
  // A loop rather than map/join: the export calls this for every entry of a list.
  let key = '';
  for (let i = 0; i < keyColumns.length; i++) {
    const c = keyColumns[i]!;
    key += (i ? '|' : '') + (Object.hasOwn(values, c) ? values[c] ?? '' : '');
  }
  return key;
}

/** Problems with a list's key columns (empty, not an identifier, duplicated, or clashing with Quell's own columns). */
export function checkKeyColumns(keyColumns: readonly unknown[]): KeyProblem[] {
  if (!Array.isArray(keyColumns) || keyColumns.length === 0) {
    return [{ pointer: '/keyColumns', message: 'a suppression list needs at least one key column' }];
  }
  const problems: KeyProblem[] = [];
  const seen = new Set<string>();
  keyColumns.forEach((c, i) => {
    const pointer = `/keyColumns/${i}`;
    if (typeof c !== 'string' || !IDENTIFIER.test(c)) {
      problems.push({ pointer, message: `key column ${JSON.stringify(c)} must be a column name (letters, digits and _, not starting with a digit, at most 128)` });
      return;
    }
    const folded = c.toLowerCase();
    if (RESERVED_COLUMNS.some((r) => r.toLowerCase() === folded)) {
      problems.push({ pointer, message: `key column ${c} clashes with the column ${c} Quell writes into the watchlist` });
    } else if (seen.has(folded)) {
      problems.push({ pointer, message: `key column ${c} is listed twice` });
    }
    seen.add(folded);
  });
  return problems;
}

/**
 * True when checkKeyValues would find no problem: the same rules, without building a problem list or a closure per
 * cell, for the export's loop over every entry of a list (100,000 of them; a test holds the two to agreeing).
 */
export function keyValuesOk(keyColumns: readonly string[], values: unknown): boolean {
  if (typeof values !== 'object' || values === null || Array.isArray(values) || keyColumns.length === 0) return false;
  const record = values as Record<string, unknown>;
  const composite = keyColumns.length > 1;
  for (let i = 0; i < keyColumns.length; i++) {
    const column = keyColumns[i]!;
    const value = Object.hasOwn(record, column) ? record[column] : undefined;
    if (typeof value !== 'string' || value === '' || FORMULA_LEAD_CHARS.includes(value[0]!)) return false;
    if (value.includes('\r') || value.includes('\n') || (composite && value.includes('|'))) return false;
  }
  return true;
}

// The SearchKey is indexed, and PostgreSQL's B-tree indexes refuse entries over ~2.7 KB: no real key is near this.
const MAX_SEARCH_KEY_BYTES = 2_048;

/**
 * Problems with one entry's key values; empty when the key is acceptable. Every key cell is checked, not only the
 * joined SearchKey, because each key cell is also written byte-exact into its own CSV column.
 */
export function checkKeyValues(keyColumns: readonly string[], values: unknown): KeyProblem[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    return [{ pointer: '/values', message: 'values must be an object with one string per key column' }];
  }
  if (keyColumns.length === 0) return [{ pointer: '/values', message: 'the list has no key columns' }];
  const record = values as Record<string, unknown>;
  const composite = keyColumns.length > 1;
  const problems: KeyProblem[] = [];
  for (const column of keyColumns) {
    const pointer = `/values/${pointerSegment(column)}`;
    const problem = (message: string) => problems.push({ pointer, message: `${column}: ${message}` });
    const value = Object.hasOwn(record, column) ? record[column] : undefined;
    if (value === undefined || value === null) { problem('a value is required for every key column'); continue; }
    if (typeof value !== 'string') { problem('the value must be a string'); continue; }
    if (value === '') { problem('the value must not be empty (Sentinel refuses blank SearchKey cells)'); continue; }
    if (/[\r\n]/.test(value)) problem('the value must not contain a line break (CR or LF)');
    if (value.includes('\0')) problem('the value must not contain a NUL character');
    if (FORMULA_LEAD.test(value)) {
      problem(`the value begins with ${JSON.stringify(value[0])}, which a spreadsheet reads as a formula; key cells are exported byte-exact, so such a key is refused`);
    }
    if (composite && value.includes('|')) {
      problem('the value contains "|", which separates the key columns in the SearchKey, so the key would be ambiguous');
    }
  }
  const keyBytes = problems.length ? 0 : Buffer.byteLength(keyColumns.map((c) => record[c]).join('|'));
  if (keyBytes > MAX_SEARCH_KEY_BYTES) {
    problems.push({ pointer: '/values', message: `the SearchKey would be ${keyBytes} bytes; Quell keeps keys up to ${MAX_SEARCH_KEY_BYTES} bytes` });
  }
  return problems;
}
