import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import {
  buildWatchlistCsv, checkKeyValues, MAX_RAW_CONTENT_BYTES, MAX_ROW_BYTES, searchKeyFor, WatchlistExportError, WatchlistLimitError,
  type ExportEntry,
} from '../../../src/suppression/export/index.js';
import { neutralised, TRICKY_ENTRIES, TRICKY_LIST } from './tricky-list.js';

const GOLDEN = join(import.meta.dirname, '../../fixtures/export');
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const rowsOf = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

function expectRoundTrip(keyColumns: string[], entries: ExportEntry[], csv: string) {
  expect(rowsOf(csv)).toEqual(entries.map((e) => ({
    SearchKey: e.searchKey, ...Object.fromEntries(keyColumns.map((c) => [c, e.values[c]])),
    Reason: neutralised(e.reason), AddedBy: neutralised(e.addedBy), AddedAt: e.addedAt, ExpiresAt: e.expiresAt ?? '',
  })));
}

describe('buildWatchlistCsv', () => {
  it('when the tricky list is exported, then the CSV is byte-for-byte the golden file', () => {
    expect(buildWatchlistCsv(TRICKY_LIST, TRICKY_ENTRIES)).toBe(readFileSync(join(GOLDEN, 'tricky.csv'), 'utf8'));
  });

  it('when the tricky CSV is parsed back, then keys are exact and free text is the original behind a quote where neutralised', () => {
    const csv = buildWatchlistCsv(TRICKY_LIST, TRICKY_ENTRIES);
    expectRoundTrip(TRICKY_LIST.keyColumns, TRICKY_ENTRIES, csv);
    const formula = rowsOf(csv).find((r) => r.DeviceName === 'ws-03')!;
    expect(formula.Reason).toBe("'=cmd|' /C calc'!A0");
    expect(formula.AddedBy).toBe("'@mallory");
  });

  it('when rows are written, then every record ends in CRLF and the header comes first', () => {
    const csv = buildWatchlistCsv(TRICKY_LIST, TRICKY_ENTRIES);
    expect(csv.startsWith('SearchKey,DeviceName,RemoteUrl,Reason,AddedBy,AddedAt,ExpiresAt\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // Outside quoted fields every line break is CRLF (the reason's own LF stays inside its quotes).
    const unquoted = csv.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(unquoted.split('\r\n')).toHaveLength(TRICKY_ENTRIES.length + 2);
  });

  it('when there are no entries, then the CSV is the header alone', () => {
    expect(buildWatchlistCsv({ keyColumns: ['DeviceName'] }, [])).toBe('SearchKey,DeviceName,Reason,AddedBy,AddedAt,ExpiresAt\r\n');
  });

  it('when entries are exported, then the inputs are not changed', () => {
    const entries = structuredClone(TRICKY_ENTRIES);
    buildWatchlistCsv(TRICKY_LIST, entries);
    expect(entries).toEqual(TRICKY_ENTRIES);
  });

  it('when any acceptable entries are exported, then csv-parse gives every cell back', () => {
    const unit = fc.oneof(fc.constantFrom(',', '"', '\r', '\n', '\r\n', ' ', '\t', '=', '+', '-', '@', '|', "'", 'é', '😀'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
    const text = fc.string({ unit, maxLength: 12 });
    const entryArb = fc.record({ a: text, b: text, reason: text, addedBy: text, expires: fc.option(fc.constant('2027-01-01T00:00:00.000Z')) })
      .filter(({ a, b }) => checkKeyValues(['A', 'B'], { A: a, B: b }).length === 0)
      .map(({ a, b, reason, addedBy, expires }): ExportEntry => ({
        searchKey: searchKeyFor(['A', 'B'], { A: a, B: b }), values: { A: a, B: b }, reason, addedBy,
        addedAt: '2026-01-01T00:00:00.000Z', expiresAt: expires,
      }));
    fc.assert(fc.property(fc.array(entryArb, { maxLength: 5 }), (entries) => {
      expectRoundTrip(['A', 'B'], entries, buildWatchlistCsv({ keyColumns: ['A', 'B'] }, entries));
    }), { numRuns: 300 });
  });

  it.each([
    ['a key cell begins with =', { DeviceName: '=cmd', RemoteUrl: 'u' }, '=cmd|u', 'unsafe-key'],
    ['a key cell is empty', { DeviceName: 'h', RemoteUrl: '' }, 'h|', 'unsafe-key'],
    ['the SearchKey disagrees with the values', { DeviceName: 'h', RemoteUrl: 'u' }, 'h|other', 'inconsistent-key'],
  ])('when %s, then the export is refused naming the entry', (_case, values, searchKey, code) => {
    const entries = [TRICKY_ENTRIES[0]!, { ...TRICKY_ENTRIES[0]!, values, searchKey }];
    const error = captureError(() => buildWatchlistCsv(TRICKY_LIST, entries));
    expect(error).toBeInstanceOf(WatchlistExportError);
    expect(error).toMatchObject({ code, entryIndex: 1 });
    expect(error.message).toMatch(/^entry 1 /);
  });

  it('when a key column cannot be a watchlist column, then the export is refused', () => {
    const error = captureError(() => buildWatchlistCsv({ keyColumns: ['=cmd'] }, []));
    expect(error).toMatchObject({ code: 'invalid-key-columns' });
  });
});

function captureError(f: () => unknown): WatchlistExportError {
  try { f(); } catch (e) { return e as WatchlistExportError; }
  throw new Error('expected an error');
}

describe('buildWatchlistCsv limits', () => {
  const KEY = ['DeviceName'];
  const make = (name: string, reason: string): ExportEntry => ({
    searchKey: name, values: { DeviceName: name }, reason, addedBy: 'a', addedAt: '2026-01-01T00:00:00.000Z', expiresAt: null,
  });
  // The bytes a row has besides its reason, measured through the builder itself.
  const rowOverhead = (name: string) =>
    bytes(buildWatchlistCsv({ keyColumns: KEY }, [make(name, '')])) - bytes(buildWatchlistCsv({ keyColumns: KEY }, [])) - 2;

  it('when a row is exactly 10 KB of UTF-8, then it is accepted; one byte more is refused naming the entry and both sizes', () => {
    const room = MAX_ROW_BYTES - rowOverhead('h');
    // Two-byte characters: the limit is counted in UTF-8 bytes, not in characters.
    const atLimit = 'x'.repeat(room % 2) + 'é'.repeat(Math.floor(room / 2));
    const csv = buildWatchlistCsv({ keyColumns: KEY }, [make('h', 'ok'), make('h', atLimit)]);
    expect(bytes(csv.split('\r\n')[2]!)).toBe(MAX_ROW_BYTES);

    const error = captureError(() => buildWatchlistCsv({ keyColumns: KEY }, [make('h', 'ok'), make('h', atLimit + 'x')]));
    expect(error).toBeInstanceOf(WatchlistLimitError);
    expect(error).toMatchObject({ code: 'row-too-large', bytes: MAX_ROW_BYTES + 1, limit: MAX_ROW_BYTES, entryIndex: 1 });
    expect(error.message).toContain(`entry 1`);
    expect(error.message).toContain(`${MAX_ROW_BYTES + 1} bytes`);
    expect(error.message).toContain(`${MAX_ROW_BYTES} bytes`);
  });

  it('when a reason has fewer characters than the row limit but more bytes, then it is refused', () => {
    const reason = '東'.repeat(Math.ceil(MAX_ROW_BYTES / 3));
    expect(reason.length).toBeLessThan(MAX_ROW_BYTES);
    expect(captureError(() => buildWatchlistCsv({ keyColumns: KEY }, [make('h', reason)]))).toMatchObject({ code: 'row-too-large' });
  });

  it('when the whole CSV is exactly 3.8 MB, then it is accepted; one byte more is refused naming the size', () => {
    const header = bytes(buildWatchlistCsv({ keyColumns: KEY }, []));
    const filler = make('h0000', 'r'.repeat(9_000));
    const fillerBytes = rowOverhead('h0000') + 9_000 + 2;
    const lastBase = rowOverhead('last') + 2;
    const count = Math.floor((MAX_RAW_CONTENT_BYTES - header - lastBase) / fillerBytes);
    const fillers = Array.from({ length: count }, (_, i) => ({ ...filler, searchKey: `h${String(i).padStart(4, '0')}`,
      values: { DeviceName: `h${String(i).padStart(4, '0')}` } }));
    const room = MAX_RAW_CONTENT_BYTES - header - lastBase - count * fillerBytes;
    expect(room).toBeLessThan(MAX_ROW_BYTES - lastBase);

    const csv = buildWatchlistCsv({ keyColumns: KEY }, [...fillers, make('last', 'z'.repeat(room))]);
    expect(bytes(csv)).toBe(MAX_RAW_CONTENT_BYTES);

    const error = captureError(() => buildWatchlistCsv({ keyColumns: KEY }, [...fillers, make('last', 'z'.repeat(room + 1))]));
    expect(error).toBeInstanceOf(WatchlistLimitError);
    expect(error).toMatchObject({ code: 'watchlist-too-large', bytes: MAX_RAW_CONTENT_BYTES + 1, limit: MAX_RAW_CONTENT_BYTES, entryIndex: null });
    expect(error.message).toContain(`${MAX_RAW_CONTENT_BYTES + 1} bytes`);
    expect(error.message).toContain(`${MAX_RAW_CONTENT_BYTES} bytes`);
  });
});
