import type { HitRow } from './hits-store.js';

/** What one ingested row contributes to a hit. */
export interface Observation {
  fields: Record<string, unknown>;
  raw: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
  reportIds: string[];
  count: number;
}

const toMs = (s: string | null) => (s === null ? NaN : Date.parse(s));

function time(raw: Record<string, unknown>, ...columns: string[]): string | null {
  for (const c of columns) {
    const v = raw[c];
    if (typeof v === 'string' && v !== '' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  }
  return null;
}

/** Reads first/last seen, report ids and count from a summarised or raw row; `received` stands in for a row without time. */
export function observe(fields: Record<string, unknown>, raw: Record<string, unknown>, received: string): Observation {
  // A raw event row's time is already normalised in @timestamp; summarised rows carry FirstSeen/LastSeen.
  const stamp = typeof fields['@timestamp'] === 'string' ? fields['@timestamp'] : null;
  const first = time(raw, 'FirstSeen') ?? stamp ?? time(raw, 'LastSeen') ?? received;
  const last = time(raw, 'LastSeen') ?? stamp ?? time(raw, 'FirstSeen') ?? received;
  const ids = fields['event.ids'];
  const reportIds = [...new Set(Array.isArray(ids) ? ids.map(String) : typeof ids === 'string' ? [ids] : [])].sort();
  const rawCount = Number(raw.Count ?? raw.count ?? 1);
  return { fields, raw, firstSeen: first, lastSeen: last, reportIds, count: Number.isFinite(rawCount) && rawCount > 0 ? Math.floor(rawCount) : 1 };
}

/**
 * SPEC §3 merge: firstSeen = min, lastSeen = max, report ids = union, count = max. Fields and raw come from the
 * newest observation. Idempotent: merging an observation already contained changes nothing, so the same file
 * twice, or overlapping 5-day windows, never double-count.
 */
export function mergeObservation(a: Observation, b: Observation): Observation {
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
