import { CANONICAL_FIELDS, WEEKDAYS, type CanonicalField, type Source } from './catalog.js';
import { parseIp } from '../language/index.js';

export interface NormaliseError { column: string; message: string }

// Defender writes absent values as empty strings: an empty cell is an absent field, not a bad value (SPEC §3).
const absent = (v: unknown) => v === undefined || v === null || v === '';

function rawValue(raw: Readonly<Record<string, unknown>>, column: string): unknown {
  const v = raw[column];
  if (absent(v) && column === 'Timestamp') return raw.TimeGenerated;
  return v;
}

/** The address in a cell that may add a port (`1.2.3.4:443`, `[2001:db8::1]:80`), or null when it holds no address. */
export function addressOf(cell: string): string | null {
  const v = cell.trim();
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d+)?$/.exec(v);
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(v);
  const address = bracketed?.[1] ?? v4port?.[1] ?? v;
  return parseIp(address) ? address : null;
}

/** The file name at the end of a Windows or POSIX path. */
export const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

const HOST_SYNTAX = /[:/?#@[]/;

/** Host part of RemoteUrl, which may be a bare host, host:port or a URL. */
export function urlHost(url: string): string {
  // Most cells are a bare host already (no scheme, port, path, user or brackets): nothing to cut.
  if (!HOST_SYNTAX.test(url)) return url.trim();
  const noScheme = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = noScheme.split(/[/?#]/, 1)[0].replace(/^[^@]*@/, '');
  if (authority.startsWith('[')) return authority.slice(1, authority.indexOf(']') >>> 0);
  return (authority.split(':').length === 2 ? authority.split(':')[0] : authority);
}

function reportIds(raw: Readonly<Record<string, unknown>>): string[] | NormaliseError {
  const ids = new Set<string>();
  if (!absent(raw.ReportId)) ids.add(String(raw.ReportId));
  let report = raw.Report;
  if (typeof report === 'string' && report.trim().startsWith('[')) {
    try { report = JSON.parse(report); } catch { return { column: 'Report', message: 'is not a JSON array of report ids' }; }
  }
  if (Array.isArray(report)) report.filter((x) => !absent(x)).forEach((x) => ids.add(String(x)));
  else if (!absent(report)) ids.add(String(report));
  return [...ids];
}

// @timestamp, event.hour and event.weekday all read the same time cell of a row: the last text parsed is remembered,
// so ingest parses each row's time once rather than three times.
let lastText: string | null = null, lastMs = NaN;
function parseMs(v: unknown): number {
  if (typeof v === 'number') return v;
  const text = String(v);
  if (text !== lastText) { lastText = text; lastMs = Date.parse(text); }
  return lastMs;
}

const isoOrError = (column: string, v: unknown): string | NormaliseError => {
  const t = parseMs(v);
  return Number.isNaN(t) ? { column, message: `\`${String(v)}\` is not a date` } : new Date(t).toISOString();
};

const intOrError = (column: string, v: unknown): number | NormaliseError => {
  const n = typeof v === 'number' ? v : /^\s*-?\d+\s*$/.test(String(v)) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : { column, message: `\`${String(v)}\` is not a whole number` };
};

const PER_TABLE = new Map<string, { f: CanonicalField; src: Source }[]>();
// Narrowed lists, per set of wanted fields (the caller keeps the set, so they go when it does).
const PER_ONLY = new WeakMap<ReadonlySet<string>, Map<string, { f: CanonicalField; src: Source }[]>>();
function fieldsFor(table: string, only?: ReadonlySet<string>) {
  let list = PER_TABLE.get(table);
  if (!list) {
    list = CANONICAL_FIELDS.flatMap((f) => { const src = f.sources[table]; return src ? [{ f, src }] : []; });
    PER_TABLE.set(table, list);
  }
  if (!only) return list;
  let narrowed = PER_ONLY.get(only);
  if (!narrowed) PER_ONLY.set(only, narrowed = new Map());
  let mine = narrowed.get(table);
  if (!mine) narrowed.set(table, mine = list.filter(({ f }) => only.has(f.name)));
  return mine;
}

const isError = (v: unknown): v is NormaliseError => typeof v === 'object' && v !== null && 'column' in v && 'message' in v;

/**
 * Canonical fields (SPEC §3) of one raw result row of a hunt on `table`. A value of the wrong type is an error naming
 * its column, and the row is rejected; `user.group` is not produced here (it comes from the group directory).
 * `only` narrows the work to the fields a caller reads (re-evaluation: those its rules name); each field is derived
 * the same way either way, and errors are then those of these fields and the row's aggregates.
 */
export function normaliseRow(table: string, raw: Readonly<Record<string, unknown>>, only?: ReadonlySet<string>):
  { fields: Record<string, unknown>; errors: NormaliseError[] } {
  const fields: Record<string, unknown> = {};
  const errors: NormaliseError[] = [];
  for (const { f, src } of fieldsFor(table, only)) {
    let value: unknown;
    if ('column' in src) {
      const v = rawValue(raw, src.column);
      if (absent(v)) continue;
      if (f.type === 'ip') { const text = String(v); value = parseIp(text) ? text.trim() : { column: src.column, message: `\`${text}\` is not an IP address` }; }
      else if (f.type === 'int') value = intOrError(src.column, v);
      else if (f.type === 'date') value = isoOrError(src.column, v);
      else value = typeof v === 'string' ? v : String(v);
    } else if ('user' in src) {
      const name = raw[src.user.name], domain = raw[src.user.domain];
      if (absent(name)) continue;
      value = absent(domain) ? String(name) : `${String(domain)}\\${String(name)}`;
    } else if ('ip' in src) {
      // Sentinel's address columns hold `-`, ports and the like besides addresses: what is no address is absent.
      const v = raw[src.ip];
      if (absent(v)) continue;
      value = addressOf(String(v)) ?? undefined;
    } else if ('baseName' in src) {
      const v = raw[src.baseName];
      if (absent(v)) continue;
      value = baseName(String(v)) || undefined;
    } else if ('urlHost' in src) {
      const v = raw[src.urlHost];
      if (absent(v)) continue;
      value = urlHost(String(v)) || undefined;
    } else if ('timePart' in src) {
      // A bad date is reported once, by @timestamp; here it is simply absent.
      const v = rawValue(raw, src.of);
      if (absent(v)) continue;
      const t = parseMs(v);
      if (Number.isNaN(t)) continue;
      const d = new Date(t);
      value = src.timePart === 'hour' ? d.getUTCHours() : WEEKDAYS[d.getUTCDay()];
    } else if ('reportIds' in src) {
      const ids = reportIds(raw);
      if (!isError(ids) && ids.length === 0) continue;
      value = ids;
    } else continue;
    if (value === undefined) continue;
    if (isError(value)) errors.push(value); else fields[f.name] = value;
  }
  // Summarised rows carry their aggregates; check their types too so a bad cell is a rejected row, not a bad hit.
  for (const c of ['FirstSeen', 'LastSeen']) if (!absent(raw[c])) { const r = isoOrError(c, raw[c]); if (isError(r)) errors.push(r); }
  if (!absent(raw.Count)) { const r = intOrError('Count', raw.Count); if (isError(r)) errors.push(r); }
  return { fields, errors };
}
