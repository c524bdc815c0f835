// The KQL backend's field mapping for Quell's fields (SPEC §7: canonical fields mapped back to the table's columns).
import { DEFENDER_TABLES } from '../kusto/analyser.js';
import type { KqlColumn, KqlColumnMapper } from '../language/index.js';
import { canonicalField, WEEKDAYS } from './catalog.js';

type Mapped = KqlColumn | { notCompilable: string };

/** A column of the table as a value and a presence test (Defender's empty strings are absent; dynamic as text). */
function plain(table: string, column: string): Mapped {
  const c = (DEFENDER_TABLES[table] ?? []).find((x) => x.name === column);
  if (!c) return { notCompilable: `has no column in ${table}` };
  if (c.type === 'string') return { expr: column, present: `isnotempty(${column})` };
  if (c.type === 'dynamic') return { expr: `tostring(${column})`, present: `isnotempty(tostring(${column}))` };
  return { expr: column, present: `isnotnull(${column})` };
}

const hasColumn = (table: string, column: string) => (DEFENDER_TABLES[table] ?? []).some((x) => x.name === column);

/** Where a field lives in one Defender table's KQL, or why it cannot be compiled there. */
export const kqlColumnFor: KqlColumnMapper = (field, table) => {
  if (field.kind === 'raw') return plain(table, field.name);
  const src = canonicalField(field.name)?.sources[table];
  if (!src) return { notCompilable: `is never present in ${table}` };
  if ('directory' in src) return { notCompilable: 'comes from Quell\'s group directory, which Sentinel does not have' };
  if ('column' in src) return plain(table, src.column);
  if ('user' in src) {
    const { domain, name: acct } = src.user;
    if (!hasColumn(table, domain) || !hasColumn(table, acct)) return { notCompilable: `has no columns in ${table}` };
    // Quell's user.name is DOMAIN\name, or just name when the domain is empty.
    return { expr: `iff(isempty(${domain}), ${acct}, strcat(${domain}, "\\\\", ${acct}))`, present: `isnotempty(${acct})` };
  }
  if ('ip' in src) {
    if (!hasColumn(table, src.ip)) return { notCompilable: `has no column in ${table}` };
    // The address without a port, as Quell reads it: `[v6]:port` and `v4:port` lose the port, anything else is as is.
    const c = src.ip;
    const expr = `coalesce(extract(@"^\\[([0-9A-Fa-f:.]+)\\](?::\\d+)?$", 1, ${c}), extract(@"^(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d+$", 1, ${c}), ${c})`;
    return { expr, present: `isnotempty(${c})` };
  }
  if ('baseName' in src) {
    if (!hasColumn(table, src.baseName)) return { notCompilable: `has no column in ${table}` };
    const expr = `extract(@"([^\\\\/]+)$", 1, ${src.baseName})`;
    return { expr, present: `isnotempty(${expr})` };
  }
  if ('urlHost' in src) {
    const host = `extract(@"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:[^@/?#]*@)?([^/?#:]+)", 1, ${src.urlHost})`;
    return { expr: host, present: `isnotempty(${host})` };
  }
  if ('timePart' in src) {
    if (!hasColumn(table, src.of)) return { notCompilable: `has no column in ${table}` };
    const c = src.of;
    const expr = src.timePart === 'hour' ? `hourofday(${c})`
      : `case(${WEEKDAYS.slice(0, 6).map((d, i) => `dayofweek(${c}) == ${i}d, "${d}"`).join(', ')}, "Saturday")`;
    return { expr, present: `isnotnull(${c})` };
  }
  return { expr: 'tostring(ReportId)', present: 'isnotnull(ReportId)' };
};
