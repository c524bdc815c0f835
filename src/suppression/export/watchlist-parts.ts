import { CRLF } from './csv-cells.js';
import { partAlias, partDisplayName } from './part-names.js';
import { buildWatchlistRecords, joinRecords, MAX_RAW_CONTENT_BYTES, recordsBytes, type ExportEntry } from './watchlist-csv.js';

/** One numbered watchlist of a list: its names, its entries' count and its `rawContent`. */
export interface WatchlistPart {
  /** 1-based. */
  part: number;
  alias: string;
  displayName: string;
  entryCount: number;
  /** UTF-8 size of `csv`. */
  bytes: number;
  csv: string;
}

export interface WatchlistSplit {
  parts: WatchlistPart[];
  entryCount: number;
  /** The size the list would have as one CSV file. */
  bytes: number;
  /** What a reader should know about the parts' names (an alias shortened to fit). */
  notes: string[];
}

export interface SplitOptions {
  /** The most `rawContent` bytes of one watchlist; Sentinel's 3.8 MB unless a test asks for less. */
  maxBytes?: number;
}

export interface SplitList {
  alias: string;
  displayName: string;
  keyColumns: readonly string[];
}

/**
 * Code point order, never the locale's, so the same entries make the same parts on every machine. It is also the order
 * of UTF-8 bytes, which SQLite's BINARY collation uses, so entries read `ORDER BY "searchKey"` arrive sorted and the
 * sort below only confirms it. (JavaScript's `<` compares UTF-16 code units, which puts U+10000 and above, written as
 * surrogates D800–DFFF, before U+E000–U+FFFF.)
 */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  while (a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i >= a.length) return -1;
  if (i >= b.length) return 1;
  const x = a.charCodeAt(i), y = b.charCodeAt(i);
  const xs = x >= 0xd800 && x <= 0xdfff, ys = y >= 0xd800 && y <= 0xdfff;
  // A surrogate against a unit that is not: the surrogate's code point is the larger one (≥ U+10000).
  if (xs !== ys) return xs ? 1 : -1;
  return x - y;
}

/**
 * The list as Sentinel watchlists. A list whose CSV fits one upload is one part: the list's own alias and display name
 * and exactly the CSV `buildWatchlistCsv` makes, entries in the order given. A larger one is cut into numbered parts
 * (SPEC §7): the entries ordered by SearchKey in code point order (rows that share one by their CSV text), then each part filled greedily
 * up to `maxBytes`, header included. Nothing but the entries decides the cut, so the same entries give the same parts
 * whatever order they are read in. Rows over 10 KB and unsafe keys are refused as for one file: a row cannot be split.
 * `entries` may be any iterable, read once.
 */
export function splitWatchlist(list: SplitList, entries: Iterable<ExportEntry>, opts: SplitOptions = {}): WatchlistSplit {
  const maxBytes = opts.maxBytes ?? MAX_RAW_CONTENT_BYTES;
  const records = buildWatchlistRecords(list, entries);
  const bytes = recordsBytes(records);
  const { header, headerBytes, rows, rowBytes, keys } = records;
  const count = rows.length;
  if (bytes <= maxBytes) {
    const csv = joinRecords(header, rows);
    return { parts: [{ part: 1, alias: list.alias, displayName: list.displayName, entryCount: count, bytes, csv }], entryCount: count, bytes, notes: [] };
  }
  const empty = headerBytes + CRLF.length;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => byCodePoint(keys[a]!, keys[b]!) || byCodePoint(rows[a]!, rows[b]!));

  const ranges: { start: number; end: number; bytes: number }[] = [];
  let start = 0;
  let size = empty;
  order.forEach((i, j) => {
    const b = rowBytes[i]! + CRLF.length;
    if (size + b > maxBytes) {
      // Cannot happen at Sentinel's limits (a 10 KB header and a 10 KB row are far below 3.8 MB); only a test's tiny limit.
      if (j === start) throw new RangeError(`a part of ${maxBytes} bytes cannot hold the header and row ${i} (${size + b} bytes)`);
      ranges.push({ start, end: j, bytes: size });
      start = j;
      size = empty;
    }
    size += b;
  });
  ranges.push({ start, end: order.length, bytes: size });

  const n = ranges.length;
  const parts = ranges.map((r, p): WatchlistPart => {
    const k = p + 1;
    const partRows = order.slice(r.start, r.end).map((i) => rows[i]!);
    return { part: k, alias: partAlias(list.alias, k).alias, displayName: partDisplayName(list.displayName, k, n),
      entryCount: partRows.length, bytes: r.bytes, csv: joinRecords(header, partRows) };
  });
  return { parts, entryCount: count, bytes, notes: aliasNotes(list.alias, parts) };
}

function aliasNotes(alias: string, parts: readonly WatchlistPart[]): string[] {
  const first = parts.find((p) => partAlias(alias, p.part).shortened);
  if (!first) return [];
  const last = parts[parts.length - 1]!;
  return [`the alias ${JSON.stringify(alias)} has ${[...alias].length} characters, so from part ${first.part} on it is shortened for "_<part>" to fit `
    + `Sentinel's 64 (part ${first.part}: ${JSON.stringify(first.alias)}${last !== first ? `, part ${last.part}: ${JSON.stringify(last.alias)}` : ''})`];
}
