import { DEFENDER_TABLES } from '../kusto/analyser.js';

export type FieldType = 'string' | 'string[]' | 'ip' | 'int' | 'date';

/** How a canonical field is read from one table's columns (SPEC §3). */
export type Source =
  | { column: string }
  | { user: { domain: string; name: string } }
  | { urlHost: string }
  | { reportIds: true }
  | { directory: true };

export interface CanonicalField { name: string; type: FieldType; sources: Record<string, Source> }

const ALL = ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'] as const;
const every = (s: Source) => Object.fromEntries(ALL.map((t) => [t, s]));
const netProc = (net: Source, proc: Source) => ({ DeviceNetworkEvents: net, DeviceProcessEvents: proc });

export const CANONICAL_FIELDS: readonly CanonicalField[] = [
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

const BY_NAME = new Map(CANONICAL_FIELDS.map((f) => [f.name.toLowerCase(), f]));

const KUSTO_TYPE: Record<string, FieldType> = { datetime: 'date', int: 'int', long: 'int', string: 'string', bool: 'string', dynamic: 'string', real: 'string' };
const IP_COLUMNS = new Set(['RemoteIP', 'LocalIP']);

/** Raw Defender columns by lower-cased name: the name as Defender spells it and its type. */
const RAW = new Map<string, { name: string; type: FieldType; tables: string[] }>();
for (const [table, cols] of Object.entries(DEFENDER_TABLES)) {
  for (const c of cols) {
    const key = c.name.toLowerCase();
    const entry = RAW.get(key) ?? { name: c.name, type: IP_COLUMNS.has(c.name) ? 'ip' : KUSTO_TYPE[c.type] ?? 'string', tables: [] };
    entry.tables.push(table);
    RAW.set(key, entry);
  }
}

export type ResolvedField =
  | { kind: 'canonical'; name: string; type: FieldType; field: CanonicalField }
  | { kind: 'raw'; name: string; type: FieldType; tables: string[] };

/** A field as written in a rule: a canonical name (case-insensitive) or a raw Defender column. */
export function resolveField(written: string): ResolvedField | null {
  const c = BY_NAME.get(written.toLowerCase());
  if (c) return { kind: 'canonical', name: c.name, type: c.type, field: c };
  const r = RAW.get(written.toLowerCase());
  if (r) return { kind: 'raw', name: r.name, type: r.type, tables: r.tables };
  return null;
}

/** Whether a field can be present on rows of a table. */
export function fieldInTable(f: ResolvedField, table: string): boolean {
  return f.kind === 'canonical' ? table in f.field.sources : f.tables.includes(table);
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The closest known field name, for "did you mean" (canonical names first). */
export function suggestField(written: string): string | null {
  const w = written.toLowerCase();
  let best: string | null = null, bestD = Infinity;
  for (const name of [...CANONICAL_FIELDS.map((f) => f.name), ...[...RAW.values()].map((r) => r.name)]) {
    const d = distance(w, name.toLowerCase());
    if (d < bestD) { bestD = d; best = name; }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(w.length / 4)) ? best : null;
}
