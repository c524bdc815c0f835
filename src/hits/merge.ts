import type { HitRow } from './hits-store.js';

/** What one ingested row contributes to a hit. */
export interface Observation {
  fields: Record<string, unknown>;
  raw: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
  reportIds: string[];
  count: number;
  /** The row has no time of its own: its times are when it was received. */
  timeless?: boolean;
}

const toMs = (s: string | null) => (s === null ? NaN : Date.parse(s));

// A cell is a time only when it reads as one: ISO 8601 (Log Analytics, Defender, Graph) or Sentinel's CSV export
// (`7/18/2026, 1:58:42.666 PM`, turned into ISO when the CSV is read). Date.parse alone would take "5" for a date.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

function dateOf(v: unknown): number | null {
  if (typeof v !== 'string' || !DATE_LIKE.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function time(raw: Record<string, unknown>, ...columns: string[]): string | null {
  for (const c of columns) {
    const v = raw[c];
    if (typeof v === 'string' && v !== '' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  }
  return null;
}

// The row's own time columns, by what they say: the start of what the row covers, its end, or one instant.
const START = /^(first|start|earliest|min_|begin)/i;
const END = /^(last|end|latest|max_)/i;
const POINT = ['Timestamp', 'TimeGenerated', 'timestamp', 'EventTime'];
const NAMED_TIME = /time|date|stamp/i;

// Column names repeat on every row of a batch: classify each once (1 start, 2 end, 3 other time-named, 0 none)
// rather than running the patterns on every cell of every row.
const KIND = new Map<string, number>();
function kindOf(c: string): number {
  let k = KIND.get(c);
  if (k === undefined) {
    k = START.test(c) ? 1 : END.test(c) ? 2 : NAMED_TIME.test(c) ? 3 : 0;
    if (KIND.size < 10_000) KIND.set(c, k);
  }
  return k;
}

// spans() leaves its result here rather than in a fresh object, NaN meaning none: it runs once per ingested row, and
// most rows need none of its four times in ISO form (their @timestamp decides), so none is formatted until needed.
let spanStart = NaN, spanEnd = NaN, spanLo = NaN, spanHi = NaN;

/**
 * The earliest start and latest end among the row's columns, and the span of its other time-named columns. The span is
 * read only for a row without a point in time (`withSpan`), so other time-named columns are not even parsed otherwise.
 */
function spans(raw: Record<string, unknown>, withSpan: boolean): void {
  let start = NaN, end = NaN, lo = NaN, hi = NaN;
  for (const c in raw) {
    const k = kindOf(c);
    if (k === 0 || (k === 3 && !withSpan)) continue;
    const t = dateOf(raw[c]);
    if (t === null) continue;
    if (k === 1) start = Number.isNaN(start) ? t : Math.min(start, t);
    else if (k === 2) end = Number.isNaN(end) ? t : Math.max(end, t);
    lo = Number.isNaN(lo) ? t : Math.min(lo, t);
    hi = Number.isNaN(hi) ? t : Math.max(hi, t);
  }
  spanStart = start; spanEnd = end; spanLo = lo; spanHi = hi;
}

const iso = (t: number): string | null => (Number.isNaN(t) ? null : new Date(t).toISOString());

/** First and last seen from the row itself, or null when the row carries no time at all. */
export function rowTimes(fields: Record<string, unknown>, raw: Record<string, unknown>): { first: string; last: string } | null {
  const stamp = typeof fields['@timestamp'] === 'string' ? fields['@timestamp'] : null;
  const point = stamp ?? (() => { for (const c of POINT) { const t = dateOf(raw[c]); if (t !== null) return new Date(t).toISOString(); } return null; })();
  spans(raw, point === null);
  const start = time(raw, 'FirstSeen') ?? iso(spanStart);
  const end = time(raw, 'LastSeen') ?? iso(spanEnd);
  const anyFirst = start ?? point ?? iso(spanLo);
  const anyLast = end ?? point ?? iso(spanHi);
  const first = anyFirst ?? anyLast, last = anyLast ?? anyFirst;
  return first && last ? { first, last } : null;
}

/**
 * Reads first/last seen, report ids and count from a summarised or raw row. The row's own times come first (FirstSeen,
 * StartTime, min_Timestamp, Timestamp, …); `received` stands in only for a row that has no time at all.
 */
export function observe(fields: Record<string, unknown>, raw: Record<string, unknown>, received: string): Observation {
  const times = rowTimes(fields, raw);
  const rawCount = Number(raw.Count ?? raw.count ?? raw.count_ ?? 1);
  const o: Observation = { fields, raw, firstSeen: times?.first ?? received, lastSeen: times?.last ?? received, reportIds: reportIdsOf(fields['event.ids']),
    count: Number.isFinite(rawCount) && rawCount > 0 ? Math.floor(rawCount) : 1 };
  if (!times) o.timeless = true;
  return o;
}

/** Sorted distinct report ids; a raw row has one, which needs no set and no sort. */
function reportIdsOf(ids: unknown): string[] {
  if (typeof ids === 'string') return [ids];
  if (!Array.isArray(ids)) return [];
  if (ids.length <= 1) return ids.map(String);
  return [...new Set(ids.map(String))].sort();
}

/**
 * SPEC §3 merge: firstSeen = min, lastSeen = max, report ids = union, count = max. Fields and raw come from the
 * newest observation. Idempotent: merging an observation already contained changes nothing, so the same file
 * twice, or overlapping 5-day windows, never double-count.
 */
export function mergeObservation(a: Observation, b0: Observation): Observation {
  // A row without a time of its own, received again unchanged, says nothing new: its receipt time must not move the hit.
  const b = b0.timeless && JSON.stringify(a.raw) === JSON.stringify(b0.raw) ? { ...b0, firstSeen: a.firstSeen, lastSeen: a.lastSeen } : b0;
  const newer = toMs(b.lastSeen) > toMs(a.lastSeen) ? b : a;
  return {
    fields: newer.fields,
    raw: newer.raw,
    firstSeen: toMs(b.firstSeen) < toMs(a.firstSeen) ? b.firstSeen : a.firstSeen,
    lastSeen: newer.lastSeen,
    reportIds: union(a.reportIds, b.reportIds),
    count: Math.max(a.count, b.count),
  };
}

function union(a: string[], b: string[]): string[] {
  if (b.every((x) => a.includes(x))) return a;
  return [...new Set([...a, ...b])].sort();
}

export function observationOf(row: HitRow, fieldsOf: (raw: Record<string, unknown>) => Record<string, unknown>): Observation {
  const raw = JSON.parse(row.raw) as Record<string, unknown>;
  return {
    fields: fieldsOf(raw),
    raw,
    firstSeen: new Date(row.firstSeen ?? row.createdAt).toISOString(),
    lastSeen: new Date(row.lastSeen ?? row.createdAt).toISOString(),
    reportIds: JSON.parse(row.reportIds) as string[],
    count: row.count,
  };
}

export function sameObservation(a: Observation, b: Observation): boolean {
  return a.firstSeen === b.firstSeen && a.lastSeen === b.lastSeen && a.count === b.count
    && a.reportIds.length === b.reportIds.length && a.reportIds.every((x, i) => x === b.reportIds[i])
    && JSON.stringify(a.raw) === JSON.stringify(b.raw);
}
