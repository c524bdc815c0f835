// The tables Quell's Kusto analyser, field catalog and tuned-query column lists know: the three Defender tables of
// defender-tables.json (the reference copy) and the further Defender XDR and Sentinel tables of log-tables.json, both
// transcribed from Microsoft's published schemas. Data, not code, so a new table is a JSON edit.
import defenderTables from './defender-tables.json' with { type: 'json' };
import logTables from './log-tables.json' with { type: 'json' };

export type ColumnType = 'datetime' | 'string' | 'int' | 'long' | 'bool' | 'dynamic' | 'real';
export interface TableColumn { name: string; type: ColumnType }
type Tables = Record<string, TableColumn[]>;

const withMissing = (columns: readonly TableColumn[], extra: readonly TableColumn[]): TableColumn[] =>
  [...columns, ...extra.filter((e) => !columns.some((c) => c.name === e.name))];

const copyColumns = logTables.sentinelCopyColumns as TableColumn[];
const laColumns = logTables.logAnalyticsColumns as TableColumn[];
const defender: Tables = { ...(defenderTables.tables as Tables), ...(logTables.defenderTables as Tables) };
const sentinel = logTables.sentinelTables as Tables;

/** Defender XDR advanced-hunting tables; Sentinel's copies add TimeGenerated (SPEC §3) and its bookkeeping columns. */
export const DEFENDER_TABLE_NAMES: ReadonlySet<string> = new Set(Object.keys(defender));

/** Log Analytics tables of Sentinel that Defender does not have (SecurityEvent, SigninLogs, …). */
export const SENTINEL_TABLE_NAMES: ReadonlySet<string> = new Set(Object.keys(sentinel));

/** Every known table by name, with its columns; the original three first, in their order. */
export const KNOWN_TABLES: Readonly<Record<string, readonly TableColumn[]>> = Object.fromEntries([
  ...Object.entries(defender).map(([t, cols]) => [t, withMissing(cols, copyColumns)] as const),
  ...Object.entries(sentinel).map(([t, cols]) => [t, withMissing(cols, laColumns)] as const),
]);

/** The columns of a known table, or an empty list. */
export const tableColumns = (table: string | null | undefined): readonly TableColumn[] => (table && KNOWN_TABLES[table]) || [];
