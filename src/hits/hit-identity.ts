import { createHash } from 'node:crypto';

// Hunts without a final summarize identify a row by device, time and ReportId: a ReportId is unique only
// per device and time in Defender, so all three are needed.
const RAW_EVENT_KEYS = ['DeviceId', 'Timestamp', 'ReportId'] as const;

function value(raw: Readonly<Record<string, unknown>>, column: string): unknown {
  const v = raw[column];
  // Sentinel's copies of the Defender tables call the time column TimeGenerated.
  if ((v === undefined || v === '') && column === 'Timestamp' && raw.TimeGenerated !== undefined) return raw.TimeGenerated;
  return v;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

// A group key's value is whatever the query returned for it, the empty string included: Kusto groups empty strings like
// any value (a `tostring()` of nothing is ""), and a CSV or JSON export writes a null key the same way. Only a key the
// row does not carry at all is missing.
const keyPresent = (v: unknown) => v !== undefined;
const keyText = (column: string, v: unknown) => (v === null || v === '' ? '' : canonical(column, v));

const TIME_COLUMNS = new Set(['Timestamp', 'TimeGenerated']);

/** Times arrive as `…Z`, `….000Z` or `+00:00` depending on the export: one instant must give one key. */
function canonical(column: string, v: unknown): string {
  if (TIME_COLUMNS.has(column) && typeof v === 'string') {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

// A key is stored in a unique index, and PostgreSQL's B-tree indexes refuse entries over ~2.7 KB. A key longer than
// this (a 2 KB URL among the group keys, a hostile row) is stored as the SHA-256 of its text instead, in the form of a
// keyless row's key: still one key per identity, on either database.
const MAX_KEY_CHARS = 512;
const bounded = (key: string) => (key.length <= MAX_KEY_CHARS ? key : JSON.stringify([`sha256:${createHash('sha256').update(key).digest('hex')}`]));

export type IdentityResult = { key: string; values: Record<string, string> } | { error: string };

/**
 * The identity of a hit within its hunt (SPEC §3): the values of the hunt's group keys; without group keys,
 * DeviceId + Timestamp + ReportId; else a hash of the whole row. The key is a JSON array, so values containing
 * any separator stay unambiguous.
 */
export function hitIdentity(groupKeys: readonly string[], raw: Readonly<Record<string, unknown>>): IdentityResult {
  if (!groupKeys.length) return withoutGroupKeys(raw);
  const key = hitKey(groupKeys, raw);
  if (typeof key !== 'string') return key;
  return { key, values: Object.fromEntries(groupKeys.map((k) => [k, keyText(k, value(raw, k))])) };
}

/**
 * The identity key alone (what ingest groups rows by), or why the row has none: hitIdentity's key without its values
 * object, which ingest never reads and would otherwise allocate for every row.
 */
export function hitKey(groupKeys: readonly string[], raw: Readonly<Record<string, unknown>>): string | { error: string } {
  if (!groupKeys.length) return withoutGroupKeys(raw).key;
  // Hot path (every ingested row): build the key directly; only a row missing a key pays for naming what is missing.
  const parts: string[] = [];
  for (const k of groupKeys) {
    const v = value(raw, k);
    if (!keyPresent(v)) {
      const missing = groupKeys.filter((c) => !keyPresent(value(raw, c)));
      return { error: `missing group key ${missing.join(', ')} (the hunt groups by ${groupKeys.join(', ')}; the row has no such column)` };
    }
    parts.push(keyText(k, v));
  }
  return bounded(JSON.stringify(parts));
}

function withoutGroupKeys(raw: Readonly<Record<string, unknown>>): { key: string; values: Record<string, string> } {
  if (RAW_EVENT_KEYS.every((k) => present(value(raw, k)))) {
    const values = Object.fromEntries(RAW_EVENT_KEYS.map((k) => [k, canonical(k, value(raw, k))]));
    return { key: bounded(JSON.stringify(RAW_EVENT_KEYS.map((k) => values[k]))), values };
  }
  const hash = createHash('sha256').update(stableJson(raw)).digest('hex');
  return { key: JSON.stringify([`sha256:${hash}`]), values: {} };
}
