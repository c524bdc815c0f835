import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import {
  buildWatchlistCsv, MAX_RAW_CONTENT_BYTES, MAX_ROW_BYTES, splitWatchlist, WatchlistLimitError, type ExportEntry,
} from '../../../src/suppression/export/index.js';
import { byCodePoint } from '../../../src/suppression/export/watchlist-parts.js';

const KEY = ['DeviceName'];
const LIST = { alias: 'quell-hosts', displayName: 'Quell hosts', keyColumns: KEY };
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const make = (name: string, reason = 'benign'): ExportEntry => ({
  searchKey: name, values: { DeviceName: name }, reason, addedBy: 'a', addedAt: '2026-01-01T00:00:00.000Z', expiresAt: null,
});
const keysOf = (csv: string) => (parse(csv, { columns: true }) as { SearchKey: string }[]).map((r) => r.SearchKey);
const HEADER = bytes(buildWatchlistCsv({ keyColumns: KEY }, []));
/** The bytes one entry adds to a file, CRLF included. */
const rowBytes = (e: ExportEntry) => bytes(buildWatchlistCsv({ keyColumns: KEY }, [e])) - HEADER;

/** Entries whose one-file CSV is exactly `total` bytes: fillers of ~9 KB, then one entry taking what is left. */
function entriesOfSize(total: number): ExportEntry[] {
  const filler = (i: number) => make(`h${String(i).padStart(5, '0')}`, 'r'.repeat(9_000));
  const fillerBytes = rowBytes(filler(0));
  const lastBase = rowBytes(make('zz-last', ''));
  const count = Math.floor((total - HEADER - lastBase) / fillerBytes);
  const room = total - HEADER - lastBase - count * fillerBytes;
  expect(room).toBeLessThan(MAX_ROW_BYTES - lastBase);
  const entries = [...Array.from({ length: count }, (_, i) => filler(i)), make('zz-last', 'z'.repeat(room))];
  expect(HEADER + entries.reduce((n, e) => n + rowBytes(e), 0)).toBe(total);
  return entries;
}

describe('splitWatchlist at Sentinel\'s 3.8 MB', () => {
  it('when the list\'s CSV is exactly 3.8 MB, then it is one watchlist: the list\'s alias and name, buildWatchlistCsv\'s bytes', () => {
    const entries = entriesOfSize(MAX_RAW_CONTENT_BYTES);
    const split = splitWatchlist(LIST, entries);
    expect(split.bytes).toBe(MAX_RAW_CONTENT_BYTES);
    expect(split.parts).toHaveLength(1);
    expect(split.parts[0]).toMatchObject({ part: 1, alias: 'quell-hosts', displayName: 'Quell hosts', entryCount: entries.length, bytes: MAX_RAW_CONTENT_BYTES });
    expect(split.parts[0]!.csv).toBe(buildWatchlistCsv({ keyColumns: KEY }, entries));
  });

  it('when the list\'s CSV is one byte over 3.8 MB, then it is two numbered watchlists, each within the limit, every entry in exactly one', () => {
    const entries = entriesOfSize(MAX_RAW_CONTENT_BYTES + 1);
    expect(() => buildWatchlistCsv({ keyColumns: KEY }, entries)).toThrow(WatchlistLimitError);
    const split = splitWatchlist(LIST, entries);
    expect(split.bytes).toBe(MAX_RAW_CONTENT_BYTES + 1);
    expect(split.parts.map((p) => [p.part, p.alias, p.displayName])).toEqual([
      [1, 'quell-hosts', 'Quell hosts part 1 of 2'], [2, 'quell-hosts_2', 'Quell hosts part 2 of 2']]);
    for (const p of split.parts) {
      expect(bytes(p.csv)).toBe(p.bytes);
      expect(p.bytes).toBeLessThanOrEqual(MAX_RAW_CONTENT_BYTES);
      expect(p.csv.startsWith('SearchKey,DeviceName,Reason,AddedBy,AddedAt,ExpiresAt\r\n')).toBe(true);
      expect(keysOf(p.csv)).toHaveLength(p.entryCount);
    }
    expect(split.parts.flatMap((p) => keysOf(p.csv)).sort()).toEqual(entries.map((e) => e.searchKey).sort());
    // Greedy: the first part is as full as the next entry allows.
    const second = split.parts[1]!;
    expect(split.parts[0]!.bytes + bytes(second.csv.split('\r\n')[1]!) + 2).toBeGreaterThan(MAX_RAW_CONTENT_BYTES);
  });

  it('when a part is filled to exactly 3.8 MB, then the next entry starts the next part', () => {
    // Two lists' worth in one: the first part holds exactly 3.8 MB of entries sorting first, then one entry sorting last.
    const full = entriesOfSize(MAX_RAW_CONTENT_BYTES);
    const split = splitWatchlist(LIST, [make('zzz-after'), ...full]);
    expect(split.parts.map((p) => p.bytes)).toEqual([MAX_RAW_CONTENT_BYTES, HEADER + rowBytes(make('zzz-after'))]);
    expect(keysOf(split.parts[1]!.csv)).toEqual(['zzz-after']);
  });

  it('when a list is cut, then a row of exactly 10 KB is still accepted and one byte more is refused naming the entry', () => {
    const entries = entriesOfSize(MAX_RAW_CONTENT_BYTES + 5_000);
    const room = MAX_ROW_BYTES - (rowBytes(make('big', '')) - 2);
    expect(splitWatchlist(LIST, [...entries, make('big', 'x'.repeat(room))]).parts).toHaveLength(2);
    let error: unknown;
    try { splitWatchlist(LIST, [...entries, make('big', 'x'.repeat(room + 1))]); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(WatchlistLimitError);
    expect(error).toMatchObject({ code: 'row-too-large', bytes: MAX_ROW_BYTES + 1, entryIndex: entries.length });
  });
});

describe('splitWatchlist cuts', () => {
  const name = fc.string({ unit: fc.constantFrom('a', 'B', 'z', '0', 'é', '😀', '\uE000', '\uFFFD', ' ', '-'), minLength: 1, maxLength: 6 })
    .filter((s) => /^[^=+\-@\t]/.test(s));
  const entry = fc.record({ name, reason: fc.string({ maxLength: 40 }) }).map(({ name: n, reason }) => make(n, reason));

  it('when the same entries come in any order, then the parts are the same, byte for byte', () => {
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 40 }), fc.integer({ min: 200, max: 600 }), fc.integer(), (entries, maxBytes, seed) => {
      const shuffled = fc.sample(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), { numRuns: 1, seed })[0]!;
      const a = splitWatchlist(LIST, entries, { maxBytes });
      const b = splitWatchlist(LIST, shuffled, { maxBytes });
      if (a.parts.length > 1) expect(b.parts).toEqual(a.parts);
      else expect(b.parts[0]!.csv.length).toBe(a.parts[0]!.csv.length); // one file keeps the order given
    }), { numRuns: 200 });
  });

  it('when a list is cut, then SearchKeys run in code point order through the parts, each part within the limit and filled greedily', () => {
    fc.assert(fc.property(fc.array(entry, { minLength: 2, maxLength: 40 }), fc.integer({ min: 200, max: 600 }), (entries, maxBytes) => {
      const { parts } = splitWatchlist(LIST, entries, { maxBytes });
      if (parts.length === 1) return; // one file keeps the order given
      const rows = parts.map((p) => p.csv.split('\r\n').slice(1, -1));
      const keys = parts.flatMap((p) => keysOf(p.csv));
      expect(keys).toHaveLength(entries.length);
      for (let i = 1; i < keys.length; i++) expect(byCodePoint(keys[i - 1]!, keys[i]!)).toBeLessThanOrEqual(0);
      parts.forEach((p, i) => {
        expect(p.bytes).toBe(bytes(p.csv));
        expect(p.bytes).toBeLessThanOrEqual(maxBytes);
        if (i + 1 < parts.length) expect(p.bytes + bytes(rows[i + 1]![0]!) + 2).toBeGreaterThan(maxBytes);
      });
    }), { numRuns: 200 });
  });

  it('when two strings are compared, then byCodePoint orders them as their UTF-8 bytes do (SQLite\'s BINARY order)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '|', 'é', '\uD7FF', '\uE000', '\uFFFF', '😀', '𝄞'), maxLength: 5 });
    fc.assert(fc.property(text, text, (a, b) => {
      expect(Math.sign(byCodePoint(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }), { numRuns: 2000 });
  });

  it('when a part cannot hold even one row under a test\'s tiny limit, then it refuses rather than write an oversized part', () => {
    expect(() => splitWatchlist(LIST, [make('a'), make('b', 'x'.repeat(100))], { maxBytes: 80 })).toThrow(RangeError);
  });
});
