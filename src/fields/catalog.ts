// Quell's fields (SPEC §3): the canonical ECS-style names with how each is read from each Defender table, the raw
// Defender columns, and the FieldCatalog the rule language resolves names against.
import { DEFENDER_TABLES } from '../kusto/analyser.js';
import type { FieldCatalog, FieldType, ResolvedField } from '../language/index.js';
import { TABLE_FIELDS } from './table-fields.js';

export type { FieldType };

/** How a canonical field is read from one table's columns (SPEC §3). */
export type Source =
  | { column: string }
  | { user: { domain: string; name: string } }
  | { urlHost: string }
  /** An address that may carry a port (`1.2.3.4:443`, `[::1]:80`); a cell that is no address (`-`) is absent. */
  | { ip: string }
  /** The file name at the end of a path (`C:\Windows\System32\cmd.exe` → `cmd.exe`). */
  | { baseName: string }
  | { reportIds: true }
  | { directory: true }
  /** The hour of day (0–23) or weekday (`Monday`…) of a time column, in UTC as Kusto's hourofday/dayofweek give it. */
  | { timePart: 'hour' | 'weekday'; of: string };

export interface CanonicalField { name: string; type: FieldType; sources: Readonly<Record<string, Source>> }

const ALL = ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'] as const;
const every = (s: Source) => Object.fromEntries(ALL.map((t) => [t, s]));
const netProc = (net: Source, proc: Source) => ({ DeviceNetworkEvents: net, DeviceProcessEvents: proc });

const SPEC_FIELDS: readonly CanonicalField[] = [
  { name: '@timestamp', type: 'date', sources: every({ column: 'Timestamp' }) },
  { name: 'host.id', type: 'string', sources: every({ column: 'DeviceId' }) },
  { name: 'host.name', type: 'string', sources: every({ column: 'DeviceName' }) },
  { name: 'process.name', type: 'string', sources: netProc({ column: 'InitiatingProcessFileName' }, { column: 'FileName' }) },
  { name: 'process.parent.name', type: 'string', sources: netProc({ column: 'InitiatingProcessParentFileName' }, { column: 'InitiatingProcessFileName' }) },
  { name: 'process.command_line', type: 'string', sources: netProc({ column: 'InitiatingProcessCommandLine' }, { column: 'ProcessCommandLine' }) },
  { name: 'process.executable', type: 'string', sources: netProc({ column: 'InitiatingProcessFolderPath' }, { column: 'FolderPath' }) },
  { name: 'process.pe.company', type: 'string', sources: netProc({ column: 'InitiatingProcessVersionInfoCompanyName' }, { column: 'ProcessVersionInfoCompanyName' }) },
  { name: 'process.pe.product', type: 'string', sources: netProc({ column: 'InitiatingProcessVersionInfoProductName' }, { column: 'ProcessVersionInfoProductName' }) },
  { name: 'user.name', type: 'string', sources: netProc({ user: { domain: 'InitiatingProcessAccountDomain', name: 'InitiatingProcessAccountName' } },
    { user: { domain: 'AccountDomain', name: 'AccountName' } }) },
  { name: 'user.group', type: 'string[]', sources: netProc({ directory: true }, { directory: true }) },
  { name: 'destination.ip', type: 'ip', sources: { DeviceNetworkEvents: { column: 'RemoteIP' } } },
  { name: 'destination.port', type: 'int', sources: { DeviceNetworkEvents: { column: 'RemotePort' } } },
  { name: 'destination.domain', type: 'string', sources: { DeviceNetworkEvents: { urlHost: 'RemoteUrl' } } },
  { name: 'source.ip', type: 'ip', sources: { DeviceNetworkEvents: { column: 'LocalIP' } } },
  { name: 'file.code_signature.subject_name', type: 'string', sources: { DeviceFileCertificateInfo: { column: 'Signer' } } },
  { name: 'file.code_signature.issuer', type: 'string', sources: { DeviceFileCertificateInfo: { column: 'Issuer' } } },
  { name: 'file.hash.sha1', type: 'string', sources: { DeviceFileCertificateInfo: { column: 'SHA1' } } },
  { name: 'event.ids', type: 'string[]', sources: every({ reportIds: true }) },
];

// Fields the further tables bring (files, registry, URLs, mail), in the same ECS style.
const MORE_FIELDS: readonly { name: string; type: FieldType }[] = [
  { name: 'file.name', type: 'string' }, { name: 'file.path', type: 'string' }, { name: 'file.hash.sha256', type: 'string' },
  { name: 'registry.key', type: 'string' }, { name: 'registry.value', type: 'string' }, { name: 'url.full', type: 'string' },
  { name: 'email.from.address', type: 'string' }, { name: 'email.to.address', type: 'string' }, { name: 'email.subject', type: 'string' },
];

/** SPEC §3's fields over its three tables, each extended to the further tables of table-fields.ts, then the new fields. */
const STORED_FIELDS: readonly CanonicalField[] = [...SPEC_FIELDS, ...MORE_FIELDS.map((f) => ({ ...f, sources: {} }))]
  .map((f) => ({ ...f, sources: { ...f.sources, ...Object.fromEntries(Object.entries(TABLE_FIELDS)
    .flatMap(([table, m]) => (m[f.name] ? [[table, m[f.name]!] as const] : []))) } }));

// Benign activity often keeps office hours or a maintenance window, so rules may name the hour and weekday of the
// event (UTC, as the tuned query's hourofday/dayofweek compute them): wherever a table has @timestamp, it has these.
const timestampColumns = Object.entries(STORED_FIELDS.find((f) => f.name === '@timestamp')!.sources)
  .flatMap(([table, src]) => ('column' in src ? [[table, src.column] as const] : []));
const timePart = (name: string, type: FieldType, part: 'hour' | 'weekday'): CanonicalField =>
  ({ name, type, sources: Object.fromEntries(timestampColumns.map(([table, column]) => [table, { timePart: part, of: column }])) });

export const CANONICAL_FIELDS: readonly CanonicalField[] = [...STORED_FIELDS,
  timePart('event.hour', 'int', 'hour'), timePart('event.weekday', 'string', 'weekday')];

/** Weekday names as `event.weekday` holds them, Sunday first as JavaScript's getUTCDay and Kusto's dayofweek count. */
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const CANONICAL_BY_NAME = new Map(CANONICAL_FIELDS.map((f) => [f.name.toLowerCase(), f]));

/** A canonical field by name (case-insensitive). */
export const canonicalField = (name: string): CanonicalField | undefined => CANONICAL_BY_NAME.get(name.toLowerCase());

const KUSTO_TYPE: Record<string, FieldType> = { datetime: 'date', int: 'int', long: 'int', string: 'string', bool: 'string', dynamic: 'string', real: 'string' };
// Raw columns holding an address: rules on them take CIDR blocks (SPEC §4).
const IP_COLUMNS = new Set(['RemoteIP', 'LocalIP', 'IPAddress', 'IpAddress', 'ClientIP', 'SourceIP', 'DestinationIP', 'DestinationIPAddress',
  'SourceIPAddress', 'PublicIP', 'SenderIPv4', 'SenderIPv6', 'RequestSourceIP', 'HostIP', 'FileOriginIP', 'RemoteIpAddress', 'ClientIPAddress']);
// Sentinel's copies of the Defender tables call Timestamp TimeGenerated (SPEC §3).
const RAW_ALIASES: Readonly<Record<string, readonly string[]>> = { Timestamp: ['TimeGenerated'] };

interface RawColumn { field: ResolvedField; tables: string[] }

/** Raw Defender columns by lower-cased name: the name as Defender spells it, its type and the tables that have it. */
const RAW = new Map<string, RawColumn>();
for (const [table, cols] of Object.entries(DEFENDER_TABLES)) {
  for (const c of cols) {
    const key = c.name.toLowerCase();
    let entry = RAW.get(key);
    if (!entry) {
      const aliases = RAW_ALIASES[c.name];
      const type = IP_COLUMNS.has(c.name) ? 'ip' : KUSTO_TYPE[c.type] ?? 'string';
      entry = { field: aliases ? { kind: 'raw', name: c.name, type, aliases } : { kind: 'raw', name: c.name, type }, tables: [] };
      RAW.set(key, entry);
    }
    entry.tables.push(table);
  }
}

const CANONICAL_RESOLVED = new Map<string, ResolvedField>(
  CANONICAL_FIELDS.map((f) => [f.name.toLowerCase(), { kind: 'canonical', name: f.name, type: f.type }]));

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

const ALL_NAMES = [...CANONICAL_FIELDS.map((f) => f.name), ...[...RAW.values()].map((r) => r.field.name)];

/** Quell's catalog: canonical names first (case-insensitive), then raw Defender columns. */
export const FIELD_CATALOG: FieldCatalog = {
  resolve(written) {
    const key = written.toLowerCase();
    return CANONICAL_RESOLVED.get(key) ?? RAW.get(key)?.field ?? null;
  },
  /** The closest known field name, for "did you mean" (canonical names first, ties to the first). */
  suggest(written) {
    const w = written.toLowerCase();
    let best: string | null = null, bestD = Infinity;
    for (const name of ALL_NAMES) {
      const d = distance(w, name.toLowerCase());
      if (d < bestD) { bestD = d; best = name; }
    }
    return best !== null && bestD <= Math.max(2, Math.floor(w.length / 4)) ? best : null;
  },
  presentIn(field, table) {
    if (field.kind === 'canonical') { const c = canonicalField(field.name); return c !== undefined && table in c.sources; }
    return RAW.get(field.name.toLowerCase())?.tables.includes(table) ?? false;
  },
};
