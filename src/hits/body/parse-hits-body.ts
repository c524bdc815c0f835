import { parse as parseCsv } from 'csv-parse/sync';

export type ParsedRow = { index: number; raw: Record<string, unknown>; table?: string } | { index: number; error: string };
export type BodyFormat = 'json-rows' | 'log-analytics' | 'defender-api' | 'graph' | 'ndjson' | 'csv' | 'streaming';
export interface ParsedBatch { format: BodyFormat; rows: ParsedRow[] }

/** The body as a whole cannot be read: a 400 that writes nothing. */
export class HitsFormatError extends Error {
  constructor(readonly code: string, message: string, readonly pointer?: string) { super(message); this.name = 'HitsFormatError'; }
}

export const SUPPORTED_MEDIA_TYPES = ['application/json', 'application/x-ndjson', 'application/jsonl', 'text/csv'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `AdvancedHunting-DeviceNetworkEvents` → `DeviceNetworkEvents` (Defender streaming API categories). */
export function tableFromStreamingCategory(category: unknown): string | null {
  const m = typeof category === 'string' ? /^AdvancedHunting-([A-Za-z]+)$/.exec(category) : null;
  return m ? m[1]! : null;
}

/** Top-level keys matched case-insensitively: Schema/Results (Defender API) and schema/results (Graph) alike. */
function key(o: Record<string, unknown>, name: string): unknown {
  const k = Object.keys(o).find((x) => x.toLowerCase() === name);
  return k === undefined ? undefined : o[k];
}

/**
 * A Defender streaming-API record (`{ time, tenantId, operationName, category: "AdvancedHunting-<Table>", properties }`,
 * one per line when Defender streams to a storage account) is read as its properties, from the table its category
 * names; any other object is a row as it is.
 */
export function rowOf(v: Record<string, unknown>, index: number): ParsedRow {
  if (isObject(v.properties) && typeof v.category === 'string') {
    const table = tableFromStreamingCategory(v.category);
    if (table) return { index, raw: v.properties, table };
  }
  return { index, raw: v };
}

function objectRows(items: unknown[], pointer: string): ParsedRow[] {
  return items.map((r, index) => (isObject(r) ? rowOf(r, index)
    : { index, error: `${pointer}/${index} is ${r === null ? 'null' : Array.isArray(r) ? 'an array' : typeof r}, not a row object` }));
}

function fromJson(doc: unknown, max: number): ParsedBatch {
  if (Array.isArray(doc)) return { format: 'json-rows', rows: objectRows(limit(doc, max), '') };
  if (!isObject(doc)) throw new HitsFormatError('unknown-shape', `the JSON body is ${doc === null ? 'null' : typeof doc}; send an array of rows or a query-API result`);
  const tables = key(doc, 'tables');
  if (Array.isArray(tables)) {
    const t = (tables.find((x) => isObject(x) && x.name === 'PrimaryResult') ?? tables[0]) as Record<string, unknown> | undefined;
    const cols = t && Array.isArray(t.columns) ? t.columns.map((c) => (isObject(c) ? String(c.name ?? c.ColumnName ?? '') : String(c))) : null;
    if (!t || !cols || !Array.isArray(t.rows)) throw new HitsFormatError('unknown-shape', 'tables[0] needs columns and rows', '/tables/0');
    return { format: 'log-analytics', rows: limit(t.rows, max).map((r, index) => {
      if (!Array.isArray(r)) return { index, error: `row ${index} is not an array of cells` };
      if (r.length !== cols.length) return { index, error: `row ${index} has ${r.length} cells for ${cols.length} columns` };
      return { index, raw: Object.fromEntries(cols.map((c, i) => [c, r[i]])) };
    }) };
  }
  const results = key(doc, 'results');
  if (Array.isArray(results)) {
    const format = Object.keys(doc).some((k) => k === 'Results' || k === 'Schema') ? 'defender-api' : 'graph';
    return { format, rows: objectRows(limit(results, max), '/results') };
  }
  const records = key(doc, 'records');
  if (Array.isArray(records)) {
    return { format: 'streaming', rows: limit(records, max).map((r, index): ParsedRow => {
      if (!isObject(r) || !isObject(r.properties)) return { index, error: `record ${index} has no properties object` };
      const table = tableFromStreamingCategory(r.category);
      if (!table) return { index, error: `record ${index} has category ${JSON.stringify(r.category)}, not AdvancedHunting-<Table>` };
      return { index, raw: r.properties, table };
    }) };
  }
  throw new HitsFormatError('unknown-shape', 'the JSON body is not a known result shape (rows array, tables/columns/rows, Schema/Results, schema/results, records)');
}

function limit<T>(items: T[], max: number): T[] {
  if (items.length > max) throw new HitsFormatError('too-many-rows', `the body has ${items.length} rows; the limit is ${max}`);
  return items;
}

/** One NDJSON line as a row, or a bad row naming the line. */
export function ndjsonLineToRow(line: string, index: number): ParsedRow {
  try {
    const v = JSON.parse(line) as unknown;
    return isObject(v) ? rowOf(v, index) : { index, error: `line ${index + 1} is not a JSON object` };
  } catch { return { index, error: `line ${index + 1} is not valid JSON` }; }
}

function fromNdjson(text: string, max: number): ParsedBatch {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length) throw new HitsFormatError('empty', 'the body has no rows');
  return { format: 'ndjson', rows: limit(lines, max).map((line, index) => ndjsonLineToRow(line, index)) };
}

// Sentinel's CSV export may suffix time columns with their zone, e.g. `TimeGenerated [UTC]`.
const header = (h: string) => h.replace(/\s*\[(UTC|Local Time)\]\s*$/i, '').trim();
const utcColumn = (h: string) => /\[UTC\]\s*$/i.test(h);

// Sentinel writes a `[UTC]` column's dates US-style, `7/18/2026, 1:58:42.666 PM`. Date.parse would read that in the
// server's own time zone, so it is parsed here as the UTC it is labelled, into ISO 8601. Sentinel shows milliseconds
// at most; a finer fraction (`.6660000`) is kept to the millisecond, as every time in Quell is.
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([AP]M)?$/i;

export function sentinelUtcDate(cell: string): string | null {
  const m = US_DATE.exec(cell.trim());
  if (!m) return null;
  const [, mo, d, y, h, mi, sec, frac, ampm] = m;
  let hour = Number(h);
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (/p/i.test(ampm) ? 12 : 0);
  }
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(sec ?? 0), ms);
  const date = new Date(t);
  if (Number.isNaN(t) || date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1 || hour > 23 || Number(mi) > 59) return null;
  return date.toISOString();
}

function fromCsv(text: string, max: number): ParsedBatch {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new HitsFormatError('malformed-csv', `the CSV cannot be read: ${(e as Error).message}`);
  }
  return csvRecordsToBatch(records, max);
}

/** CSV records (header first) as rows; a row with the wrong number of cells is a bad row. */
export function csvRecordsToBatch(records: string[][], max: number): ParsedBatch {
  if (!records.length || !records[0]!.some((h) => h.trim())) throw new HitsFormatError('empty', 'the CSV has no header row');
  const cols = records[0]!.map(header);
  const utc = records[0]!.map(utcColumn);
  return { format: 'csv', rows: limit(records.slice(1), max).map((cells, index): ParsedRow => {
    if (cells.length !== cols.length) return { index, error: `row ${index + 1} has ${cells.length} cells for ${cols.length} columns` };
    const raw: Record<string, unknown> = {};
    cols.forEach((c, i) => {
      const v = cells[i]!;
      if (utc[i]) { const iso = sentinelUtcDate(v); if (iso) { raw[c] = iso; return; } }
      // A cell holding a JSON array (Report = make_set(ReportId)) is read as the array.
      if (v.startsWith('[') && v.endsWith(']')) { try { raw[c] = JSON.parse(v); return; } catch { /* text */ } }
      raw[c] = v;
    });
    return { index, raw };
  }) };
}

/** Reads a hit-ingest body in any SPEC §3 format; a body that cannot be read at all throws HitsFormatError. */
export function parseHitsBody(body: Buffer | string, contentType: string | undefined, opts: { maxRows?: number } = {}): ParsedBatch {
  const max = opts.maxRows ?? 1_000_000;
  const text = (typeof body === 'string' ? body : body.toString('utf8')).replace(/^\uFEFF/, '');
  if (!text.trim()) throw new HitsFormatError('empty', 'the body is empty');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv' || type === 'application/csv') return fromCsv(text, max);
  if (type.includes('ndjson') || type.includes('jsonl') || type.includes('jsonlines')) return fromNdjson(text, max);
  if (type === '' || type.includes('json') || type === 'text/plain') {
    try {
      return fromJson(JSON.parse(text) as unknown, max);
    } catch (e) {
      if (e instanceof HitsFormatError) throw e;
      if (type === '' && text.includes('\n') && text.trimStart().startsWith('{')) return fromNdjson(text, max);
      if (type === '' && !text.trimStart().startsWith('{') && !text.trimStart().startsWith('[')) return fromCsv(text, max);
      throw new HitsFormatError('malformed-json', `the body is not valid JSON: ${(e as Error).message}`);
    }
  }
  throw new HitsFormatError('unsupported-media-type', `content type ${type} is not supported; use ${SUPPORTED_MEDIA_TYPES.join(', ')}`);
}
